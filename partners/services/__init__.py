"""Writes that touch more than one row: creating a partnership with its first
status, recording status changes, and edits that must not overwrite a
colleague's concurrent edit; logging and reviewing clubs' exchanges (each
step recorded in the exchange's history); umbrella associations and their
member clubs. Cities are created by ``cities`` (with the gazetteer's
data). The records under a partnership's umbrella (sub-partnerships,
trilateral links) are written by ``sub_records``; its public writes are
importable from here too."""

import datetime
import io

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from oia import audit, rights
from oia.models import AnonymisedAccount
from oia.notifications import notify
from oia.roles import OFFICE, Role, has_role
from oia.security import log_event
from oia.uploads import max_upload_bytes
from oia.versioning import refuse_stale, save_new_version, update_versioned

from ..choices import ExchangeAction, ReviewStatus, Status
from ..models import (
    Club,
    ClubAssociation,
    Contact,
    Document,
    Exchange,
    ExchangeEvent,
    ExchangePhoto,
    Partnership,
    StatusChange,
)
from ..models.exchanges import PHOTO_FORMATS, PHOTO_MAX_SIDE
from .cities import city_create as city_create
from .cities import city_update as city_update
from .cities import home_city_record as home_city_record
from .sub_records import partnership_record_delete as partnership_record_delete
from .sub_records import partnership_record_update as partnership_record_update


@transaction.atomic
def partnership_create(*, recorded_by, areas=(), initial_status: str = Status.ACTIVE, **fields) -> Partnership:
    """Create a partnership and its first status entry, dated on formalisation."""
    partnership = Partnership(**fields)
    partnership.full_clean()
    partnership.save()
    partnership.areas.set(areas)
    first = StatusChange.objects.create(
        partnership=partnership,
        status=initial_status,
        effective_on=partnership.formalised_on,
        reason=_("Partnership formalised."),
        recorded_by=recorded_by,
    )
    _mirror_current_status(partnership, first)
    return partnership


@transaction.atomic
def partnership_update(*, partnership: Partnership, version: int, areas=None, **fields) -> Partnership:
    """Save an edit made on ``version``; refuse it if someone saved in between."""
    partnership = update_versioned(
        partnership,
        version=version,
        fields=fields,
        message=_(
            "Someone else changed this partnership while you were editing it. "
            "Reload the page to see their changes, then make yours again."
        ),
    )
    if areas is not None:
        partnership.areas.set(areas)
    return partnership


@transaction.atomic
def partnership_change_status(
    *,
    partnership: Partnership,
    status: str,
    effective_on: datetime.date,
    reason: str,
    recorded_by,
    institutional_contacts_continue: bool = True,
) -> StatusChange:
    """Record a new status. The row lock makes two simultaneous changes queue up,
    so the second one is checked against the first."""
    Partnership.objects.select_for_update().get(pk=partnership.pk)
    latest = partnership.status_changes.newest_first().first()
    errors = {}
    if latest and latest.status == status:
        errors["status"] = _("The partnership already has this status.")
    if latest and effective_on < latest.effective_on:
        errors["effective_on"] = _("The date cannot be before the last recorded change (%(date)s).") % {
            "date": date_format(latest.effective_on, "DATE_FORMAT")
        }
    if effective_on > timezone.localdate():
        errors["effective_on"] = _("A status change cannot be dated in the future.")
    if not (reason or "").strip():
        errors["reason"] = _("Give a reason for the change.")
    if errors:
        raise ValidationError(errors)
    change = StatusChange.objects.create(
        partnership=partnership,
        status=status,
        effective_on=effective_on,
        reason=reason.strip(),
        recorded_by=recorded_by,
        institutional_contacts_continue=institutional_contacts_continue if status == Status.FROZEN else True,
    )
    _mirror_current_status(partnership, change)
    return change


def _mirror_current_status(partnership: Partnership, change: StatusChange) -> None:
    """What the database's trigger has just stored, also on the caller's copy
    (``change`` is the newest: dated no earlier than the last, entered last)."""
    partnership.current_status, partnership.current_status_on = change.status, change.effective_on


# --- documents ---------------------------------------------------------------


@transaction.atomic
def document_delete(*, document: Document) -> None:
    """Delete a document and its stored file (documents are never archived:
    the page and the API delete both the same way)."""
    document.file.delete(save=False)
    document.delete()


# --- exchanges ---------------------------------------------------------------

EXCHANGE_FIELDS = (
    "partnership",
    "kind",
    "direction",
    "starts_on",
    "ends_on",
    "title",
    "description",
    "participants_local",
    "participants_partner",
    "young_participants",
    "partner_organisations",
    "reciprocity",
)


def _record(exchange: Exchange, action: str, by, comment: str = "") -> ExchangeEvent:
    return ExchangeEvent.objects.create(exchange=exchange, action=action, by=by, comment=comment)


@transaction.atomic
def exchange_create(*, club: Club, created_by, submit: bool = False, **fields) -> Exchange:
    """Log an exchange of ``club`` as a draft (or submit it at once)."""
    unknown = set(fields) - set(EXCHANGE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown exchange fields: {sorted(unknown)}")
    exchange = Exchange(club=club, created_by=created_by, **fields)
    exchange.full_clean()
    exchange.save()
    _record(exchange, ExchangeAction.CREATED, created_by)
    if submit:
        exchange = exchange_submit(exchange=exchange, by=created_by)
    return exchange


def _lock_exchange(exchange: Exchange) -> Exchange:
    return Exchange.objects.select_for_update().get(pk=exchange.pk)


def _exchange_changed() -> str:
    return _(
        "Someone else changed this exchange while you were editing it. "
        "Reload the page to see their changes, then make yours again."
    )


def _refuse_accepted(exchange: Exchange) -> None:
    if not exchange.editable_by_leader:
        raise ValidationError(_("This exchange has been accepted by the office and can no longer be changed."))


@transaction.atomic
def exchange_update(*, exchange: Exchange, version: int, by, **fields) -> Exchange:
    """Save an edit made on ``version``. Accepted exchanges are final."""
    locked = update_versioned(
        exchange,
        version=version,
        fields=fields,
        message=_exchange_changed(),
        allowed=EXCHANGE_FIELDS,
        refuse=_refuse_accepted,
    )
    _record(locked, ExchangeAction.EDITED, by)
    return locked


@transaction.atomic
def exchange_submit(*, exchange: Exchange, by) -> Exchange:
    """Send a draft or a returned exchange to the office for review."""
    locked = _lock_exchange(exchange)
    if locked.review_status not in (ReviewStatus.DRAFT, ReviewStatus.RETURNED):
        raise ValidationError(
            _("Only a draft or a returned exchange can be submitted; this one is “%(status)s”.")
            % {"status": locked.get_review_status_display()}
        )
    locked.review_status = ReviewStatus.SUBMITTED
    save_new_version(locked, update_fields=["review_status", "updated_at"])
    _record(locked, ExchangeAction.SUBMITTED, by)
    officer = Partnership.objects.filter(pk=locked.partnership_id).values_list("responsible_officer", flat=True)
    notify(
        get_user_model().objects.filter(pk__in=officer),
        text=_("%(club)s submitted the exchange “%(title)s” for review.")
        % {"club": locked.club.name, "title": locked.title},
        url=reverse("partners:exchange-review", args=[locked.pk]),
    )
    return locked


@transaction.atomic
def exchange_review(
    *, exchange: Exchange, by, decision: str, comment: str = "", version: int | None = None
) -> Exchange:
    """The office's review: accept (the exchange counts in the report) or
    return it with a comment saying what to fix. With ``version``, a review of
    an exchange the club changed in the meantime is refused."""
    if not has_role(by, OFFICE):
        raise ValidationError(_("Only the office reviews exchanges."))
    locked = _lock_exchange(exchange)
    if version is not None:
        refuse_stale(locked, version=version, message=_exchange_changed())
    if locked.review_status != ReviewStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted exchange can be reviewed."))
    comment = (comment or "").strip()
    if decision == ReviewStatus.RETURNED:
        if not comment:
            raise ValidationError({"comment": _("Say what the club should change.")})
        action = ExchangeAction.RETURNED
    elif decision == ReviewStatus.ACCEPTED:
        action = ExchangeAction.ACCEPTED
    else:
        raise ValidationError({"decision": _("Choose to accept the exchange or return it for changes.")})
    locked.review_status = decision
    locked.review_comment = comment
    save_new_version(locked, update_fields=["review_status", "review_comment", "updated_at"])
    _record(locked, action, by, comment)
    if decision == ReviewStatus.RETURNED:
        text = _("The office returned “%(title)s” for changes: %(comment)s") % {
            "title": locked.title,
            "comment": comment,
        }
    else:
        text = _("The office accepted “%(title)s”. Thank you!") % {"title": locked.title}
    notify(locked.club.leaders.all(), text=text, url=reverse("portal:exchange-detail", args=[locked.pk]))
    return locked


def resized_jpeg(upload) -> ContentFile:
    """Check that ``upload`` is a JPEG or PNG (by its content) within the size
    limits and return it as a JPEG no larger than PHOTO_MAX_SIDE on its longest
    side (phone photos are huge). The pixel count is read from the header and
    checked before anything is decoded: a small PNG may decode to gigabytes."""
    if upload.size > max_upload_bytes():
        raise ValidationError(
            {"image": _("The photo is too large: at most %(mb)s MB.") % {"mb": settings.OIA_MAX_UPLOAD_MB}}
        )
    not_a_photo = ValidationError({"image": _("This file is not a photo we can read. Upload a JPEG or PNG image.")})
    too_many_pixels = ValidationError(
        {
            "image": _(
                "The photo has too many pixels: at most %(megapixels)s megapixels. Upload a smaller version of it."
            )
            % {"megapixels": settings.OIA_PHOTO_MAX_PIXELS // 1_000_000}
        }
    )
    # A truncated photo is refused, not filled in grey (WeasyPrint's import turns that on process-wide).
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        # Only reads the header; Pillow refuses twice MAX_IMAGE_PIXELS itself (set in PartnersConfig).
        with Image.open(upload, formats=PHOTO_FORMATS) as image:
            width, height = image.size
            if width * height > settings.OIA_PHOTO_MAX_PIXELS:
                raise too_many_pixels
            image.load()
            image = ImageOps.exif_transpose(image).convert("RGB")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise not_a_photo from None
    image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return ContentFile(out.getvalue(), name="photo.jpg")


@transaction.atomic
def exchange_photo_add(*, exchange: Exchange, upload, caption: str = "", by) -> ExchangePhoto:
    locked = _lock_exchange(exchange)
    if not locked.editable_by_leader:
        raise ValidationError(_("This exchange has been accepted by the office and can no longer be changed."))
    photo = ExchangePhoto(exchange=locked, caption=caption.strip(), uploaded_by=by)
    photo.image.save("photo.jpg", resized_jpeg(upload), save=False)
    photo.save()
    _record(locked, ExchangeAction.PHOTO_ADDED, by)
    return photo


@transaction.atomic
def exchange_photo_remove(*, photo: ExchangePhoto, by) -> None:
    """A leader takes a photo back while the office has not accepted the
    exchange; the file goes with the row once the transaction commits."""
    locked = _lock_exchange(photo.exchange)
    if not locked.editable_by_leader:
        raise ValidationError(_("This exchange has been accepted by the office and can no longer be changed."))
    name, storage = photo.image.name, photo.image.storage
    photo.delete()
    _record(locked, ExchangeAction.PHOTO_REMOVED, by)
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def exchange_delete(*, exchange: Exchange, by) -> None:
    """Delete a draft logged by mistake. Once sent to the office an exchange
    stays, with its history: the office may have read or reported it."""
    locked = _lock_exchange(exchange)
    if locked.review_status != ReviewStatus.DRAFT:
        raise ValidationError(
            _("Only a draft can be deleted; this exchange is “%(status)s”.")
            % {"status": locked.get_review_status_display()}
        )
    files = [(photo.image.storage, photo.image.name) for photo in locked.photos.all()]
    locked.delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


@transaction.atomic
def anonymise_contact(contact: Contact, *, by, reason: str) -> Contact:
    """Erase a contact (GDPR Art. 17): name, e-mail and phone go; the role
    and organisation (an office, not a person) and the partnership stay."""
    reason = rights.clean_reason(reason)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.is_anonymised:
        raise ValidationError(_("This contact was already anonymised."))
    placeholder = rights.CONTACT_PLACEHOLDER.format(pk=contact.pk)
    audit.scrub_history(Contact.objects.filter(pk=contact.pk), name=placeholder, email="", phone="")
    contact.name = placeholder
    contact.email = contact.phone = ""
    contact.anonymised_at = timezone.now()
    contact.anonymised_by = by
    contact.anonymisation_reason = reason
    contact.save()
    rights.scrub_admin_log(contact, placeholder)
    log_event("contact_anonymised", user=by, contact_id=contact.pk, partnership_id=contact.partnership_id)
    return contact


def club_leaders():
    """The accounts a club leader's rights apply to: those that lead or led a
    club or an umbrella association, or hold the club leader role."""
    return (
        get_user_model()
        .objects.filter(
            Q(clubs_led__isnull=False)
            | Q(associations_led__isnull=False)
            | Q(groups__name=Role.CLUB_LEADER)
            | Q(anonymisation__isnull=False)
        )
        .distinct()
    )


@transaction.atomic
def anonymise_club_leader(user, *, by, reason: str):
    """Deactivate and anonymise a club leader's account (GDPR Art. 17). Their
    exchanges, photos and grant applications stay with the club; their
    author is shown as "former club leader". The account keeps no name,
    e-mail or password, leaves its clubs and umbrella associations and loses
    its notifications."""
    reason = rights.clean_reason(reason)
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if AnonymisedAccount.objects.filter(user=user).exists():
        raise ValidationError(_("This account was already anonymised."))
    if user == by:
        raise ValidationError(_("You cannot anonymise your own account."))
    placeholder = f"{rights.ANONYMISED_USERNAME_PREFIX}{user.pk}"
    audit.scrub_history(
        get_user_model().objects.filter(pk=user.pk), username=placeholder, first_name="", last_name="", email=""
    )
    audit.scrub_actor(user.pk, placeholder)
    user.username = placeholder
    user.first_name = user.last_name = user.email = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    user.clubs_led.clear()
    user.associations_led.clear()
    user.notifications.all().delete()
    AnonymisedAccount.objects.create(user=user, anonymised_by=by, anonymisation_reason=reason)
    rights.scrub_admin_log(user, placeholder)
    log_event("club_leader_anonymised", user=by, target_user_id=user.pk)
    return user


# --- umbrella associations ---------------------------------------------------------

ASSOCIATION_FIELDS = ("name", "contact_email", "contact_phone", "postal_address")


def _set_member_clubs(association: ClubAssociation, clubs) -> None:
    """Make ``clubs`` the association's members, under a lock on the clubs
    concerned. A club belongs to at most one umbrella association: one that
    belongs to another is refused, not silently moved."""
    wanted = {club.pk for club in clubs}
    rows = list(Club.objects.select_for_update().filter(Q(pk__in=wanted) | Q(association=association)).order_by("pk"))
    taken = [club for club in rows if club.pk in wanted and club.association_id not in (None, association.pk)]
    if taken:
        others = ClubAssociation.objects.in_bulk({club.association_id for club in taken})
        raise ValidationError(
            {
                "clubs": [
                    _("%(club)s already belongs to %(association)s; take it out of that association first.")
                    % {"club": club.name, "association": others[club.association_id].name}
                    for club in taken
                ]
            }
        )
    Club.objects.filter(pk__in=[club.pk for club in rows if club.pk not in wanted]).update(association=None)
    Club.objects.filter(pk__in=wanted).exclude(association=association).update(association=association)


@transaction.atomic
def club_association_create(*, clubs=(), leaders=None, **fields) -> ClubAssociation:
    """Record an umbrella association with its member clubs (and leaders)."""
    unknown = set(fields) - set(ASSOCIATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown association fields: {sorted(unknown)}")
    association = ClubAssociation(**fields)
    association.full_clean()
    association.save()
    if leaders is not None:
        association.leaders.set(leaders)
    _set_member_clubs(association, clubs)
    return association


@transaction.atomic
def club_association_update(
    *, association: ClubAssociation, version: int | None, clubs=None, leaders=None, **fields
) -> ClubAssociation:
    """Save an edit made on ``version`` (a change of members or leaders too);
    refuse it if someone saved in between. ``None`` leaves members or leaders as they are."""
    association = update_versioned(
        association,
        version=version,
        fields=fields,
        message=_(
            "Someone else changed this umbrella association while you were editing it. "
            "Reload the page to see their changes, then make yours again."
        ),
        allowed=ASSOCIATION_FIELDS,
    )
    if leaders is not None:
        association.leaders.set(leaders)
    if clubs is not None:
        _set_member_clubs(association, clubs)
    return association
