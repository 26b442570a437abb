"""Personal data, declared once (oia.personal_data): every field of the
project's models that looks personal is declared or on a reviewed allowlist,
and the record of processing activities (Art. 30 GDPR) lists every declaration."""

import csv
import io
import re
from datetime import datetime

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.test.utils import isolate_apps
from django.urls import reverse
from django.utils import timezone

from oia.personal_data import Category, PersonalField, Retention, declared, is_declared
from oia.roles import Role
from tests.second_factor import sign_in

PROJECT_APPS = ("oia", "partners", "delegations", "networks", "budget", "reports")

# A field whose name holds one of these words holds personal data, on any model.
PERSONAL_WORDS = {
    "name", "firstname", "lastname", "surname", "email", "mail", "phone", "mobile", "fax", "address",
    "street", "postcode", "birth", "birthday", "born", "needs", "dietary", "accessibility", "health",
    "religion", "gender", "nationality", "photo", "image", "picture", "avatar", "signature", "username",
    "ip", "contact", "payee", "host", "hosts", "counterpart", "counterparts",
}  # fmt: skip
# On a model about a person (one with a declared identity field), these do too:
# a person's title or function, notes on them, their affiliation.
PERSON_WORDS = {
    "title", "function", "position", "role", "note", "notes", "remark", "remarks", "comment",
    "caption", "organisation", "organization", "language", "country",
}  # fmt: skip

# Reviewed: these look personal but are not.
ALLOWLIST = {
    "oia.Notification.email_status": "whether the notification was emailed (the address is the user's)",
    "oia.Notification.email_attempts": "how often it was tried",
    "partners.City.name": "a place",
    "partners.City.local_name": "a place, in the local language",
    "partners.AreaOfCooperation.name": "a topic (culture, sport …)",
    "partners.Club.name": "a registered association, not a person; its contacts are declared",
    "partners.ClubAssociation.name": "an umbrella association of clubs, not a person; its contacts are declared",
    "delegations.Department.name": "a unit of the city administration",
    "delegations.Department.short_name": "a unit of the city administration",
    "delegations.Delegation.title": "the trip's title, set by the office",
    "delegations.Delegation.head_count_note": "how the head count is made up, by function, not by name",
    "delegations.Delegation.country": "the trip's destination",
    "delegations.ProgrammeItem.title": "an item of a programme (a visit, a meeting)",
    "networks.Network.name": "an organisation of cities",
    "budget.BudgetLine.name": "a line of the budget",
}


def _words(name: str) -> set[str]:
    return set(re.split(r"[_\W]+", name.lower())) | {name.lower().replace("_", "")}


def _person_model_labels() -> set[str]:
    """Models about a person: those with a declared identity field (a name, a reference to a person)."""
    return {d.model.lower() for d in declared() if d.category == Category.IDENTITY}


def _refers_to_person(field) -> bool:
    if not field.is_relation or field.related_model is None:
        return False
    target = field.related_model
    label = target if isinstance(target, str) else target._meta.label  # a string while not yet resolved
    return label.lower() in {settings.AUTH_USER_MODEL.lower(), "delegations.person"}


def undeclared_personal_fields(models_, *, allowlist=ALLOWLIST, person_models=None) -> list[str]:
    """The fields of ``models_`` that look personal yet are neither declared
    nor allowlisted: by name, as a file or image, or as a reference to a user
    or a person; on a model about a person, also a title, function or note."""
    person_models = _person_model_labels() if person_models is None else person_models
    missing = []
    for model in models_:
        about_person = model._meta.label_lower in person_models
        for field in model._meta.get_fields(include_hidden=False):
            if field.auto_created or not (field.concrete or field.many_to_many):
                continue
            label = f"{model._meta.label}.{field.name}"
            if label in allowlist or is_declared(model._meta.label, field.name):
                continue
            words = _words(field.name)
            looks_personal = (
                _refers_to_person(field)
                or isinstance(field, models.FileField)
                or (not field.is_relation and bool(words & PERSONAL_WORDS))
                or (about_person and not field.is_relation and bool(words & PERSON_WORDS))
            )
            if looks_personal:
                missing.append(label)
    return missing


def project_models():
    result = [get_user_model()]
    for app in PROJECT_APPS:
        result.extend(m for m in apps.get_app_config(app).get_models() if not m._meta.abstract)
    return result


def test_every_personal_looking_field_of_the_project_is_declared():
    assert undeclared_personal_fields(project_models()) == []


def test_the_allowlist_names_only_fields_that_exist_and_are_not_declared():
    for label in ALLOWLIST:
        app_model, field = label.rsplit(".", 1)
        apps.get_model(app_model)._meta.get_field(field)
        assert not is_declared(app_model, field), label


@isolate_apps("partners")
def test_a_model_that_gains_a_personal_field_fails_the_check():
    class Volunteer(models.Model):
        full_name = models.CharField(max_length=100)
        phone_number = models.CharField(max_length=30)
        date_of_birth = models.DateField()
        home_address = models.TextField()
        portrait = models.ImageField()
        account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
        position = models.CharField(max_length=100)
        notes = models.TextField()
        shifts = models.PositiveIntegerField()

        class Meta:
            app_label = "partners"

        def __str__(self):
            return self.full_name

    found = undeclared_personal_fields([Volunteer], person_models={"partners.volunteer"})

    assert found == [
        f"partners.Volunteer.{name}"
        for name in (
            "full_name",
            "phone_number",
            "date_of_birth",
            "home_address",
            "portrait",
            "account",
            "position",
            "notes",
        )
    ]
    # A title or a note on a model that is not about a person is not personal.
    assert undeclared_personal_fields([Volunteer], person_models=set()) == [
        f"partners.Volunteer.{name}"
        for name in ("full_name", "phone_number", "date_of_birth", "home_address", "portrait", "account")
    ]


def test_a_new_field_on_a_real_model_fails_the_check():
    """A field added to delegations' Person (as a migration would) is caught."""
    from delegations.models import Person

    field = models.CharField("mobile phone", max_length=30, blank=True)
    field.contribute_to_class(Person, "mobile_phone")
    try:
        assert undeclared_personal_fields([Person]) == ["delegations.Person.mobile_phone"]
    finally:
        Person._meta.local_fields.remove(field)
        Person._meta._expire_cache()
        delattr(Person, "mobile_phone")
    assert undeclared_personal_fields([Person]) == []


def test_every_declaration_names_a_real_field_and_a_real_setting():
    for declaration in declared():
        assert isinstance(declaration, PersonalField)
        assert declaration.field_object.name == declaration.field  # FieldDoesNotExist when it is gone
        assert declaration.category in Category.values
        if declaration.retention_setting:
            assert isinstance(getattr(settings, declaration.retention_setting), int)
        assert str(declaration.purpose)
        assert str(declaration.legal_basis)


def test_the_periods_are_machine_readable_and_follow_their_settings(settings):
    needs = next(d for d in declared() if d.key == ("delegations.person", "dietary_needs"))
    assert (needs.retention_setting, needs.retention.after, needs.retention.unit) == (
        "OIA_RETAIN_NEEDS_DAYS",
        "trip_ended",
        "days",
    )
    now = timezone.make_aware(datetime(2028, 2, 29, 12, 0))
    assert needs.retention.cutoff(now) == timezone.make_aware(datetime(2028, 1, 30, 12, 0))
    settings.OIA_RETAIN_NEEDS_DAYS = 10
    assert needs.retention.cutoff(now) == timezone.make_aware(datetime(2028, 2, 19, 12, 0))

    contacts = Retention("partnership_ended", "OIA_RETAIN_CONTACTS_AFTER_END_YEARS", unit="years")
    assert contacts.cutoff(now) == timezone.make_aware(datetime(2026, 2, 28, 12, 0))
    assert Retention("record_kept").cutoff(now) is None


def test_the_special_categories_are_the_needs_with_explicit_consent():
    special = {(d.model, d.field) for d in declared() if d.category == Category.SPECIAL}

    assert special == {("delegations.Person", "dietary_needs"), ("delegations.Person", "accessibility_needs")}
    assert all("9(2)(a)" in str(d.legal_basis) for d in declared() if d.category == Category.SPECIAL)


# The record of processing activities (Art. 30)


def test_the_record_lists_every_declared_field_with_its_purpose_and_period(admin_client, settings):
    settings.OIA_DATA_PROTECTION_OFFICER = "Dr. Dana Schutz, datenschutz@example.org"
    settings.OIA_RETAIN_NEEDS_DAYS = 21

    response = admin_client.get(reverse("privacy-record"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Record of processing activities (Art. 30 GDPR)</h1>" in html
    for declaration in declared():
        assert f"<code>{declaration.model}.{declaration.field}</code>" in html
    assert "Dr. Dana Schutz, datenschutz@example.org" in html
    assert f"City of {settings.OIA_HOME_CITY}" in html
    assert "21 days after the trip or visit ends" in html
    assert "<code>OIA_RETAIN_NEEDS_DAYS</code>" in html
    assert "Art. 9(2)(a) GDPR" in html
    assert 'id="activity-1"' in html


def test_the_record_says_when_no_data_protection_officer_is_set(admin_client, settings):
    settings.OIA_DATA_PROTECTION_OFFICER = ""

    html = admin_client.get(reverse("privacy-record")).content.decode()

    assert "OIA_DATA_PROTECTION_OFFICER" in html


def test_the_record_downloads_as_csv_with_every_declared_field(admin_client):
    response = admin_client.get(reverse("privacy-record-export", kwargs={"fmt": "csv"}))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Processing activity", "Record", "Field", "Technical name"]
    assert sorted(row[3] for row in rows[1:]) == sorted(f"{d.model}.{d.field}" for d in declared())
    needs = next(row for row in rows if row[3] == "delegations.Person.dietary_needs")
    assert needs[4] == "Special category (Art. 9 GDPR)"
    assert needs[8] == "OIA_RETAIN_NEEDS_DAYS"


def test_the_record_downloads_as_a_pdf_with_every_declared_field(admin_client):
    from pypdf import PdfReader

    response = admin_client.get(reverse("privacy-record-export", kwargs={"fmt": "pdf"}))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    flat = re.sub(r"\s+", "", text)
    for declaration in declared():
        assert f"{declaration.model}.{declaration.field}" in flat


def test_an_unknown_format_is_not_found(admin_client):
    assert admin_client.get(reverse("privacy-record-export", kwargs={"fmt": "xlsx"})).status_code == 404


@pytest.mark.parametrize("role", [Role.STAFF, Role.COUNCIL, Role.CLUB_LEADER, None])
@pytest.mark.parametrize("url", ["/privacy/record/", "/privacy/record.csv", "/privacy/record.pdf"])
def test_only_administrators_read_the_record(client, user_for_role, role, url):
    sign_in(client, user_for_role(role))

    assert client.get(url).status_code == 403


def test_the_administrators_navigation_links_the_record(admin_client, client, staff_user):
    link = f'href="{reverse("privacy-record")}"'
    assert link in admin_client.get(reverse("dashboard")).content.decode()
    client.logout()
    sign_in(client, staff_user)
    assert link not in client.get(reverse("dashboard")).content.decode()


def test_the_record_runs_a_fixed_number_of_queries(admin_client, django_assert_max_num_queries):
    """It is made from the declarations, not from the data: the session, the user and its roles only."""
    with django_assert_max_num_queries(5):
        assert admin_client.get(reverse("privacy-record")).status_code == 200
