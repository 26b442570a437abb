"""Four eyes on grant money: whoever approved a trip grant cannot also book its
payment (``OIA_GRANT_FOUR_EYES``, on by default); an administrator may, with a
reason that is recorded, shown in the grant's history and written to the
security log. Through the service, the office's page and the API."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from budget.models import Expense, GrantApplication, GrantStatus
from budget.services import grants
from oia.roles import Role
from tests.factories import BudgetLineFactory, GrantApplicationFactory, UserFactory
from tests.second_factor import sign_in

pytestmark = pytest.mark.django_db

REASON = "The treasurer is on leave until the trip; the club needs the money now."


@pytest.fixture
def approver():
    return UserFactory(username="approver", first_name="Anna", last_name="Approver", role=Role.STAFF)


@pytest.fixture
def administrator():
    return UserFactory(username="chief", first_name="Carla", last_name="Chief", role=Role.ADMIN)


def _approved(by):
    """A grant of 1,000 approved by ``by`` on a grants line."""
    line = BudgetLineFactory(name="Club grants", category="grants", planned=10000)
    application = GrantApplicationFactory()
    return grants.grant_approve(application=application, by=by, approved_amount=Decimal("1000"), budget_line=line)


def _paid(application) -> bool:
    return Expense.objects.filter(grant=application).exists()


# --- the service ---------------------------------------------------------------


def test_the_approver_cannot_book_the_payment(approver):
    application = _approved(approver)

    with pytest.raises(ValidationError) as refused:
        grants.grant_pay(application=application, by=approver)

    assert "another member of the office must book its payment" in str(refused.value.message_dict)
    assert not _paid(application)
    assert GrantApplication.objects.get(pk=application.pk).status == GrantStatus.APPROVED


def test_a_reason_does_not_let_a_staff_member_pay_what_they_approved(approver):
    application = _approved(approver)

    with pytest.raises(ValidationError, match="four-eyes"):
        grants.grant_pay(application=application, by=approver, four_eyes_override_reason=REASON)

    assert not _paid(application)


def test_another_staff_member_books_the_payment(approver, security_log):
    application = _approved(approver)
    treasurer = UserFactory(role=Role.STAFF)

    grants.grant_pay(application=application, by=treasurer)

    paid = GrantApplication.objects.get(pk=application.pk)
    assert paid.status == GrantStatus.PAID
    assert (paid.four_eyes_override_by, paid.four_eyes_override_reason) == (None, "")
    assert not security_log.events("grant_four_eyes_override")


def test_an_administrator_who_approved_needs_a_reason(administrator):
    application = _approved(administrator)

    with pytest.raises(ValidationError) as refused:
        grants.grant_pay(application=application, by=administrator, four_eyes_override_reason="   ")

    assert "give the reason" in str(refused.value.message_dict["four_eyes_override_reason"])
    assert not _paid(application)


def test_an_administrators_override_with_a_reason_is_recorded_and_logged(administrator, security_log):
    application = _approved(administrator)

    grants.grant_pay(application=application, by=administrator, four_eyes_override_reason=f"  {REASON} ")

    paid = GrantApplication.objects.get(pk=application.pk)
    assert paid.status == GrantStatus.PAID
    assert _paid(application)
    assert (paid.four_eyes_override_by, paid.four_eyes_override_reason) == (administrator, REASON)
    [event] = security_log.events("grant_four_eyes_override")
    assert (event["user"], event["grant"], event["reason"], event["level"]) == (
        "chief",
        application.pk,
        REASON,
        "WARNING",
    )


def test_with_the_rule_off_the_approver_books_the_payment(approver, settings, security_log):
    settings.OIA_GRANT_FOUR_EYES = False
    application = _approved(approver)

    grants.grant_pay(application=application, by=approver)

    assert GrantApplication.objects.get(pk=application.pk).status == GrantStatus.PAID
    assert not security_log.events("grant_four_eyes_override")


# --- the office's page -------------------------------------------------------------


def _pay_on_the_page(client, application, **data):
    return client.post(reverse("budget:grant-detail", args=[application.pk]), {"action": "pay", **data})


def test_the_page_tells_the_approver_and_refuses_their_payment(client, approver):
    application = _approved(approver)
    client.force_login(approver)

    page = client.get(reverse("budget:grant-detail", args=[application.pk])).content.decode()
    response = _pay_on_the_page(client, application)

    assert 'id="four-eyes-note"' in page
    assert 'id="pay-form"' not in page
    assert response.status_code == 200
    assert "another member of the office must book its payment" in response.content.decode()
    assert not _paid(application)


def test_the_page_lets_another_staff_member_pay(client, approver):
    application = _approved(approver)
    client.force_login(UserFactory(role=Role.STAFF))

    response = _pay_on_the_page(client, application)

    assert response.status_code == 302
    assert _paid(application)


def test_the_page_asks_the_approving_administrator_for_a_reason(client, administrator):
    application = _approved(administrator)
    sign_in(client, administrator)

    page = client.get(reverse("budget:grant-detail", args=[application.pk])).content.decode()
    refused = _pay_on_the_page(client, application, four_eyes_override_reason="")

    assert 'name="four_eyes_override_reason"' in page
    assert refused.status_code == 200
    assert 'id="id_four_eyes_override_reason_error"' in refused.content.decode()
    assert "give the reason" in refused.content.decode()
    assert not _paid(application)


def test_the_page_records_the_override_and_shows_it_in_the_history(client, administrator, security_log):
    application = _approved(administrator)
    sign_in(client, administrator)

    response = _pay_on_the_page(client, application, four_eyes_override_reason=REASON)
    page = client.get(reverse("budget:grant-detail", args=[application.pk])).content.decode()

    assert response.status_code == 302
    assert GrantApplication.objects.get(pk=application.pk).four_eyes_override_reason == REASON
    assert "Paid by the administrator who approved it (Carla Chief), overriding the four-eyes rule" in page
    assert REASON in page
    assert security_log.events("grant_four_eyes_override")[0]["path"] == reverse(
        "budget:grant-detail", args=[application.pk]
    )


# --- the API -----------------------------------------------------------------------


def _pay_through_the_api(api_client, application, **data):
    return api_client.post(reverse("api:grant-application-pay", args=[application.pk]), data, format="json")


def test_the_api_refuses_the_approver_with_a_400(api_client, approver):
    application = _approved(approver)
    api_client.force_authenticate(approver)

    response = _pay_through_the_api(api_client, application)

    assert response.status_code == 400
    assert "four-eyes" in response.json()["four_eyes_override_reason"][0]
    assert not _paid(application)


def test_the_api_lets_another_staff_member_pay(api_client, approver):
    application = _approved(approver)
    api_client.force_authenticate(UserFactory(role=Role.STAFF))

    response = _pay_through_the_api(api_client, application)

    assert response.status_code == 200
    assert response.json()["status"] == "paid"


def test_the_api_takes_the_administrators_reason_and_shows_it_to_the_office(api_client, administrator, security_log):
    application = _approved(administrator)
    api_client.force_authenticate(administrator)

    without = _pay_through_the_api(api_client, application)
    response = _pay_through_the_api(api_client, application, four_eyes_override_reason=REASON)

    assert without.status_code == 400
    assert "give the reason" in without.json()["four_eyes_override_reason"][0]
    assert response.status_code == 200
    assert (response.json()["four_eyes_override_by"], response.json()["four_eyes_override_reason"]) == (
        "chief",
        REASON,
    )
    assert len(security_log.events("grant_four_eyes_override")) == 1


def test_the_api_with_the_rule_off_lets_the_approver_pay(api_client, approver, settings):
    settings.OIA_GRANT_FOUR_EYES = False
    application = _approved(approver)
    api_client.force_authenticate(approver)

    assert _pay_through_the_api(api_client, application).status_code == 200


def test_the_club_never_sees_the_override(api_client, client, administrator):
    application = _approved(administrator)
    grants.grant_pay(application=application, by=administrator, four_eyes_override_reason=REASON)
    leader = UserFactory(role=Role.CLUB_LEADER)
    application.club.leaders.add(leader)
    api_client.force_authenticate(leader)
    client.force_login(leader)

    answer = api_client.get(reverse("api:grant-application-detail", args=[application.pk]))
    page = client.get(reverse("portal:grant-detail", args=[application.pk]))

    assert answer.status_code == 200
    assert page.status_code == 200
    assert "four_eyes_override_reason" not in answer.json()
    assert REASON not in answer.content.decode()
    assert REASON not in page.content.decode()
