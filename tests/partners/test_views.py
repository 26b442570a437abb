"""Partnership pages for office staff: list, detail, forms, documents."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners.models import City, Document, Partnership, StatusChange
from tests.factories import (
    CityFactory,
    ClubFactory,
    ContactFactory,
    DocumentFactory,
    PartnershipFactory,
    SubPartnershipFactory,
)
from tests.pages import section

LIST_QUERIES = 10


def make_partnerships(count):
    for _ in range(count):
        partnership = PartnershipFactory()
        ClubFactory(partnerships=[partnership])


@pytest.mark.parametrize("count", [1, 200])
def test_list_runs_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries, count):
    make_partnerships(count)

    with django_assert_max_num_queries(LIST_QUERIES):
        response = staff_client.get(reverse("partners:partnership-list"), {"status": "active"})

    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == count


def test_list_shows_status_in_words_and_filters(staff_client):
    PartnershipFactory(partner_city=CityFactory(name="Łódź", country="PL"), status="frozen")
    PartnershipFactory(partner_city=CityFactory(name="Lyon", country="FR"))

    html = staff_client.get(reverse("partners:partnership-list"), {"q": "lodz"}).content.decode()

    assert "Łódź" in html
    assert "Lyon" not in html
    assert '<span class="status status-frozen">Frozen</span>' in html


def test_sortable_column_announces_its_order(staff_client):
    PartnershipFactory()

    html = staff_client.get(reverse("partners:partnership-list"), {"ordering": "city"}).content.decode()

    assert '<th scope="col" aria-sort="ascending"><a href="?ordering=-city">City</a>' in html


def test_detail_shows_history_subpartnerships_clubs_contacts_documents(staff_client):
    partnership = PartnershipFactory(
        partner_city=CityFactory(name="Kraków", country="PL"),
        formalised_on=datetime.date(1991, 1, 1),
        formalised_year_only=True,
    )
    StatusChange.objects.create(
        partnership=partnership,
        status="dormant",
        effective_on=datetime.date(2018, 1, 1),
        reason="No exchanges since 2015.",
    )
    SubPartnershipFactory(
        partnership=partnership,
        local_institution="Goethe-Universität",
        partner_institution="Uniwersytet Jagielloński",
        since=datetime.date(1994, 1, 1),
    )
    ClubFactory(name="Freundeskreis Frankfurt–Kraków e.V.", partnerships=[partnership])
    ContactFactory(partnership=partnership, name="Anna Nowak")
    DocumentFactory(partnership=partnership, title="Agreement of 1991")

    html = staff_client.get(reverse("partners:partnership-detail", args=[partnership.pk])).content.decode()

    for text in [
        "<h1>Kraków",
        "No exchanges since 2015.",
        "Uniwersytet Jagielloński",
        "Freundeskreis Frankfurt–Kraków e.V.",
        "Anna Nowak",
        "Agreement of 1991",
        "1991",
    ]:
        assert text in html
    assert html.index("No exchanges since 2015.") < html.index("Formalised."), "timeline is newest first"


def test_create_partnership_with_only_a_year(staff_client):
    city = CityFactory(name="Eskişehir", country="TR")

    response = staff_client.post(
        reverse("partners:partnership-create"), {"partner_city": city.pk, "kind": "twinning", "formalised": "2013"}
    )

    partnership = Partnership.objects.get(partner_city=city)
    assert response.status_code == 302
    assert partnership.formalised_on == datetime.date(2013, 1, 1)
    assert partnership.formalised_year_only
    assert partnership.status_changes.get().status == "active"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"formalised": "next year"}, "Enter a year"),
        ({"formalised": "2999"}, "cannot be in the future"),
        ({"formalised": "2010-05-01", "kind": "project", "ends_on": "2009-01-01"}, "must be after"),
    ],
)
def test_create_form_explains_what_is_wrong_and_writes_nothing(staff_client, data, message):
    city = CityFactory()

    response = staff_client.post(
        reverse("partners:partnership-create"), {"partner_city": city.pk, "kind": "twinning", **data}
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Partnership.objects.exists()


def test_duplicate_open_partnership_is_refused(staff_client):
    existing = PartnershipFactory()

    response = staff_client.post(
        reverse("partners:partnership-create"),
        {"partner_city": existing.partner_city.pk, "kind": "twinning", "formalised": "2001"},
    )

    assert "already a partnership with this city" in response.content.decode()
    assert Partnership.objects.count() == 1


def test_edit_with_a_stale_version_is_refused(staff_client):
    partnership = PartnershipFactory(notes="kept")
    form = {
        "partner_city": partnership.partner_city.pk,
        "kind": "twinning",
        "formalised": "1990-05-12",
        "version": partnership.version,
    }
    staff_client.post(reverse("partners:partnership-edit", args=[partnership.pk]), {**form, "notes": "first"})

    response = staff_client.post(reverse("partners:partnership-edit", args=[partnership.pk]), {**form, "notes": "late"})

    assert response.status_code == 200
    assert "Someone else changed this partnership" in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.notes == "first"


def test_status_change_form_records_and_redirects_to_the_timeline(staff_client):
    partnership = PartnershipFactory()

    response = staff_client.post(
        reverse("partners:partnership-status", args=[partnership.pk]),
        {
            "status": "dormant",
            "effective_on": "2024-03-01",
            "reason": "No activity for years.",
        },
    )

    assert response.status_code == 302
    assert response["Location"].endswith("#timeline")
    assert partnership.status_history().first().reason == "No activity for years."


def test_document_upload_refuses_other_file_types(staff_client):
    partnership = PartnershipFactory()
    bad = SimpleUploadedFile("agreement.exe", b"MZ", content_type="application/octet-stream")

    response = staff_client.post(
        reverse("partners:document-create", args=[partnership.pk]),
        {"kind": "agreement", "title": "Agreement", "file": bad},
    )

    assert response.status_code == 200
    assert "File extension" in response.content.decode()
    assert not Document.objects.exists()


def test_document_download_is_an_attachment_for_staff(staff_client):
    document = DocumentFactory()

    response = staff_client.get(reverse("partners:document-download", args=[document.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_trilateral_link_needs_exactly_one_target(staff_client):
    partnership = PartnershipFactory(partner_city=CityFactory(name="Bethlehem", country="PS"))
    tel_aviv = PartnershipFactory(partner_city=CityFactory(name="Tel Aviv-Yafo", country="IL"))
    url = reverse("partners:trilateral-link-create", args=[partnership.pk])

    both = staff_client.post(url, {"linked_partnership": tel_aviv.pk, "third_city": CityFactory().pk})
    one = staff_client.post(url, {"linked_partnership": tel_aviv.pk, "note": "Köln–Bethlehem–Tel Aviv model"})

    assert "not both" in both.content.decode()
    assert one.status_code == 302
    link = partnership.trilateral_links.get()
    assert link.linked_partnership == tel_aviv
    detail = staff_client.get(reverse("partners:partnership-detail", args=[partnership.pk])).content.decode()
    assert "Tel Aviv-Yafo" in detail


def test_contact_can_be_edited_and_deleted(staff_client):
    contact = ContactFactory(name="Anna Nowak")

    staff_client.post(reverse("partners:contact-edit", args=[contact.pk]), {"name": "Anna Nowak-Kowalska"})
    contact.refresh_from_db()
    assert contact.name == "Anna Nowak-Kowalska"

    response = staff_client.post(reverse("partners:contact-delete", args=[contact.pk]))

    assert response.status_code == 302
    assert not type(contact).objects.filter(pk=contact.pk).exists()


def test_deleting_a_document_removes_its_file(staff_client):
    document = DocumentFactory()
    storage, name = document.file.storage, document.file.name
    assert storage.exists(name)

    staff_client.post(reverse("partners:document-delete", args=[document.pk]))

    assert not Document.objects.filter(pk=document.pk).exists()
    assert not storage.exists(name)


def test_sub_partnership_can_be_marked_inactive(staff_client):
    sub = SubPartnershipFactory(active=True)

    staff_client.post(
        reverse("partners:sub-partnership-edit", args=[sub.pk]),
        {
            "kind": sub.kind,
            "local_institution": sub.local_institution,
            "partner_institution": sub.partner_institution,
            "active": "",
            "version": sub.version,
        },
    )

    sub.refresh_from_db()
    assert sub.active is False


@pytest.mark.parametrize("count", [1, 200])
def test_club_list_runs_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries, count):
    make_partnerships(count)

    with django_assert_max_num_queries(10):  # +2: the partnerships and associations of the filter form
        response = staff_client.get(reverse("partners:club-list"))

    assert response.status_code == 200
    assert response.context["paginator"].count == count


YEAR_MESSAGE = "Enter a year from 1900 to 2200."


@pytest.mark.parametrize("value", ["0", "99999", "1e16"])
@pytest.mark.parametrize(
    ("url", "name"),
    [
        (reverse("partners:partnership-list"), "formalised_from"),
        (reverse("partners:partnership-list"), "formalised_to"),
        (reverse("partners:exchange-list"), "year"),
    ],
)
def test_a_list_with_a_year_out_of_bounds_shows_the_error_and_answers_400(staff_client, url, name, value):
    PartnershipFactory()

    response = staff_client.get(url, {name: value})

    assert response.status_code == 400
    assert YEAR_MESSAGE in response.content.decode()
    assert not response.context["object_list"]


def test_a_list_with_a_wrong_yes_no_filter_answers_400(staff_client):
    response = staff_client.get(reverse("partners:partnership-list"), {"has_club": "2"})

    assert response.status_code == 400
    assert "Enter true or false." in response.content.decode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_with_a_year_out_of_bounds_answers_400_in_words(staff_client, fmt):
    response = staff_client.get(reverse("partners:partnership-export", args=[fmt]), {"formalised_to": "1e16"})

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == f"Formalised until (year): {YEAR_MESSAGE}"


def test_a_status_change_reason_with_a_control_character_is_refused_on_the_form(staff_client):
    partnership = PartnershipFactory()

    response = staff_client.post(
        reverse("partners:partnership-status", args=[partnership.pk]),
        {"status": "dormant", "effective_on": "2024-03-01", "reason": "No activity\x0bfor years."},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == [
        "This text contains invisible control characters (often copied from another program). "
        "Remove them and try again."
    ]
    assert partnership.status_changes.count() == 1  # only the first status


def test_a_city_name_on_two_lines_is_refused_on_the_form(staff_client):
    response = staff_client.post(reverse("partners:city-create"), {"name": "Lyon\r\nMétropole", "country": "FR"})

    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["Write this on one line, without line breaks or tabs."]
    assert not City.objects.filter(country="FR").exists()


# --- the object page (summary, actions, section nav) --------------------------


def detail_html(client, partnership) -> str:
    return client.get(reverse("partners:partnership-detail", args=[partnership.pk])).content.decode()


def test_the_page_has_a_summary_beside_its_actions_and_a_section_nav(staff_client):
    partnership = PartnershipFactory(partner_city=CityFactory(name="Kraków", country="PL"), status="dormant")

    html = detail_html(staff_client, partnership)

    assert '<div class="object-header">' in html
    assert '<span class="status status-dormant">Dormant</span>' in section_header(html)
    summary = section(html, "summary")
    assert "Formalised" in summary
    assert "Responsible officer" in summary
    actions = section(html, "actions")
    for url in [
        reverse("partners:partnership-edit", args=[partnership.pk]),
        reverse("partners:city-edit", args=[partnership.partner_city.pk]),
        reverse("partners:partnership-status", args=[partnership.pk]),
    ]:
        assert f'href="{url}"' in actions
    assert 'class="section-nav"' in html
    for anchor in ["timeline", "delegations", "exchanges", "sub-partnerships", "clubs", "contacts", "documents"]:
        assert f'<a href="#{anchor}">' in html
        assert f'id="{anchor}"' in html


def section_header(html):
    return html[html.index('<div class="object-header">') : html.index('<div class="object-page">')]


def test_the_actions_offer_only_the_status_steps_from_the_current_status(staff_client):
    dormant = PartnershipFactory(status="dormant")

    actions = section(detail_html(staff_client, dormant), "actions")

    status_url = reverse("partners:partnership-status", args=[dormant.pk])
    assert f'href="{status_url}?status=active"' in actions
    assert f'href="{status_url}?status=frozen"' in actions
    assert "?status=dormant" not in actions, "not the status it has"
    assert 'id="end-partnership"' in actions
    assert "data-confirm=" in actions, "ending asks first"


def test_an_ended_partnership_offers_no_end_step(staff_client):
    ended = PartnershipFactory(status="ended")

    actions = section(detail_html(staff_client, ended), "actions")

    assert 'id="end-partnership"' not in actions
    assert "End the partnership" not in actions
    assert "?status=active" in actions, "it may be taken up again"


def test_the_status_form_opens_with_the_step_chosen_and_ignores_an_unknown_one(staff_client):
    partnership = PartnershipFactory()
    url = reverse("partners:partnership-status", args=[partnership.pk])

    chosen = staff_client.get(url, {"status": "frozen"})
    unknown = staff_client.get(url, {"status": "<script>"})

    assert chosen.context["form"]["status"].value() == "frozen"
    assert unknown.status_code == 200
    assert unknown.context["form"]["status"].value() is None


def test_ending_from_the_page_records_the_end_with_its_reason(staff_client):
    partnership = PartnershipFactory()

    response = staff_client.post(
        reverse("partners:partnership-status", args=[partnership.pk]),
        {"status": "ended", "effective_on": datetime.date.today().isoformat(), "reason": "The council decided so."},
    )

    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.current_status == "ended"


def test_deletes_ask_in_a_dialog_and_fall_back_to_their_confirmation_page(staff_client):
    partnership = PartnershipFactory()
    sub = SubPartnershipFactory(partnership=partnership, local_institution="Goethe-Schule")
    contact = ContactFactory(partnership=partnership, name="Anna Nowak")

    html = detail_html(staff_client, partnership)

    sub_url = reverse("partners:sub-partnership-delete", args=[sub.pk])
    form_id = f"partners-sub-partnership-delete-{sub.pk}"
    assert f'<a href="{sub_url}" data-confirm="Do you really want to delete' in html
    assert f'data-confirm-form="{form_id}"' in html
    assert f'<form id="{form_id}" method="post" action="{sub_url}" hidden>' in html
    assert f'<input type="hidden" name="version" value="{sub.version}">' in html
    contact_url = reverse("partners:contact-delete", args=[contact.pk])
    assert f'<a href="{contact_url}" data-confirm="Do you really want to delete “Anna Nowak”?' in html


@pytest.mark.parametrize(("client_fixture", "shown"), [("staff_client", False), ("admin_client", True)])
def test_only_administrators_see_a_contact_s_export_and_anonymising(db, request, client_fixture, shown):
    contact = ContactFactory(name="Anna Nowak")
    client = request.getfixturevalue(client_fixture)

    html = detail_html(client, contact.partnership)

    assert (reverse("partners:contact-export", args=[contact.pk]) in html) is shown
    assert (reverse("partners:contact-anonymise", args=[contact.pk]) in html) is shown
