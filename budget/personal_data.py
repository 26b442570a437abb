"""The personal data budget holds (``oia.personal_data``): payees who may be
natural persons, the clubs' grant applications and the staff who booked and
decided."""

from django.utils.translation import gettext_lazy as _

from oia.personal_data import After, Category, LegalBasis, Retention, register
from oia.roles import CLUB_LEADERS, OFFICE

BUDGET = _("Budget and bookings")
GRANTS = _("Trip grants to clubs")
AS_RECORD = Retention(After.RECORD_KEPT, note=_("budget records: the municipal budget law's periods"))


def register_fields() -> None:
    register(
        "budget.Expense",
        "payee",
        category=Category.IDENTITY,
        purpose=_("Whom the city paid, sometimes a person (an interpreter, a guide)"),
        legal_basis=LegalBasis.PUBLIC_TASK,
        retention=AS_RECORD,
        activity=BUDGET,
    )
    grant = {
        "legal_basis": LegalBasis.CONTRACT,
        "retention": AS_RECORD,
        "activity": GRANTS,
        "access": OFFICE | CLUB_LEADERS,
    }
    register(
        "budget.GrantApplication",
        "partner_contact",
        category=Category.IDENTITY,
        purpose=_("The club's contact in the partner city"),
        **grant,
    )
    register(
        "budget.GrantApplication",
        "report",
        category=Category.FREE_TEXT,
        purpose=_("The club's report after the trip, which may name people"),
        **grant,
    )
    recorded = {
        "category": Category.ACCOUNT,
        "purpose": _("Who recorded or decided what"),
        "legal_basis": LegalBasis.ACCOUNTABILITY,
        "retention": AS_RECORD,
    }
    for model, field in (
        ("budget.Budget", "adopted_by"),
        ("budget.BudgetChange", "recorded_by"),
        ("budget.SupplementaryRequest", "created_by"),
        ("budget.Expense", "booked_by"),
        ("budget.GrantRules", "updated_by"),
        ("budget.JubileePlan", "created_by"),
    ):
        register(model, field, activity=BUDGET, **recorded)
    for field in ("created_by", "decided_by", "four_eyes_override_by"):
        register("budget.GrantApplication", field, activity=GRANTS, **recorded)
