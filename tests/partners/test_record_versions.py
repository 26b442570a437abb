"""Sub-partnerships and trilateral links carry a version, like a delegation's
records: an edit or a removal names the version it read, on the pages (a
hidden field of the form and of the delete confirmation) and through the API
(in the body, or ``?version=`` to remove), and is refused if someone saved
the record in between (services.sub_records). A fresh one goes through and
moves the version on."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from partners import services
from partners.models import SubPartnership, TrilateralLink
from tests.factories import CityFactory, PartnershipFactory, SubPartnershipFactory, TrilateralLinkFactory

STALE = "Someone else changed this"

# url name prefix, factory, a valid page form, a change through the API, the field that shows it
RECORDS = {
    "sub-partnership": (
        SubPartnershipFactory,
        {"kind": "school", "local_institution": "Goethe-Gymnasium", "partner_institution": "Lycée Ampère"},
        {"partner_institution": "Lycée Jean Moulin"},
        "partner_institution",
    ),
    "trilateral-link": (
        TrilateralLinkFactory,
        {"third_city": "", "note": "Choirs of the three cities"},
        {"note": "Choirs of the three cities"},
        "note",
    ),
}
MODELS = {"sub-partnership": SubPartnership, "trilateral-link": TrilateralLink}
API = {"sub-partnership": "/api/sub-partnerships/", "trilateral-link": "/api/trilateral-links/"}


def page_url(name, action, record):
    return reverse(f"partners:{name}-{action}", args=[record.pk])


def page_form(name, record) -> dict:
    form = dict(RECORDS[name][1])
    if name == "trilateral-link":
        form["linked_partnership"] = record.linked_partnership_id
    return form


def api_url(name, record):
    return f"{API[name]}{record.pk}/"


def someone_saved(name, record):
    MODELS[name].objects.filter(pk=record.pk).update(version=2)


# --- the pages: editing ----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(RECORDS))
def test_the_edit_form_carries_the_records_version(staff_client, name):
    record = RECORDS[name][0]()
    MODELS[name].objects.filter(pk=record.pk).update(version=3)

    page = staff_client.get(page_url(name, "edit", record)).content.decode()

    assert 'type="hidden" name="version" value="3"' in page


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(RECORDS))
def test_the_add_form_has_no_version(staff_client, name):
    partnership = PartnershipFactory()

    page = staff_client.get(reverse(f"partners:{name}-create", args=[partnership.pk])).content.decode()

    assert 'name="version"' not in page


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(RECORDS))
def test_an_edit_at_the_version_shown_is_saved_and_moves_the_version_on(staff_client, name):
    record = RECORDS[name][0]()
    field = RECORDS[name][3]

    response = staff_client.post(page_url(name, "edit", record), {**page_form(name, record), "version": 1})

    assert response.status_code == 302
    assert response["Location"] == reverse("partners:partnership-detail", args=[record.partnership_id])
    record.refresh_from_db()
    assert getattr(record, field) == RECORDS[name][1][field]
    assert record.version == 2


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(RECORDS))
def test_a_stale_edit_on_the_page_is_refused_and_keeps_what_the_user_typed(staff_client, name):
    record = RECORDS[name][0]()
    field = RECORDS[name][3]
    before = getattr(record, field)
    someone_saved(name, record)

    response = staff_client.post(page_url(name, "edit", record), {**page_form(name, record), "version": 1})

    page = response.content.decode()
    assert response.status_code == 200
    assert STALE in page
    assert RECORDS[name][1][field] in page
    record.refresh_from_db()
    assert (getattr(record, field), record.version) == (before, 2)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(RECORDS))
def test_an_edit_that_names_no_version_is_refused(staff_client, name):
    record = RECORDS[name][0]()

    response = staff_client.post(page_url(name, "edit", record), page_form(name, record))

    assert response.status_code == 200
    assert STALE in response.content.decode()
    assert MODELS[name].objects.get(pk=record.pk).version == 1


@pytest.mark.django_db
def test_a_second_edit_from_the_same_old_page_is_refused(staff_client):
    """Two colleagues open the same link; the first save wins, the second is refused."""
    link = TrilateralLinkFactory(note="Old note")
    url = page_url("trilateral-link", "edit", link)
    form = {"linked_partnership": link.linked_partnership_id, "third_city": "", "version": 1}

    first = staff_client.post(url, {**form, "note": "First colleague"})
    second = staff_client.post(url, {**form, "note": "Second colleague"})

    assert first.status_code == 302
    assert second.status_code == 200
    assert STALE in second.content.decode()
    link.refresh_from_db()
    assert (link.note, link.version) == ("First colleague", 2)


@pytest.mark.django_db
def test_the_model_rules_still_apply_to_a_fresh_edit(staff_client):
    link = TrilateralLinkFactory()

    response = staff_client.post(
        page_url("trilateral-link", "edit", link),
        {"linked_partnership": link.linked_partnership_id, "third_city": CityFactory().pk, "version": 1},
    )

    assert response.status_code == 200
    assert "Link either another partnership or a third city, not both." in response.content.decode()
    assert TrilateralLink.objects.get(pk=link.pk).version == 1


# --- the pages: deleting ---------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(RECORDS))
def test_the_delete_question_carries_the_version_and_a_fresh_delete_goes_through(staff_client, name):
    record = RECORDS[name][0]()
    MODELS[name].objects.filter(pk=record.pk).update(version=4)

    question = staff_client.get(page_url(name, "delete", record)).content.decode()
    response = staff_client.post(page_url(name, "delete", record), {"version": 4})

    assert "This cannot be undone." in question
    assert 'type="hidden" name="version" value="4"' in question
    assert response.status_code == 302
    assert response["Location"] == reverse("partners:partnership-detail", args=[record.partnership_id])
    assert not MODELS[name].objects.filter(pk=record.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(RECORDS))
@pytest.mark.parametrize("sent", [{"version": 1}, {}, {"version": "abc"}])
def test_a_record_changed_since_the_question_is_not_deleted(staff_client, name, sent):
    record = RECORDS[name][0]()
    someone_saved(name, record)

    response = staff_client.post(page_url(name, "delete", record), sent)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in page
    if sent != {"version": "abc"}:  # not a number: the form itself refuses it
        assert STALE in page
    assert MODELS[name].objects.filter(pk=record.pk).exists()


# --- the API ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(RECORDS))
def test_a_record_is_changed_and_removed_through_the_api_at_its_version(staff_api, name):
    record = RECORDS[name][0]()
    change = RECORDS[name][2]

    read = staff_api.get(api_url(name, record)).json()
    changed = staff_api.patch(api_url(name, record), {**change, "version": read["version"]}, format="json")
    stale = staff_api.delete(f"{api_url(name, record)}?version=1")
    removed = staff_api.delete(f"{api_url(name, record)}?version={changed.json()['version']}")

    assert read["version"] == 1
    assert changed.status_code == 200, changed.json()
    assert changed.json()["version"] == 2
    assert all(changed.json()[field] == value for field, value in change.items())
    assert stale.status_code == 400
    assert STALE in stale.json()["non_field_errors"][0]
    assert removed.status_code == 204
    assert not MODELS[name].objects.filter(pk=record.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(RECORDS))
@pytest.mark.parametrize("method", ["patch", "put"])
def test_a_stale_edit_through_the_api_is_refused_and_the_newer_one_kept(staff_api, name, method):
    record = RECORDS[name][0]()
    field = RECORDS[name][3]
    before = getattr(record, field)
    someone_saved(name, record)
    body = {**RECORDS[name][2], "version": 1}
    if method == "put":
        body = {**staff_api.get(api_url(name, record)).json(), **body}

    response = getattr(staff_api, method)(api_url(name, record), body, format="json")

    assert response.status_code == 400
    assert STALE in response.json()["non_field_errors"][0]
    record.refresh_from_db()
    assert (getattr(record, field), record.version) == (before, 2)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(RECORDS))
def test_a_fresh_put_replaces_the_record(staff_api, name):
    record = RECORDS[name][0]()
    body = {**staff_api.get(api_url(name, record)).json(), **RECORDS[name][2], "version": 1}

    response = staff_api.put(api_url(name, record), body, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2
    field = RECORDS[name][3]
    assert getattr(MODELS[name].objects.get(pk=record.pk), field) == RECORDS[name][2][field]


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(RECORDS))
def test_an_api_edit_without_a_version_is_refused(staff_api, name):
    record = RECORDS[name][0]()

    response = staff_api.patch(api_url(name, record), RECORDS[name][2], format="json")

    assert response.status_code == 400
    assert response.json() == {"version": ["Send the version you read, so no edit is lost."]}
    assert MODELS[name].objects.get(pk=record.pk).version == 1


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(RECORDS))
@pytest.mark.parametrize(
    "query", ["", "?version=", "?version=0", "?version=-1", "?version=abc", "?version=99999999999"]
)
def test_an_api_removal_without_a_valid_version_is_refused(staff_api, name, query):
    record = RECORDS[name][0]()

    response = staff_api.delete(api_url(name, record) + query)

    assert response.status_code == 400
    assert "version" in response.json()
    assert MODELS[name].objects.filter(pk=record.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(RECORDS))
def test_a_new_record_starts_at_version_one_whatever_the_client_sends(staff_api, name):
    partnership = PartnershipFactory()
    body = {"partnership": partnership.pk, "version": 7}
    if name == "sub-partnership":
        body.update(kind="school", local_institution="Goethe-Gymnasium", partner_institution="Lycée Ampère")
    else:
        body.update(linked_partnership=PartnershipFactory().pk, note="Choirs")

    response = staff_api.post(API[name], body, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["version"] == 1
    assert MODELS[name].objects.get(pk=response.json()["id"]).version == 1


# --- the service -----------------------------------------------------------------


@pytest.mark.django_db
def test_the_service_refuses_to_move_a_record_to_another_partnership():
    sub = SubPartnershipFactory()

    with pytest.raises(TypeError):
        services.partnership_record_update(record=sub, version=1, partnership=PartnershipFactory())

    assert SubPartnership.objects.get(pk=sub.pk).partnership_id == sub.partnership_id


def test_two_simultaneous_edits_of_the_same_version_let_only_one_through(transactional_db):
    sub = SubPartnershipFactory(partner_institution="Lycée Ampère")
    barrier = threading.Barrier(2)
    outcomes = []

    def edit(text):
        try:
            barrier.wait()
            services.partnership_record_update(
                record=SubPartnership.objects.get(pk=sub.pk), version=1, partner_institution=text
            )
            outcomes.append("saved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(text,)) for text in ("Lycée A", "Lycée B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["refused", "saved"]
    sub.refresh_from_db()
    assert (sub.partner_institution in {"Lycée A", "Lycée B"}, sub.version) == (True, 2)
