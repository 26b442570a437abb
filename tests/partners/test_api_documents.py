"""Partnership documents through the API: uploaded as multipart form data
with the upload form's checks, listed and read as metadata, downloaded with
the page's permission check, deleted with their file. Odd uploads answer 400
with the reason, never 500."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from oia.roles import Role
from partners.models import Document
from tests.factories import DocumentFactory, PartnershipFactory, UserFactory
from tests.partners.test_uploads import HTML_PAGE, MB, SVG_DRAWING, image_bytes

pytestmark = pytest.mark.django_db

URL = "/api/documents/"
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
# Roles, the count, the rows with who uploaded them.
API_LIST_QUERIES = 3


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, name="agreement.pdf", content=PDF, **fields):
    data = {"partnership": PartnershipFactory().pk, "kind": "agreement", "title": "Twinning agreement", **fields}
    if name is not None:
        data["file"] = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(URL, data, format="multipart")


def test_a_document_is_uploaded_listed_downloaded_and_deleted(staff_api, staff_user):
    created = upload(staff_api, "Vertrag 1991.pdf", signed_on="1991-05-12")
    assert created.status_code == 201, created.json()
    body = created.json()
    document = Document.objects.get()

    listed = staff_api.get(URL, {"partnership": document.partnership_id}).json()
    download = staff_api.get(body["download"])
    file_path = document.file.path
    deleted = staff_api.delete(f"{URL}{document.pk}/")

    assert body["uploaded_by"] == staff_user.username
    assert body["signed_on"] == "1991-05-12"
    assert body["file_name"].endswith("-vertrag_1991.pdf")
    assert "file" not in body  # the file is read through its download, never from an address
    assert [row["id"] for row in listed["results"]] == [document.pk]
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert deleted.status_code == 204
    assert not Document.objects.exists()
    assert not Path(file_path).exists()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [("agreement.pdf", HTML_PAGE, "PDF"), ("scan.png", SVG_DRAWING, "PNG"), ("scan.jpg", image_bytes("PNG"), "JPEG")],
)
def test_a_file_whose_content_is_not_what_its_name_says_is_refused_as_on_the_page(staff_api, name, content, kind):
    response = upload(staff_api, name, content)

    assert response.status_code == 400
    assert response.json()["file"] == [
        f"This file is not a real {kind} file: its content does not match its name. Upload the original file."
    ]
    assert not Document.objects.exists()


@pytest.mark.parametrize(("name", "content"), [("scan.png", image_bytes("PNG")), ("scan.jpeg", image_bytes("JPEG"))])
def test_real_images_are_accepted_and_downloaded_as_what_they_are(staff_api, name, content):
    created = upload(staff_api, name, content)

    download = staff_api.get(created.json()["download"], HTTP_ACCEPT="image/*")

    assert created.status_code == 201
    assert download["Content-Type"] == ("image/png" if name.endswith("png") else "image/jpeg")


@pytest.mark.parametrize(
    ("name", "content", "field", "message"),
    [
        ("empty.pdf", b"", "file", "The submitted file is empty."),
        ("tool.exe", b"MZ\x90\x00", "file", "File extension “exe” is not allowed."),
        ("no-extension", PDF, "file", "File extension “” is not allowed."),
        ("a" * 300 + ".pdf", PDF, "file", "Ensure this filename has at most 100 characters"),
        (None, None, "file", "No file was submitted."),
    ],
)
def test_odd_uploads_answer_400_with_the_reason(staff_api, name, content, field, message):
    response = upload(staff_api, name, content)

    assert response.status_code == 400
    assert message in response.json()[field][0]
    assert not Document.objects.exists()


def test_a_file_over_the_limit_is_refused_with_the_pages_message(staff_api, settings):
    settings.OIA_MAX_UPLOAD_MB = 1

    response = upload(staff_api, "agreement.pdf", b"%PDF-1.4\n" + b" " * (MB + 1))

    assert response.status_code == 400
    assert response.json()["file"] == ["The file is too large: at most 1 MB."]


def test_a_json_body_is_told_to_send_a_file(staff_api):
    response = staff_api.post(
        URL,
        {"partnership": PartnershipFactory().pk, "title": "Agreement", "file": "JVBERi0xLjQK"},
        format="json",
    )

    assert response.status_code == 400
    assert "file" in response.json()


def test_an_unknown_partnership_or_a_title_with_control_characters_is_refused(staff_api):
    unknown = upload(staff_api, partnership=10**12)
    pasted = upload(staff_api, title="Agree\x0bment")

    assert unknown.status_code == 400
    assert "partnership" in unknown.json()
    assert pasted.status_code == 400
    assert "title" in pasted.json()
    assert not Document.objects.exists()


def test_documents_are_not_edited(staff_api):
    document = DocumentFactory()

    response = staff_api.patch(f"{URL}{document.pk}/", {"title": "New"}, format="json")

    assert response.status_code == 405


def test_a_missing_file_is_a_json_404(staff_api):
    document = DocumentFactory()
    document.file.storage.delete(document.file.name)

    response = staff_api.get(reverse("api:document-download", args=[document.pk]), HTTP_ACCEPT="application/pdf")

    assert response.status_code == 404
    assert response.json() == {"detail": "The file of this document is missing."}


@pytest.mark.parametrize("count", [1, 25])
def test_the_list_runs_a_fixed_number_of_queries(staff_api, django_assert_max_num_queries, count):
    for _ in range(count):
        DocumentFactory(uploaded_by=UserFactory())

    with django_assert_max_num_queries(API_LIST_QUERIES):
        response = staff_api.get(URL, {"page_size": 200})

    assert response.json()["count"] == count


@pytest.mark.parametrize(("role", "expected"), [(None, 401), (Role.COUNCIL, 403), (Role.CLUB_LEADER, 403)])
def test_only_the_office_reads_uploads_downloads_and_deletes(api_client, role, expected):
    document = DocumentFactory()
    if role:
        api_client.force_authenticate(UserFactory(role=role))

    answers = [
        api_client.get(URL).status_code,
        api_client.get(f"{URL}{document.pk}/").status_code,
        api_client.get(reverse("api:document-download", args=[document.pk])).status_code,
        upload(api_client).status_code,
        api_client.delete(f"{URL}{document.pk}/").status_code,
    ]

    assert answers == [expected] * 5
    assert list(Document.objects.all()) == [document]


def test_the_page_and_the_api_refuse_the_same_download(client, api_client):
    """The page's document_download and the API's download: office staff only."""
    document = DocumentFactory()
    council = UserFactory(role=Role.COUNCIL)
    client.force_login(council)
    api_client.force_authenticate(council)

    assert client.get(reverse("partners:document-download", args=[document.pk])).status_code == 403
    assert api_client.get(reverse("api:document-download", args=[document.pk])).status_code == 403


def test_the_upload_is_documented_as_multipart(admin_api):
    schema = admin_api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    body = schema["paths"]["/api/documents/"]["post"]["requestBody"]["content"]
    download = schema["paths"]["/api/documents/{id}/download/"]["get"]["responses"]["200"]["content"]

    assert set(body) == {"multipart/form-data"}
    assert set(download) == {"application/pdf", "image/jpeg", "image/png"}
