"""The personal data networks holds (``oia.personal_data``): who of our city
holds which office in a network's bodies."""

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
