"""Every URL of the project, asked for by every role, from the outside.

Each named URL must appear in MATRIX with the answer each role gets; a new
view that is not added here fails ``test_every_url_is_in_the_matrix``.
Expected answers: a status code, LOGIN (sent to the login page to come back
afterwards) or REDIRECT (any other redirect, such as after a POST).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLResolver, get_resolver, reverse

from budget.models import BudgetChange, GrantRules
from oia.models import Notification
from oia.roles import Role
from oia.tokens import Token
from tests.factories import (
    TEST_PASSWORD,
    AmbassadorActivityFactory,
    AmbassadorFactory,
    BudgetFactory,
    BudgetLineFactory,
    CityFactory,
    ClubAssociationFactory,
    ClubFactory,
    CommitmentFactory,
    ConsularPostFactory,
    ContactFactory,
    CoordinationCaseFactory,
    CostFactory,
    DelegationFactory,
    DepartmentFactory,
    DocumentFactory,
    EventCostFactory,
    EventFactory,
    ExchangeFactory,
    ExchangePhotoFactory,
    ExpenseFactory,
    GiftFactory,
    GrantApplicationFactory,
    GuestFactory,
    JubileePlanFactory,
    MembershipFactory,
    NationalDayObservanceFactory,
    NetworkActivityFactory,
    NetworkFactory,
    NetworkRoleFactory,
    OutcomeFactory,
    ParticipantFactory,
    PartnershipFactory,
    PersonFactory,
    ProgrammeItemFactory,
    ReportRequestFactory,
    ReportVersionFactory,
    SubPartnershipFactory,
    SupplementaryRequestFactory,
    TrilateralLinkFactory,
    UserFactory,
)
from tests.second_factor import recovery_code, sign_in

LOGIN = "login"
REDIRECT = "redirect"
ANONYMOUS = "anonymous"
User = get_user_model()
ALL_ROLES = [ANONYMOUS, *Role.values]

# Django's admin has its own access rule (is_staff), tested in test_admin_*.
EXCLUDED_NAMESPACES = ("admin:",)


@dataclass
class Case:
    expect: dict[str, object]
    method: str = "get"
    kwargs: dict | Callable[[], dict] = field(default_factory=dict)
    data: dict | None = None


def everyone(answer):
    return dict.fromkeys(ALL_ROLES, answer)


def office_only():
    return {ANONYMOUS: LOGIN, Role.CLUB_LEADER: 403, Role.COUNCIL: 403, Role.STAFF: 200, Role.ADMIN: 200}


def admin_only():
    return {ANONYMOUS: LOGIN, Role.CLUB_LEADER: 403, Role.COUNCIL: 403, Role.STAFF: 403, Role.ADMIN: 200}


def api_office_only():
    return {ANONYMOUS: 401, Role.CLUB_LEADER: 403, Role.COUNCIL: 403, Role.STAFF: 200, Role.ADMIN: 200}


def api_admin_only():
    return {**api_office_only(), Role.STAFF: 403}


def signed_in(answer=200, anonymous=LOGIN):
    return {**everyone(answer), ANONYMOUS: anonymous}


def other_users_token():
    return Token.objects.create(user=UserFactory())[0].token_key


def other_users_notification():
    return {"pk": Notification.objects.create(user=UserFactory(), text="Not yours").pk}


def leaders_only(leader_answer):
    return {ANONYMOUS: LOGIN, Role.CLUB_LEADER: leader_answer, Role.COUNCIL: 403, Role.STAFF: 403, Role.ADMIN: 403}


def api_leaders_too(leader_answer):
    """Office staff get 200; a club leader ``leader_answer``; council members 403."""
    return {**api_office_only(), Role.CLUB_LEADER: leader_answer}


MATRIX: dict[str, Case] = {
    "dashboard": Case(signed_in()),
    "healthz": Case(everyone(200)),
    # Readiness: no worker has sent a heartbeat in these tests, so not ready (tests/oia/test_health.py has the 200).
    "readyz": Case(everyone(503)),
    # Prometheus: by address, not by role (the test client's 127.0.0.1 is allowed; see tests/ops/test_metrics.py).
    "metrics": Case(everyone(200)),
    # Browsers report CSP violations here, signed in or not; any body is answered 204.
    "csp-report": Case(everyone(204), method="post", data={}),
    "notifications": Case(signed_in()),
    "login": Case({**everyone(REDIRECT), ANONYMOUS: 200}),
    "logout": Case(everyone(REDIRECT), method="post"),
    "password_change": Case(signed_in()),
    # Two-factor sign-in: offered to the office; the admin here has entered a code already.
    "two_factor": Case(office_only()),
    "two_factor_verify": Case(signed_in(REDIRECT)),
    "two_factor_enrol": Case({**office_only(), Role.ADMIN: REDIRECT}),
    "password_change_done": Case(signed_in()),
    # Each user's own API tokens; another user's token is not found.
    "tokens": Case(signed_in()),
    "token-revoke-all": Case(signed_in(REDIRECT), method="post"),
    "token-revoke": Case(signed_in(404), method="post", kwargs=lambda: {"token_key": other_users_token()}),
    # The record of processing activities (Art. 30 GDPR): administrators only.
    "privacy-record": Case(admin_only()),
    "privacy-record-export": Case(admin_only(), kwargs={"fmt": "csv"}),
    "activity": Case(admin_only()),
    # The searchable pickers' matches: office staff only, leaders never see other clubs' records.
    "search:results": Case(office_only(), kwargs={"kind": "cities"}),
    # The header's site-wide search, page and live suggestions: office staff only, like the pickers.
    "search:site": Case(office_only()),
    "search:suggestions": Case(office_only()),
    "activity-export": Case(admin_only()),
    "set_language": Case(everyone(REDIRECT), method="post", data={"language": "de", "next": "/"}),
    # Partner cities: office only. Club leaders reach their partnerships through the API and their portal.
    "partners:partnership-list": Case(office_only()),
    "partners:partnership-create": Case(office_only()),
    "partners:partnership-detail": Case(office_only(), kwargs=lambda: {"pk": PartnershipFactory().pk}),
    "partners:partnership-edit": Case(office_only(), kwargs=lambda: {"pk": PartnershipFactory().pk}),
    "partners:partnership-status": Case(office_only(), kwargs=lambda: {"pk": PartnershipFactory().pk}),
    "partners:sub-partnership-create": Case(office_only(), kwargs=lambda: {"pk": PartnershipFactory().pk}),
    "partners:contact-create": Case(office_only(), kwargs=lambda: {"pk": PartnershipFactory().pk}),
    "partners:contact-edit": Case(office_only(), kwargs=lambda: {"pk": ContactFactory().pk}),
    "partners:contact-delete": Case(office_only(), kwargs=lambda: {"pk": ContactFactory().pk}),
    "partners:document-delete": Case(office_only(), kwargs=lambda: {"pk": DocumentFactory().pk}),
    "partners:sub-partnership-edit": Case(office_only(), kwargs=lambda: {"pk": SubPartnershipFactory().pk}),
    "partners:sub-partnership-delete": Case(office_only(), kwargs=lambda: {"pk": SubPartnershipFactory().pk}),
    "partners:trilateral-link-create": Case(office_only(), kwargs=lambda: {"pk": PartnershipFactory().pk}),
    "partners:trilateral-link-edit": Case(office_only(), kwargs=lambda: {"pk": TrilateralLinkFactory().pk}),
    "partners:trilateral-link-delete": Case(office_only(), kwargs=lambda: {"pk": TrilateralLinkFactory().pk}),
    "partners:document-create": Case(office_only(), kwargs=lambda: {"pk": PartnershipFactory().pk}),
    "partners:document-download": Case(office_only(), kwargs=lambda: {"pk": DocumentFactory().pk}),
    "partners:city-create": Case(office_only()),
    "partners:city-detail": Case(office_only(), kwargs=lambda: {"pk": CityFactory().pk}),
    "partners:city-edit": Case(office_only(), kwargs=lambda: {"pk": CityFactory().pk}),
    "partners:club-list": Case(office_only()),
    "partners:club-create": Case(office_only()),
    "partners:club-edit": Case(office_only(), kwargs=lambda: {"pk": ClubFactory().pk}),
    "partners:club-association-list": Case(office_only()),
    "partners:club-association-create": Case(office_only()),
    "partners:club-association-detail": Case(office_only(), kwargs=lambda: {"pk": ClubAssociationFactory().pk}),
    "partners:club-association-edit": Case(office_only(), kwargs=lambda: {"pk": ClubAssociationFactory().pk}),
    "partners:club-association-delete": Case(office_only(), kwargs=lambda: {"pk": ClubAssociationFactory().pk}),
    "partners:anniversaries": Case(office_only()),
    "partners:anniversary-feed-settings": Case(office_only()),
    # The feed authenticates by its token alone: an unknown token is 404 for everyone.
    "partners:anniversaries-ical": Case(everyone(404), kwargs={"token": "not-a-valid-token"}),
    "partners:partnership-import": Case(office_only()),
    "partners:partnership-export": Case(office_only(), kwargs={"fmt": "csv"}),
    "partners:map": Case(office_only()),
    # Delegations and travel: office only.
    "delegations:delegation-list": Case(office_only()),
    "delegations:calendar": Case(office_only()),
    "delegations:delegations-ical": Case(everyone(404), kwargs={"token": "not-a-valid-token"}),
    "delegations:delegation-create": Case(office_only()),
    "delegations:delegation-detail": Case(office_only(), kwargs=lambda: {"pk": DelegationFactory().pk}),
    "delegations:delegation-edit": Case(office_only(), kwargs=lambda: {"pk": DelegationFactory().pk}),
    "delegations:delegation-transition": Case(
        {**office_only(), Role.STAFF: REDIRECT, Role.ADMIN: REDIRECT},
        method="post",
        kwargs=lambda: {"pk": DelegationFactory().pk},
        data={"to_status": "submitted"},
    ),
    "delegations:participant-create": Case(office_only(), kwargs=lambda: {"pk": DelegationFactory().pk}),
    "delegations:city-partnerships": Case(office_only()),
    "delegations:participant-delete": Case(office_only(), kwargs=lambda: {"pk": ParticipantFactory().pk}),
    "delegations:programme-item-create": Case(office_only(), kwargs=lambda: {"pk": DelegationFactory().pk}),
    "delegations:programme-item-edit": Case(office_only(), kwargs=lambda: {"pk": ProgrammeItemFactory().pk}),
    "delegations:programme-item-delete": Case(office_only(), kwargs=lambda: {"pk": ProgrammeItemFactory().pk}),
    "delegations:cost-create": Case(office_only(), kwargs=lambda: {"pk": DelegationFactory().pk}),
    "delegations:cost-edit": Case(office_only(), kwargs=lambda: {"pk": CostFactory().pk}),
    "delegations:cost-delete": Case(office_only(), kwargs=lambda: {"pk": CostFactory().pk}),
    "delegations:gift-create": Case(office_only(), kwargs=lambda: {"pk": DelegationFactory().pk}),
    "delegations:gift-list": Case(office_only()),
    "delegations:gift-export": Case(office_only(), kwargs={"fmt": "xlsx"}),
    "delegations:gift-edit": Case(office_only(), kwargs=lambda: {"pk": GiftFactory().pk}),
    "delegations:gift-delete": Case(office_only(), kwargs=lambda: {"pk": GiftFactory().pk}),
    "delegations:outcome-create": Case(office_only(), kwargs=lambda: {"pk": DelegationFactory().pk}),
    "delegations:outcome-edit": Case(office_only(), kwargs=lambda: {"pk": OutcomeFactory().pk}),
    "delegations:outcome-delete": Case(office_only(), kwargs=lambda: {"pk": OutcomeFactory().pk}),
    "delegations:briefing": Case(office_only(), kwargs=lambda: {"pk": DelegationFactory().pk}),
    "delegations:person-list": Case(office_only()),
    "delegations:person-create": Case(office_only()),
    "delegations:person-detail": Case(office_only(), kwargs=lambda: {"pk": PersonFactory().pk}),
    # A person's rights (GDPR export and anonymisation): administrators only.
    "delegations:person-export": Case(admin_only(), kwargs=lambda: {"pk": PersonFactory().pk}),
    "delegations:person-anonymise": Case(admin_only(), kwargs=lambda: {"pk": PersonFactory().pk}),
    "partners:contact-export": Case(admin_only(), kwargs=lambda: {"pk": ContactFactory().pk}),
    "partners:contact-anonymise": Case(admin_only(), kwargs=lambda: {"pk": ContactFactory().pk}),
    "partners:leader-list": Case(admin_only()),
    "partners:leader-export": Case(admin_only(), kwargs=lambda: {"pk": UserFactory(role=Role.CLUB_LEADER).pk}),
    "partners:leader-anonymise": Case(admin_only(), kwargs=lambda: {"pk": UserFactory(role=Role.CLUB_LEADER).pk}),
    "api:person-export": Case(api_admin_only(), kwargs=lambda: {"pk": PersonFactory().pk}),
    "api:person-anonymise": Case(
        api_admin_only(), method="post", kwargs=lambda: {"pk": PersonFactory().pk}, data={"reason": "Asked to."}
    ),
    "api:contact-export": Case(api_admin_only(), kwargs=lambda: {"pk": ContactFactory().pk}),
    "api:contact-anonymise": Case(
        api_admin_only(), method="post", kwargs=lambda: {"pk": ContactFactory().pk}, data={"reason": "Asked to."}
    ),
    "api:club-leader-list": Case(api_admin_only()),
    "api:club-leader-export": Case(api_admin_only(), kwargs=lambda: {"pk": UserFactory(role=Role.CLUB_LEADER).pk}),
    # An account's history, like the accounts themselves: administrators only.
    "api:club-leader-history": Case(api_admin_only(), kwargs=lambda: {"pk": UserFactory(role=Role.CLUB_LEADER).pk}),
    "api:club-leader-anonymise": Case(
        api_admin_only(),
        method="post",
        kwargs=lambda: {"pk": UserFactory(role=Role.CLUB_LEADER).pk},
        data={"reason": "Left the club."},
    ),
    "delegations:coordination-list": Case(office_only()),
    "delegations:coordination-resolve": Case(office_only(), kwargs=lambda: {"pk": CoordinationCaseFactory().pk}),
    # Networks: office only.
    "networks:network-list": Case(office_only()),
    "networks:network-create": Case(office_only()),
    "networks:network-detail": Case(office_only(), kwargs=lambda: {"pk": NetworkFactory().pk}),
    "networks:network-edit": Case(office_only(), kwargs=lambda: {"pk": NetworkFactory().pk}),
    "networks:membership-create": Case(office_only(), kwargs=lambda: {"pk": NetworkFactory().pk}),
    "networks:membership-edit": Case(office_only(), kwargs=lambda: {"pk": MembershipFactory().pk}),
    "networks:membership-review": Case(office_only(), kwargs=lambda: {"pk": MembershipFactory().pk}),
    "networks:role-create": Case(office_only(), kwargs=lambda: {"pk": NetworkFactory().pk}),
    "networks:activity-create": Case(office_only(), kwargs=lambda: {"pk": NetworkFactory().pk}),
    "networks:activity-edit": Case(office_only(), kwargs=lambda: {"pk": NetworkActivityFactory().pk}),
    "networks:activity-delete": Case(office_only(), kwargs=lambda: {"pk": NetworkActivityFactory().pk}),
    # Budget: office staff read and book; adopting, amending, transfers and decisions are the admin's.
    "budget:budget-list": Case(office_only()),
    "budget:budget-create": Case(admin_only()),
    "budget:budget-overview": Case(office_only(), kwargs=lambda: {"year": BudgetFactory().year}),
    "budget:budget-adopt": Case(admin_only(), kwargs=lambda: {"year": BudgetFactory(status="draft").year}),
    "budget:budget-close": Case(admin_only(), kwargs=lambda: {"year": BudgetFactory().year}),
    "budget:budget-export": Case(office_only(), kwargs=lambda: {"year": BudgetFactory().year, "fmt": "csv"}),
    "budget:line-create": Case(office_only(), kwargs=lambda: {"year": BudgetFactory(status="draft").year}),
    "budget:line-split": Case(office_only(), kwargs=lambda: {"year": BudgetFactory(status="draft").year}),
    "budget:transfer-create": Case(admin_only(), kwargs=lambda: {"year": BudgetFactory(mode="discretionary").year}),
    "budget:line-detail": Case(office_only(), kwargs=lambda: {"pk": BudgetLineFactory().pk}),
    "budget:line-edit": Case(office_only(), kwargs=lambda: {"pk": BudgetLineFactory().pk}),
    "budget:line-export": Case(office_only(), kwargs=lambda: {"pk": BudgetLineFactory().pk, "fmt": "csv"}),
    "budget:expense-create": Case(office_only(), kwargs=lambda: {"pk": BudgetLineFactory().pk}),
    "budget:amendment-create": Case(admin_only(), kwargs=lambda: {"pk": BudgetLineFactory().pk}),
    "budget:supplementary-create": Case(office_only(), kwargs=lambda: {"pk": BudgetLineFactory().pk}),
    "budget:supplementary-decide": Case(admin_only(), kwargs=lambda: {"pk": SupplementaryRequestFactory().pk}),
    # Jubilee plans: office staff plan, edit and cancel (an overdraft is the admin's, decided by the amounts).
    "budget:jubilee-plan-create": Case(office_only()),
    "budget:jubilee-plan-detail": Case(office_only(), kwargs=lambda: {"pk": JubileePlanFactory().pk}),
    "budget:jubilee-plan-edit": Case(office_only(), kwargs=lambda: {"pk": JubileePlanFactory().pk}),
    "budget:jubilee-plan-cancel": Case(office_only(), kwargs=lambda: {"pk": JubileePlanFactory().pk}),
    "reports:index": Case({**office_only(), Role.COUNCIL: 200}),
    # The API: 401 without credentials; the root and the schema to any signed-in user.
    "api:api-root": Case(signed_in(anonymous=401)),
    "api:me": Case(signed_in(anonymous=401)),
    "api:schema": Case(signed_in(anonymous=401)),
    "api:docs": Case(signed_in(anonymous=401)),
    # Partners API: office staff read and write; club leaders read their own clubs' rows only
    # (someone else's answers 404); council members are refused.
    "api:city-list": Case(api_office_only()),
    "api:city-detail": Case(api_office_only(), kwargs=lambda: {"pk": CityFactory().pk}),
    "api:partnership-list": Case({**api_office_only(), Role.CLUB_LEADER: 200}),
    "api:partnership-detail": Case(
        {**api_office_only(), Role.CLUB_LEADER: 404}, kwargs=lambda: {"pk": PartnershipFactory().pk}
    ),
    "api:partnership-status-changes": Case(
        {**api_office_only(), Role.CLUB_LEADER: 404}, kwargs=lambda: {"pk": PartnershipFactory().pk}
    ),
    "api:sub-partnership-list": Case(api_office_only()),
    "api:sub-partnership-detail": Case(api_office_only(), kwargs=lambda: {"pk": SubPartnershipFactory().pk}),
    "api:trilateral-link-list": Case(api_office_only()),
    "api:trilateral-link-detail": Case(api_office_only(), kwargs=lambda: {"pk": TrilateralLinkFactory().pk}),
    # Documents: the API's download has the page's check (office staff only).
    "api:document-list": Case(api_office_only()),
    "api:document-detail": Case(api_office_only(), kwargs=lambda: {"pk": DocumentFactory().pk}),
    "api:document-download": Case(api_office_only(), kwargs=lambda: {"pk": DocumentFactory().pk}),
    "api:anniversary-list": Case(api_office_only()),
    "api:anniversary-next": Case(api_office_only()),
    "api:contact-list": Case(api_office_only()),
    "api:contact-detail": Case(api_office_only(), kwargs=lambda: {"pk": ContactFactory().pk}),
    "api:club-list": Case({**api_office_only(), Role.CLUB_LEADER: 200}),
    "api:club-detail": Case({**api_office_only(), Role.CLUB_LEADER: 404}, kwargs=lambda: {"pk": ClubFactory().pk}),
    # Umbrella associations: the office reads and writes; their leaders read their own (the
    # matrix's leader leads none, so an association answers 404; see tests/partners/test_isolation.py).
    "api:club-association-list": Case({**api_office_only(), Role.CLUB_LEADER: 200}),
    "api:club-association-detail": Case(
        {**api_office_only(), Role.CLUB_LEADER: 404}, kwargs=lambda: {"pk": ClubAssociationFactory().pk}
    ),
    # Delegations API: office staff only.
    "api:department-list": Case(api_office_only()),
    "api:person-list": Case(api_office_only()),
    "api:person-detail": Case(api_office_only(), kwargs=lambda: {"pk": PersonFactory().pk}),
    "api:delegation-list": Case(api_office_only()),
    "api:delegation-detail": Case(api_office_only(), kwargs=lambda: {"pk": DelegationFactory().pk}),
    "api:delegation-transitions": Case(api_office_only(), kwargs=lambda: {"pk": DelegationFactory().pk}),
    "api:delegation-participants": Case(api_office_only(), kwargs=lambda: {"pk": DelegationFactory().pk}),
    "api:gift-list": Case(api_office_only()),
    "api:gift-detail": Case(api_office_only(), kwargs=lambda: {"pk": GiftFactory().pk}),
    # A delegation's own records, nested under it; a participant is only removed there (GET: 405).
    **{
        f"api:delegation-{name}-list": Case(api_office_only(), kwargs=lambda: {"delegation_pk": DelegationFactory().pk})
        for name in ("programme", "cost", "gift", "outcome")
    },
    **{
        f"api:delegation-{name}-{action}": Case(api_office_only(), kwargs=lambda make=make: record_kwargs(make()))
        for name, make in [
            ("programme", ProgrammeItemFactory),
            ("cost", CostFactory),
            ("gift", GiftFactory),
            ("outcome", OutcomeFactory),
        ]
        for action in ("detail", "history")
    },
    "api:delegation-participant-detail": Case(
        {**api_office_only(), Role.STAFF: 405, Role.ADMIN: 405}, kwargs=lambda: record_kwargs(ParticipantFactory())
    ),
    "api:delegation-participant-history": Case(api_office_only(), kwargs=lambda: record_kwargs(ParticipantFactory())),
    "api:coordination-case-list": Case(api_office_only()),
    "api:coordination-case-detail": Case(api_office_only(), kwargs=lambda: {"pk": CoordinationCaseFactory().pk}),
    "api:coordination-case-resolve": Case(
        api_office_only(),
        method="post",
        kwargs=lambda: {"pk": CoordinationCaseFactory().pk},
        data={"comment": "Agreed a joint programme."},
    ),
    # Budget API: office staff read; admin-only actions are POST (GET answers 405 to the office).
    "api:budget-list": Case(api_office_only()),
    "api:budget-detail": Case(api_office_only(), kwargs=lambda: {"pk": BudgetFactory().pk}),
    "api:budget-adopt": Case(
        {**api_office_only(), Role.STAFF: 405, Role.ADMIN: 405}, kwargs=lambda: {"pk": BudgetFactory().pk}
    ),
    "api:budget-close": Case(
        {**api_office_only(), Role.STAFF: 405, Role.ADMIN: 405}, kwargs=lambda: {"pk": BudgetFactory().pk}
    ),
    "api:budget-line-list": Case(api_office_only()),
    "api:budget-line-detail": Case(api_office_only(), kwargs=lambda: {"pk": BudgetLineFactory().pk}),
    "api:expense-list": Case(api_office_only()),
    "api:expense-detail": Case(api_office_only(), kwargs=lambda: {"pk": ExpenseFactory().pk}),
    "api:commitment-list": Case(api_office_only()),
    "api:commitment-detail": Case(api_office_only(), kwargs=lambda: {"pk": CommitmentFactory().pk}),
    "api:budget-change-list": Case(api_office_only()),
    "api:supplementary-request-list": Case(api_office_only()),
    "api:supplementary-request-decide": Case(
        {**api_office_only(), Role.STAFF: 405, Role.ADMIN: 405}, kwargs=lambda: {"pk": SupplementaryRequestFactory().pk}
    ),
    "api:jubilee-plan-list": Case(api_office_only()),
    "api:jubilee-plan-detail": Case(api_office_only(), kwargs=lambda: {"pk": JubileePlanFactory().pk}),
    # Networks API: office staff only.
    "protocol:ambassador-list": Case(office_only()),
    "protocol:ambassador-create": Case(office_only()),
    "protocol:ambassador-detail": Case(office_only(), kwargs=lambda: {"pk": AmbassadorFactory().pk}),
    "protocol:ambassador-edit": Case(office_only(), kwargs=lambda: {"pk": AmbassadorFactory().pk}),
    "protocol:ambassador-end": Case(office_only(), kwargs=lambda: {"pk": AmbassadorFactory().pk}),
    "protocol:activity-create": Case(office_only(), kwargs=lambda: {"pk": AmbassadorFactory().pk}),
    "protocol:activity-edit": Case(office_only(), kwargs=lambda: {"pk": AmbassadorActivityFactory().pk}),
    "protocol:activity-delete": Case(office_only(), kwargs=lambda: {"pk": AmbassadorActivityFactory().pk}),
    "api:ambassador-list": Case(api_office_only()),
    "api:ambassador-detail": Case(api_office_only(), kwargs=lambda: {"pk": AmbassadorFactory().pk}),
    "api:ambassador-activity-list": Case(api_office_only()),
    "api:ambassador-activity-detail": Case(api_office_only(), kwargs=lambda: {"pk": AmbassadorActivityFactory().pk}),
    "api:network-list": Case(api_office_only()),
    "api:network-detail": Case(api_office_only(), kwargs=lambda: {"pk": NetworkFactory().pk}),
    "api:membership-list": Case(api_office_only()),
    "api:membership-detail": Case(api_office_only(), kwargs=lambda: {"pk": MembershipFactory().pk}),
    "api:membership-review": Case(
        api_office_only(),
        method="post",
        kwargs=lambda: {"pk": MembershipFactory().pk},
        data={"verdict": "keep", "note": "Two project partners found.", "next_review_on": "2099-01-01"},
    ),
    "api:membership-reviews": Case(api_office_only(), kwargs=lambda: {"pk": MembershipFactory().pk}),
    "api:network-role-list": Case(api_office_only()),
    "api:network-role-detail": Case(api_office_only(), kwargs=lambda: {"pk": NetworkRoleFactory().pk}),
    "api:network-activity-list": Case(api_office_only()),
    "api:network-activity-detail": Case(api_office_only(), kwargs=lambda: {"pk": NetworkActivityFactory().pk}),
    # Protocol, the Consular Corps: office staff only; the feed's token is its credential.
    "protocol:post-list": Case(office_only()),
    "protocol:post-create": Case(office_only()),
    "protocol:post-detail": Case(office_only(), kwargs=lambda: {"pk": ConsularPostFactory().pk}),
    "protocol:post-edit": Case(office_only(), kwargs=lambda: {"pk": ConsularPostFactory().pk}),
    "protocol:post-close": Case(office_only(), kwargs=lambda: {"pk": ConsularPostFactory().pk}),
    "protocol:post-reopen": Case(office_only(), kwargs=lambda: {"pk": ConsularPostFactory().pk}),
    "protocol:precedence": Case(office_only()),
    "protocol:precedence-export": Case(office_only(), kwargs={"fmt": "csv"}),
    "protocol:national-day-list": Case(office_only()),
    "protocol:national-day-record": Case(
        {**office_only(), Role.STAFF: REDIRECT, Role.ADMIN: REDIRECT},
        method="post",
        data={"kind": "greeting"},
    ),
    "protocol:national-day-ical": Case(everyone(404), kwargs={"token": "not-a-valid-token"}),
    "api:consular-post-list": Case(api_office_only()),
    "api:consular-post-detail": Case(api_office_only(), kwargs=lambda: {"pk": ConsularPostFactory().pk}),
    "api:consular-post-history": Case(api_office_only(), kwargs=lambda: {"pk": ConsularPostFactory().pk}),
    "api:consular-post-precedence": Case(api_office_only()),
    "api:consular-post-close": Case(
        {**api_office_only(), Role.STAFF: 400, Role.ADMIN: 400},
        method="post",
        kwargs=lambda: {"pk": ConsularPostFactory().pk},
        data={},
    ),
    "api:consular-post-reopen": Case(
        {**api_office_only(), Role.STAFF: 400, Role.ADMIN: 400},
        method="post",
        kwargs=lambda: {"pk": ConsularPostFactory().pk},
        data={},
    ),
    "api:national-day-observance-list": Case(api_office_only()),
    "api:national-day-observance-detail": Case(
        api_office_only(), kwargs=lambda: {"pk": NationalDayObservanceFactory().pk}
    ),
    "api:national-day-observance-history": Case(
        api_office_only(), kwargs=lambda: {"pk": NationalDayObservanceFactory().pk}
    ),
    # Notifications: every signed-in user has their own; another user's is not found.
    "api:notification-list": Case(signed_in(anonymous=401)),
    "api:notification-detail": Case(signed_in(404, anonymous=401), kwargs=other_users_notification),
    "api:notification-read": Case(signed_in(404, anonymous=401), method="post", kwargs=other_users_notification),
    "api:notification-read-all": Case(signed_in(anonymous=401), method="post"),
    # Each role posts its own credentials; anonymous posts none.
    "api:token": Case({**everyone(200), ANONYMOUS: 400}, method="post"),
    # Setting a password from an invitation link: an invalid link says so, to anyone.
    "password_reset_confirm": Case(everyone(200), kwargs={"uidb64": "MQ", "token": "not-a-token"}),
    "password_reset_complete": Case(everyone(200)),
    # The club leaders' portal: leaders only. The matrix's leader leads no club, so every
    # club's object answers 404 (tests/partners/test_isolation.py checks a real other club).
    "portal:home": Case(leaders_only(200)),
    "portal:club": Case(leaders_only(404), kwargs=lambda: {"club": ClubFactory().pk}),
    "portal:association": Case(leaders_only(404), kwargs=lambda: {"association": ClubAssociationFactory().pk}),
    "portal:exchange-create": Case(leaders_only(404), kwargs=lambda: {"club": ClubFactory().pk}),
    "portal:grant-create": Case(leaders_only(404), kwargs=lambda: {"club": ClubFactory().pk}),
    "portal:exchange-detail": Case(leaders_only(404), kwargs=lambda: {"pk": ExchangeFactory().pk}),
    "portal:exchange-edit": Case(leaders_only(404), kwargs=lambda: {"pk": ExchangeFactory().pk}),
    "portal:exchange-submit": Case(leaders_only(404), method="post", kwargs=lambda: {"pk": ExchangeFactory().pk}),
    "portal:photo-create": Case(leaders_only(404), kwargs=lambda: {"pk": ExchangeFactory().pk}),
    "portal:photo": Case({**office_only(), Role.CLUB_LEADER: 404}, kwargs=lambda: {"pk": ExchangePhotoFactory().pk}),
    "portal:grant-detail": Case(leaders_only(404), kwargs=lambda: {"pk": GrantApplicationFactory().pk}),
    "portal:grant-edit": Case(leaders_only(404), kwargs=lambda: {"pk": GrantApplicationFactory().pk}),
    "portal:grant-submit": Case(leaders_only(404), method="post", kwargs=lambda: {"pk": GrantApplicationFactory().pk}),
    "portal:grant-withdraw": Case(
        leaders_only(404), method="post", kwargs=lambda: {"pk": GrantApplicationFactory().pk}
    ),
    "portal:exchange-delete": Case(leaders_only(404), kwargs=lambda: {"pk": ExchangeFactory().pk}),
    "portal:photo-delete": Case(leaders_only(404), kwargs=lambda: {"pk": ExchangePhotoFactory().pk}),
    "portal:grant-report": Case(leaders_only(404), kwargs=lambda: {"pk": GrantApplicationFactory().pk}),
    # The office's review of exchanges, leader invitations and trip grant decisions.
    "partners:exchange-list": Case(office_only()),
    "partners:exchange-review": Case(office_only(), kwargs=lambda: {"pk": ExchangeFactory().pk}),
    "partners:leader-invite": Case(office_only(), kwargs=lambda: {"pk": ClubFactory().pk}),
    "budget:grant-list": Case(office_only()),
    "budget:grant-rules": Case(office_only()),
    "budget:grant-detail": Case(office_only(), kwargs=lambda: {"pk": GrantApplicationFactory().pk}),
    # Exchanges and grant applications API: leaders see only their clubs' (404 otherwise)
    # and may not review, decide or pay (403).
    "api:exchange-list": Case(api_leaders_too(200)),
    "api:exchange-detail": Case(api_leaders_too(404), kwargs=lambda: {"pk": ExchangeFactory().pk}),
    "api:exchange-submit": Case(
        {**api_leaders_too(404), Role.STAFF: 400, Role.ADMIN: 400},
        method="post",
        kwargs=lambda: {"pk": ExchangeFactory().pk},
    ),
    "api:exchange-review": Case(
        {**api_leaders_too(403)},
        method="post",
        kwargs=lambda: {"pk": ExchangeFactory().pk},
        data={"decision": "accepted"},
    ),
    "api:grant-application-list": Case(api_leaders_too(200)),
    "api:grant-application-detail": Case(api_leaders_too(404), kwargs=lambda: {"pk": GrantApplicationFactory().pk}),
    "api:grant-application-submit": Case(
        {**api_leaders_too(404), Role.STAFF: 400, Role.ADMIN: 400},
        method="post",
        kwargs=lambda: {"pk": GrantApplicationFactory().pk},
    ),
    "api:grant-application-approve": Case(
        {**api_leaders_too(403), Role.STAFF: 400, Role.ADMIN: 400},
        method="post",
        kwargs=lambda: {"pk": GrantApplicationFactory().pk},
    ),
    "api:grant-application-reject": Case(
        api_leaders_too(403),
        method="post",
        kwargs=lambda: {"pk": GrantApplicationFactory().pk},
        data={"reason": "No programme in the partner city."},
    ),
    "api:grant-application-pay": Case(
        {**api_leaders_too(403), Role.STAFF: 400, Role.ADMIN: 400},
        method="post",
        kwargs=lambda: {"pk": GrantApplicationFactory().pk},
    ),
    "api:grant-rules-list": Case(api_leaders_too(200)),
    "api:grant-rules-detail": Case(api_leaders_too(200), kwargs=lambda: {"pk": GrantRules.current().pk}),
    # Council reports: admins generate and publish; staff read everything; council members
    # read published versions only (a draft answers 404); the public address shows only a
    # published version marked public.
    "reports:generate": Case(admin_only()),
    "reports:request-detail": Case(office_only(), kwargs=lambda: {"pk": ReportVersionFactory().request_id}),
    "reports:request-status": Case(office_only(), kwargs=lambda: {"pk": ReportVersionFactory().request_id}),
    "reports:version-detail": Case(
        {**office_only(), Role.COUNCIL: 404}, kwargs=lambda: {"pk": ReportVersionFactory().pk}
    ),
    "reports:version-download": Case(
        {**office_only(), Role.COUNCIL: 200},
        kwargs=lambda: {"pk": ReportVersionFactory(status="published").pk, "fmt": "pdf"},
    ),
    "reports:version-publish": Case(
        {**admin_only(), Role.ADMIN: REDIRECT}, method="post", kwargs=lambda: {"pk": ReportVersionFactory().pk}
    ),
    "reports:version-public": Case(
        {**admin_only(), Role.ADMIN: REDIRECT},
        method="post",
        kwargs=lambda: {"pk": ReportVersionFactory(status="published").pk},
        data={"public": "1"},
    ),
    # The confirmation before publishing: admins only, as the publishing itself.
    "reports:version-publish-confirm": Case(admin_only(), kwargs=lambda: {"pk": ReportVersionFactory().pk}),
    "reports:compare": Case(office_only()),
    "reports:public": Case(
        everyone(200), kwargs=lambda: {"year": ReportVersionFactory(status="published", public=True).year}
    ),
    "reports:public-download": Case(
        everyone(200),
        kwargs=lambda: {"year": ReportVersionFactory(status="published", public=True).year, "fmt": "xlsx"},
    ),
    "api:report-list": Case({**api_office_only(), Role.COUNCIL: 200}),
    "api:report-detail": Case(
        {**api_office_only(), Role.COUNCIL: 200},
        kwargs=lambda: {"pk": ReportVersionFactory(status="published").request_id},
    ),
    "api:report-publish": Case(
        {**api_office_only(), Role.COUNCIL: 403, Role.STAFF: 403, Role.ADMIN: 200},
        method="post",
        kwargs=lambda: {"pk": ReportVersionFactory().request_id},
    ),
    "api:report-download": Case(
        {**api_office_only(), Role.COUNCIL: 404},
        kwargs=lambda: {"pk": ReportVersionFactory().request_id, "fmt": "pdf"},
    ),
    # The audit trail of a record (oia.audit): office staff only, whoever else reads the record.
    **{
        f"api:{name}-history": Case(api_office_only(), kwargs=lambda make=make: {"pk": make().pk})
        for name, make in [
            ("city", CityFactory),
            ("partnership", PartnershipFactory),
            ("sub-partnership", SubPartnershipFactory),
            ("trilateral-link", TrilateralLinkFactory),
            ("document", DocumentFactory),
            ("club", ClubFactory),
            ("club-association", ClubAssociationFactory),
            ("contact", ContactFactory),
            ("department", DepartmentFactory),
            ("person", PersonFactory),
            ("delegation", DelegationFactory),
            ("coordination-case", CoordinationCaseFactory),
            ("gift", GiftFactory),
            ("network", NetworkFactory),
            ("membership", MembershipFactory),
            ("network-role", NetworkRoleFactory),
            ("network-activity", NetworkActivityFactory),
            ("budget", BudgetFactory),
            ("budget-line", BudgetLineFactory),
            ("expense", ExpenseFactory),
            ("commitment", CommitmentFactory),
            ("budget-change", lambda: BudgetChangeFactory()),
            ("supplementary-request", SupplementaryRequestFactory),
            ("exchange", ExchangeFactory),
            ("grant-application", GrantApplicationFactory),
            ("grant-rules", GrantRules.current),
            ("jubilee-plan", JubileePlanFactory),
            ("report", ReportRequestFactory),
            ("ambassador", AmbassadorFactory),
            ("ambassador-activity", AmbassadorActivityFactory),
        ]
    },
    # Events (protocol): office staff only, but the public pages and the answer link need no account.
    "protocol:event-list": Case(office_only()),
    "protocol:event-create": Case(office_only()),
    "protocol:event-detail": Case(office_only(), kwargs=lambda: {"pk": EventFactory().pk}),
    "protocol:event-edit": Case(office_only(), kwargs=lambda: {"pk": EventFactory().pk}),
    "protocol:event-held": Case(office_only(), kwargs=lambda: {"pk": EventFactory().pk}),
    "protocol:event-cancel": Case(office_only(), kwargs=lambda: {"pk": EventFactory().pk}),
    "protocol:event-seating": Case(office_only(), kwargs=lambda: {"pk": EventFactory().pk}),
    "protocol:event-badges": Case(office_only(), kwargs=lambda: {"pk": EventFactory().pk}),
    "protocol:event-cost-create": Case(office_only(), kwargs=lambda: {"pk": EventFactory().pk}),
    "protocol:event-cost-edit": Case(office_only(), kwargs=lambda: {"pk": EventCostFactory().pk}),
    "protocol:event-cost-book": Case(office_only(), kwargs=lambda: {"pk": EventCostFactory().pk}),
    "protocol:guest-create": Case(office_only(), kwargs=lambda: {"pk": EventFactory().pk}),
    "protocol:guest-invite-consuls": Case(
        {**office_only(), Role.STAFF: REDIRECT, Role.ADMIN: REDIRECT},
        method="post",
        kwargs=lambda: {"pk": EventFactory().pk},
    ),
    "protocol:guest-invite-ambassadors": Case(
        {**office_only(), Role.STAFF: REDIRECT, Role.ADMIN: REDIRECT},
        method="post",
        kwargs=lambda: {"pk": EventFactory().pk},
    ),
    "protocol:guest-send-invitations": Case(office_only(), kwargs=lambda: {"pk": EventFactory().pk}),
    "protocol:guest-edit": Case(office_only(), kwargs=lambda: {"pk": GuestFactory().pk}),
    "protocol:guest-delete": Case(office_only(), kwargs=lambda: {"pk": GuestFactory().pk}),
    # A guest's answer link: no account; a wrong token is simply not found.
    "protocol:rsvp": Case(everyone(404), kwargs={"token": "not-a-token"}),
    "protocol:public-event-list": Case(everyone(200)),
    "protocol:public-event-detail": Case(everyone(200), kwargs=lambda: {"pk": EventFactory(is_public=True).pk}),
    "protocol:public-event-feed": Case(everyone(200)),
    # Club leaders read the public events (as the public page shows them); only the office writes.
    "api:event-list": Case(api_leaders_too(200)),
    "api:event-detail": Case(api_leaders_too(200), kwargs=lambda: {"pk": EventFactory(is_public=True).pk}),
    "api:event-history": Case(api_office_only(), kwargs=lambda: {"pk": EventFactory().pk}),
    "api:event-cancel": Case(
        {**api_office_only(), Role.STAFF: 400, Role.ADMIN: 400}, method="post", kwargs=lambda: {"pk": EventFactory().pk}
    ),
    "api:event-cost-list": Case(api_office_only()),
    "api:event-cost-detail": Case(api_office_only(), kwargs=lambda: {"pk": EventCostFactory().pk}),
    "api:event-cost-history": Case(api_office_only(), kwargs=lambda: {"pk": EventCostFactory().pk}),
    "api:event-cost-book": Case(
        {**api_office_only(), Role.STAFF: 400, Role.ADMIN: 400},
        method="post",
        kwargs=lambda: {"pk": EventCostFactory().pk},
    ),
    "api:guest-list": Case(api_office_only()),
    "api:guest-detail": Case(api_office_only(), kwargs=lambda: {"pk": GuestFactory().pk}),
    "api:guest-history": Case(api_office_only(), kwargs=lambda: {"pk": GuestFactory().pk}),
    # People and roles: administrators only. A button's POST without the page's state is refused (back to the page).
    "people:list": Case(admin_only()),
    "people:invite": Case(admin_only()),
    "people:detail": Case(admin_only(), kwargs=lambda: {"pk": UserFactory().pk}),
    "people:deactivate": Case(admin_only(), kwargs=lambda: {"pk": UserFactory().pk}),  # asks first
    **{
        f"people:{name}": Case(
            {**admin_only(), Role.ADMIN: REDIRECT}, method="post", kwargs=lambda: {"pk": UserFactory().pk}
        )
        for name in ("reactivate", "invite-again")
    },
    # People and roles in the API: administrators only. A change without the version read is refused (400).
    "api:account-list": Case(api_admin_only()),
    "api:account-detail": Case(api_admin_only(), kwargs=lambda: {"pk": UserFactory().pk}),
    "api:account-history": Case(api_admin_only(), kwargs=lambda: {"pk": UserFactory().pk}),
    **{
        f"api:account-{name}": Case(
            {**api_admin_only(), Role.ADMIN: 400}, method="post", kwargs=lambda: {"pk": UserFactory().pk}
        )
        for name in ("roles", "deactivate", "reactivate", "invite-again")
    },
}


def record_kwargs(record):
    """The URL arguments of a record nested under its delegation."""
    return {"delegation_pk": record.delegation_id, "pk": record.pk}


def BudgetChangeFactory():  # noqa: N802 (read like the factories)
    return BudgetChange.objects.create(
        line=BudgetLineFactory(), kind="amendment", amount=1, decided_on="2025-01-01", reason="matrix"
    )


def url_names(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from url_names(pattern.url_patterns, namespace)
        elif pattern.name:
            yield prefix + pattern.name


def project_url_names():
    return {name for name in url_names() if not name.startswith(EXCLUDED_NAMESPACES)}


def test_every_url_is_in_the_matrix():
    missing = project_url_names() - MATRIX.keys()
    assert not missing, f"Add these URLs to the permission matrix: {sorted(missing)}"


def test_matrix_names_only_existing_urls():
    assert not MATRIX.keys() - project_url_names()


def _request(client, role, name, case):
    url = reverse(name, kwargs=case.kwargs() if callable(case.kwargs) else case.kwargs)
    data = case.data
    if name == "api:token" and role != ANONYMOUS:
        data = {"username": f"{role}-matrix", "password": TEST_PASSWORD}
        if role == Role.ADMIN:  # an administrator's token needs the second factor too
            data["otp"] = recovery_code(User.objects.get(username=data["username"]))
    if case.method == "post":
        return client.post(url, data or {})
    return client.get(url)


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_role_gets_expected_answer(client, db, role, name):
    case = MATRIX[name]
    if role != ANONYMOUS:
        sign_in(client, UserFactory(username=f"{role}-matrix", role=role))

    response = _request(client, role, name, case)

    expected = case.expect[role]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    elif expected == REDIRECT:
        assert response.status_code == 302
    else:
        assert response.status_code == expected, f"{name} as {role}: {response.status_code}"


@pytest.mark.parametrize("role", [Role.STAFF, Role.COUNCIL, Role.CLUB_LEADER])
def test_admin_site_refuses_everyone_but_admins(client, db, role):
    sign_in(client, UserFactory(role=role))

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_site_opens_for_office_admins(client, db):
    sign_in(client, UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True))

    assert client.get(reverse("admin:index")).status_code == 200
