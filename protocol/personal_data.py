"""The personal data of the Consular Corps (``oia.personal_data``): who heads
a post, who deputises and who the office's contacts there are, and who
represented the city on a national day."""

from django.utils.translation import gettext_lazy as _

from oia.personal_data import After, Category, LegalBasis, Retention, register

CONSULAR_CORPS = _("Consular Corps and national days")


def register_fields() -> None:
    people = {
        "category": Category.IDENTITY,
        "purpose": _("Whom the office addresses at a consular post, and their rank in the order of precedence"),
        "legal_basis": LegalBasis.PUBLIC_TASK,
        "retention": Retention(After.RECORD_KEPT),
        "activity": CONSULAR_CORPS,
    }
    for field in ("head", "head_title", "deputy", "contacts"):
        register("protocol.ConsularPost", field, **people)
    represented = {
        "category": Category.IDENTITY,
        "purpose": _("Who represented the city on a post's national day"),
        "legal_basis": LegalBasis.PUBLIC_TASK,
        "retention": Retention(After.RECORD_KEPT),
        "activity": CONSULAR_CORPS,
    }
    register("protocol.NationalDayObservance", "represented_by", **represented)
    register(
        "protocol.NationalDayObservance",
        "recorded_by",
        category=Category.ACCOUNT,
        purpose=_("Who recorded what the office did on a national day"),
        legal_basis=LegalBasis.ACCOUNTABILITY,
        retention=Retention(After.RECORD_KEPT),
        activity=CONSULAR_CORPS,
    )
