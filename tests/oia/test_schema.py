"""The OpenAPI schema keeps the promises the API keeps: nullable fields,
time formats, error answers and file downloads are documented as they are."""

import re

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from oia.roles import Role
from tests.factories import ProgrammeItemFactory


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def component(schema, name):
    return schema["components"]["schemas"][name]


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("BudgetChange", "counterpart_name"),
        ("BudgetLine", "partner_city"),
        ("Budget", "adopted_by"),
        ("Commitment", "delegation_title"),
        ("CoordinationCase", "resolved_by"),
        ("Delegation", "city"),
        ("Partnership", "current_status"),
        ("Partnership", "next_anniversary"),
        ("Report", "version"),
    ],
)
def test_fields_that_can_be_empty_are_documented_as_nullable(schema, name, field):
    assert component(schema, name)["properties"][field].get("nullable") is True


def test_programme_times_are_documented_as_the_api_writes_them(schema, api_client, db, user_for_role):
    item = ProgrammeItemFactory(starts_at="10:00")
    starts_at = component(schema, "ProgrammeItem")["properties"]["starts_at"]
    assert "format" not in starts_at
    api_client.force_authenticate(user_for_role(Role.STAFF))
    answer = api_client.get(reverse("api:delegation-detail", args=[item.delegation_id]))
    written = answer.json()["programme"][0]["starts_at"]
    assert written == "10:00:00"
    assert re.fullmatch(starts_at["pattern"], written)


def test_amounts_are_documented_as_strings_with_at_least_one_digit(schema):
    planned = component(schema, "BudgetLineRequest")["properties"]["planned"]
    assert planned["type"] == "string"
    assert re.fullmatch(planned["pattern"], "1250.50")
    for refused in ("", ".", "-", "-5.00", "1e3"):
        assert not re.fullmatch(planned["pattern"], refused)


def test_text_a_client_must_fill_in_is_documented_with_min_length(schema):
    assert component(schema, "BudgetLineRequest")["properties"]["name"]["minLength"] == 1


@pytest.mark.parametrize(
    ("path", "method", "codes"),
    [
        ("/api/partnerships/", "get", {"200", "400", "401", "403", "404"}),
        ("/api/partnerships/", "post", {"201", "400", "401", "403"}),
        ("/api/partnerships/{id}/", "get", {"200", "401", "403", "404"}),
        ("/api/partnerships/{id}/", "patch", {"200", "400", "401", "403", "404"}),
        ("/api/cities/{id}/", "delete", {"204", "400", "401", "403", "404", "409"}),
        ("/api/delegations/{id}/transitions/", "post", {"201", "400", "401", "403", "404", "409"}),
    ],
)
def test_error_answers_are_documented_with_their_bodies(schema, path, method, codes):
    responses = schema["paths"][path][method]["responses"]
    assert codes <= set(responses)
    assert responses["403"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorDetail"}
    if "400" in responses:
        body = responses["400"]["content"]["application/json"]["schema"]
        assert body == {"$ref": "#/components/schemas/ValidationError"}


def test_status_change_recorded_through_the_api_is_documented_as_created(schema):
    responses = schema["paths"]["/api/partnerships/{id}/status-changes/"]["post"]["responses"]
    assert "201" in responses
    assert responses["201"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/StatusChange"}


def test_report_downloads_are_documented_with_their_content_types(schema):
    operation = schema["paths"]["/api/reports/{id}/download/{fmt}/"]["get"]
    assert set(operation["responses"]["200"]["content"]) == {
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    fmt = next(parameter for parameter in operation["parameters"] if parameter["name"] == "fmt")
    assert fmt["schema"]["enum"] == ["pdf", "xlsx"]


def test_asking_for_a_missing_report_as_pdf_gets_a_json_refusal_not_406(api_client, db, user_for_role):
    api_client.force_authenticate(user_for_role(Role.STAFF))
    answer = api_client.get(reverse("api:report-download", args=[999999, "pdf"]), HTTP_ACCEPT="application/pdf")
    assert answer.status_code == 404
    assert answer["Content-Type"] == "application/json"


# A file is uploaded as multipart form data; every other body is JSON.
MULTIPART_UPLOADS = {("/api/documents/", "post")}


def test_request_bodies_are_documented_as_json(schema):
    bodies = {
        (path, method): operation["requestBody"]["content"]
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    }
    assert bodies
    assert all(set(content) == {"application/json"} for key, content in bodies.items() if key not in MULTIPART_UPLOADS)
    assert all(set(bodies[key]) == {"multipart/form-data"} for key in MULTIPART_UPLOADS)


@pytest.mark.parametrize(
    "path", ["/api/partnerships/", "/api/exchanges/", "/api/delegations/", "/api/expenses/", "/api/reports/"]
)
def test_the_main_operations_show_an_example_request(schema, path):
    examples = schema["paths"][path]["post"]["requestBody"]["content"]["application/json"]["examples"]
    (example,) = examples.values()
    request = schema["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    required = component(schema, request.rsplit("/", 1)[1]).get("required", [])
    assert set(required) <= set(example["value"])


def test_asking_again_for_a_report_with_the_same_key_is_documented_as_200(schema):
    assert {"200", "201"} <= set(schema["paths"]["/api/reports/"]["post"]["responses"])


def test_a_read_only_email_that_may_be_empty_is_documented_so(admin_api):
    """Found by schemathesis: DRF drops allow_blank from read-only fields, so a
    club leader's account without an address broke the schema's promise."""
    schema = admin_api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    email = schema["components"]["schemas"]["ClubLeader"]["properties"]["email"]

    assert {"type": "string", "maxLength": 0} in email["oneOf"]
