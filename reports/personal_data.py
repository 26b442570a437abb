"""The personal data reports holds (``oia.personal_data``): the frozen council
reports name officials (public office, so anonymising a person leaves them) and
who requested and published a report."""

from django.utils.translation import gettext_lazy as _

from oia.personal_data import After, Category, LegalBasis, Retention, register
from oia.roles import REPORT_READERS

REPORTS = _("Council reports")


def register_fields() -> None:
    frozen = {
        "category": Category.IDENTITY,
        "purpose": _("The yearly report to the council, frozen as published; it names officials acting in office"),
        "legal_basis": LegalBasis.PUBLIC_TASK,
        "retention": Retention(After.RECORD_KEPT, note=_("kept unchanged: a published record of public office")),
        "activity": REPORTS,
        "access": REPORT_READERS,
    }
    for field in ("figures", "html", "pdf", "xlsx"):
        register("reports.ReportVersion", field, **frozen)
    recorded = {
        "category": Category.ACCOUNT,
        "purpose": _("Who recorded or decided what"),
        "legal_basis": LegalBasis.ACCOUNTABILITY,
        "retention": Retention(After.RECORD_KEPT),
        "activity": REPORTS,
    }
    register("reports.ReportRequest", "requested_by", **recorded)
    register("reports.ReportVersion", "created_by", **recorded)
    register("reports.ReportVersion", "published_by", **recorded)
