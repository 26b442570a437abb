"""The models of the partners app, one module per topic. Everything is
re-exported here, so ``partners.models.X`` (used by migrations and other apps)
keeps working."""

from .associations import ClubAssociation, ClubAssociationQuerySet
from .documents import DOCUMENT_EXTENSIONS, Document, document_path, validate_document_size
from .exchanges import Exchange, ExchangeEvent, ExchangePhoto, ExchangeQuerySet, exchange_photo_path
from .partnerships import (
    AreaOfCooperation,
    City,
    Club,
    Contact,
    Partnership,
    PartnershipQuerySet,
    StatusChange,
    StatusChangeQuerySet,
    SubPartnership,
    TrilateralLink,
    formalised_value,
    status_on,
)

__all__ = [
    "DOCUMENT_EXTENSIONS",
    "AreaOfCooperation",
    "City",
    "Club",
    "ClubAssociation",
    "ClubAssociationQuerySet",
    "Contact",
    "Document",
    "Exchange",
    "ExchangeEvent",
    "ExchangePhoto",
    "ExchangeQuerySet",
    "Partnership",
    "PartnershipQuerySet",
    "StatusChange",
    "StatusChangeQuerySet",
    "SubPartnership",
    "TrilateralLink",
    "formalised_value",
    "document_path",
    "exchange_photo_path",
    "status_on",
    "validate_document_size",
]
