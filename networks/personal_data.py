"""The personal data networks holds (``oia.personal_data``): who of our city
holds which office in a network's bodies, and who reviewed a membership."""

from django.utils.translation import gettext_lazy as _

from oia.personal_data import After, Category, LegalBasis, Retention, register

NETWORKS = _("International networks")


def register_fields() -> None:
    role = {
        "category": Category.IDENTITY,
        "purpose": _("Who represents the city in a network's bodies"),
        "legal_basis": LegalBasis.PUBLIC_TASK,
        "retention": Retention(After.RECORD_KEPT),
        "activity": NETWORKS,
    }
    register("networks.NetworkRole", "person", **role)
    register("networks.NetworkRole", "title", **role)
    reviewer = {
        "purpose": _("Who reviewed a membership (the name stays when the account is deleted)"),
        "legal_basis": LegalBasis.ACCOUNTABILITY,
        "retention": Retention(After.RECORD_KEPT),
        "activity": NETWORKS,
    }
    register("networks.MembershipReview", "reviewer", category=Category.ACCOUNT, **reviewer)
    register("networks.MembershipReview", "reviewer_name", category=Category.IDENTITY, **reviewer)
