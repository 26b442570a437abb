"""Partner cities: the cities, the partnerships with them and everything that
hangs under a partnership's umbrella (status history, sub-partnerships,
trilateral links, clubs, contacts; documents in ``documents.py``)."""

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from pgtrigger import After, Before, Delete, Insert, Referencing, Statement, Trigger, Update

from oia.models import Anonymised
from oia.text import search_forms

from ..choices import InstitutionKind, PartnershipKind, Region, Status, region_for_country

# An ICU collation (created by migration partners 0011) that sorts accented
# letters with their base letter and numbers by value ("und-u-kn").
NATURAL_COLLATION = "oia_natural"


def city_search_key(*names: str) -> str:
    """What a city search looks in: each name in its folded forms, one per
    line, so a query never matches across two names."""
    forms = []
    for name in names:
        for form in search_forms(" ".join((name or "").split())):
            if form and form not in forms:
                forms.append(form)
    return "\n".join(forms)


class City(models.Model):
    """A city anywhere in the world. Identity is name + country + coordinates,
    because names repeat (Frankfurt am Main and Frankfurt (Oder))."""

    # Sorted as people expect: Liège, Lille, Liverpool (not Liège last).
    name = models.CharField(_("name"), max_length=200, db_collation=NATURAL_COLLATION)
    local_name = models.CharField(
        _("name in the local language"), max_length=200, blank=True, db_collation=NATURAL_COLLATION
    )
    country = CountryField(_("country"))
    region = models.CharField(_("world region"), max_length=32, choices=Region.choices, editable=False)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    geonames_id = models.PositiveIntegerField(_("GeoNames id"), null=True, blank=True)
    alternative_names = ArrayField(
        models.CharField(max_length=200),
        verbose_name=_("other names"),
        blank=True,
        default=list,
        size=500,
        help_text=_("Exonyms and other spellings, from the gazetteer or typed in; search finds any of them."),
    )
    # Every name, folded both ways (oia.text.search_forms), one per line.
    search_key = models.TextField(editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["name", "country"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "country", "latitude", "longitude"],
                nulls_distinct=False,
                name="city_identity",
                violation_error_message=_("This city is already recorded (same name, country and coordinates)."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.country.code})"

    def save(self, *args, **kwargs):
        self.region = region_for_country(self.country.code if self.country else "")
        self.search_key = city_search_key(self.name, self.local_name, *(self.alternative_names or []))
        super().save(*args, **kwargs)

    def clean(self):
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Give both latitude and longitude, or neither."))


class AreaOfCooperation(models.Model):
    """A managed list: culture, youth, schools, sport, economy and trade, climate …"""

    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("area of cooperation")
        verbose_name_plural = _("areas of cooperation")
        ordering = ["name"]

    def __str__(self):
        return self.name


# The order of a partnership's status changes, newest first: by the day they
# take effect, and on the same day the one entered last.
NEWEST_FIRST = ["-effective_on", "-pk"]


def status_on(day=None) -> Subquery:
    """A partnership's status, as an expression over a Partnership queryset.

    The current status is the status of the latest change (``NEWEST_FIRST``);
    the status on a ``day`` is that of the latest change effective on or before
    that day (so a change dated 31 December counts for that year, one on
    1 January for the next). The current status is also stored on the
    partnership (``Partnership.current_status``, kept by the database); read
    that, and this for a status on a past day."""
    changes = StatusChange.objects.filter(partnership=OuterRef("pk"))
    if day is not None:
        changes = changes.filter(effective_on__lte=day)
    return Subquery(changes.newest_first().values("status")[:1])


def formalised_value(formalised_on, year_only: bool) -> str:
    """The formalisation date as known, as data: the year alone when only the
    year is, else ISO (for the form, exports and rows read with ``values()``,
    as the council report reads them). Pages show ``formalised_display``."""
    return str(formalised_on.year) if year_only else formalised_on.isoformat()


class PartnershipQuerySet(models.QuerySet):
    def for_list(self):
        """Everything a list row shows, in a fixed number of queries."""
        return self.select_related("partner_city", "responsible_officer").prefetch_related("areas", "clubs")

    def not_ended(self):
        return self.exclude(current_status=Status.ENDED)

    def in_force_during(self, year: int):
        """Partnerships in force for at least one day of ``year``: formalised
        by 31 December, not past their end date (``ends_on``) before 1 January,
        and not recorded as ended before 1 January (the status on 31 December
        of the year before is not "ended"). Dormant and frozen ones are in force."""
        first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        status_before = status_on(first - datetime.timedelta(days=1))
        return (
            self.filter(formalised_on__lte=last)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first))
            .alias(status_before=status_before)
            .filter(Q(status_before__isnull=True) | ~Q(status_before=Status.ENDED))
        )


class Partnership(models.Model):
    """A partnership of the home city (``OIA_HOME_CITY``) with a partner city.

    The formalisation date may be known only by its year (old agreements);
    then ``formalised_on`` holds 1 January and ``formalised_year_only`` is set.

    The current status is the latest ``StatusChange``. Lists, filters and the
    dashboard ask it of thousands of partnerships, so it is also stored here
    (``current_status``, ``current_status_on``) and kept by the database, not
    by Python: whatever writes the history (the services, the import's
    ``bulk_create``, the admin, the demo loader, raw SQL) or saves a
    partnership with an older copy of it, the triggers below read the history
    again. Nothing else writes these two columns.
    """

    partner_city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="partnerships", verbose_name=_("partner city")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PartnershipKind.choices, default=PartnershipKind.TWINNING)
    formalised_on = models.DateField(_("formalised on"))
    formalised_year_only = models.BooleanField(_("only the year is known"), default=False)
    ends_on = models.DateField(
        _("ends on"), null=True, blank=True, help_text=_("For time-limited project partnerships.")
    )
    areas = models.ManyToManyField(
        AreaOfCooperation, blank=True, related_name="partnerships", verbose_name=_("areas of cooperation")
    )
    responsible_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partnerships",
        verbose_name=_("responsible officer"),
    )
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The latest StatusChange's status and date, kept by the triggers (NULL: no history yet).
    current_status = models.CharField(  # noqa: DJ001  (NULL, as for a partnership without history)
        _("status"), max_length=20, choices=Status.choices, null=True, editable=False
    )
    current_status_on = models.DateField(_("status since"), null=True, editable=False)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["partner_city__name"]
        indexes = [models.Index(fields=["current_status"], name="partnership_current_status")]
        triggers = [
            # Whatever a row says, its current status is read again from the history.
            Trigger(
                name="current_status_from_history",
                when=Before,
                operation=Insert | Update,
                func="""
                    SELECT status, effective_on INTO NEW.current_status, NEW.current_status_on
                    FROM partners_statuschange WHERE partnership_id = NEW.id
                    ORDER BY effective_on DESC, id DESC  -- NEWEST_FIRST
                    LIMIT 1;
                    RETURN NEW;
                """,
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=models.F("formalised_on")),
                name="partnership_ends_after_formalised",
                violation_error_message=_("The end date must be after the date the partnership was formalised."),
            ),
        ]

    def __str__(self):
        return str(self.partner_city.name)

    @property
    def formalised_value(self) -> str:
        return formalised_value(self.formalised_on, self.formalised_year_only)

    @property
    def formalised_display(self) -> str:
        """The formalisation date for a page, in the reader's language ("4 May 1991", "1991")."""
        if self.formalised_year_only:
            return str(self.formalised_on.year)
        return date_format(self.formalised_on, "DATE_FORMAT")

    def clean(self):
        errors = {}
        if self.formalised_on and self.formalised_on > timezone.localdate():
            errors["formalised_on"] = _("The formalisation date cannot be in the future.")
        if self.ends_on and self.formalised_on and self.ends_on <= self.formalised_on:
            errors["ends_on"] = _("The end date must be after the date the partnership was formalised.")
        if self.ends_on and self.kind != PartnershipKind.PROJECT:
            errors["ends_on"] = _("Only project-based partnerships have an end date.")
        if self.partner_city_id and self._has_open_duplicate():
            errors["partner_city"] = _("There is already a partnership with this city that has not ended.")
        if errors:
            raise ValidationError(errors)

    def _has_open_duplicate(self) -> bool:
        others = Partnership.objects.filter(partner_city_id=self.partner_city_id).exclude(pk=self.pk)
        return others.not_ended().exists()

    def status_history(self):
        return self.status_changes.select_related("recorded_by").newest_first()

    def next_statuses(self) -> list[str]:
        """The statuses a change may record from here: any but the current one
        (``partnership_change_status`` refuses the same status again)."""
        return [status for status in Status.values if status != self.current_status]

    def current_status_change(self) -> "StatusChange | None":
        """The change in force: the newest of the prefetched ``status_changes``
        (no query; lists and the API prefetch them), else one query."""
        if "status_changes" in getattr(self, "_prefetched_objects_cache", {}):
            # The same order as NEWEST_FIRST, in Python.
            return max(self.status_changes.all(), key=lambda change: (change.effective_on, change.pk), default=None)
        return self.status_changes.newest_first().first()


class StatusChangeQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by(*NEWEST_FIRST)

    def with_previous_status(self):
        """Annotate ``previous``: the status each change replaced (``None`` for
        the first entry, which records the formalisation)."""
        same_day_before = Q(effective_on=OuterRef("effective_on"), pk__lt=OuterRef("pk"))
        earlier = StatusChange.objects.filter(partnership=OuterRef("partnership")).filter(
            Q(effective_on__lt=OuterRef("effective_on")) | same_day_before
        )
        return self.annotate(previous=Subquery(earlier.newest_first().values("status")[:1]))


class StatusChange(models.Model):
    """One dated change of a partnership's status, with its reason."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("partnership")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    effective_on = models.DateField(_("effective on"))
    reason = models.TextField(_("reason"))
    institutional_contacts_continue = models.BooleanField(
        _("institution-level contacts go on"),
        default=True,
        help_text=_(
            "For a frozen partnership: official contacts are halted; may schools, artists and "
            "other institutions stay in touch?"
        ),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = StatusChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = NEWEST_FIRST
        # A partnership's status on a day is its latest change on or before that day.
        indexes = [models.Index(fields=["partnership", "-effective_on", "-id"], name="statuschange_on_day")]
        # Once per statement, not per row (an import inserts thousands): each partnership
        # whose history changed is touched, and its own trigger reads its current status again.
        triggers = [
            Trigger(
                name=f"partnership_status_on_{name}",
                when=After,
                operation=operation,
                level=Statement,
                referencing=referencing,
                func=f"""
                    UPDATE partners_partnership SET current_status = NULL
                    WHERE id IN ({" UNION ".join(f"SELECT partnership_id FROM {table}" for table in tables)});
                    RETURN NULL;
                """,
            )
            for name, operation, referencing, tables in [
                ("insert", Insert, Referencing(new="new_rows"), ["new_rows"]),
                ("update", Update, Referencing(old="old_rows", new="new_rows"), ["old_rows", "new_rows"]),
                ("delete", Delete, Referencing(old="old_rows"), ["old_rows"]),
            ]
        ]

    def __str__(self):
        return f"{self.partnership}: {self.get_status_display()} ({self.effective_on})"


class SubPartnership(models.Model):
    """A link between institutions under a partnership's umbrella (schools, ports …)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="sub_partnerships", verbose_name=_("partnership")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=InstitutionKind.choices)
    local_institution = models.CharField(_("institution in our city"), max_length=200)
    partner_institution = models.CharField(_("institution in the partner city"), max_length=200)
    since = models.DateField(_("since"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("sub-partnership")
        verbose_name_plural = _("sub-partnerships")
        ordering = ["kind", "local_institution"]

    def __str__(self):
        return f"{self.local_institution} – {self.partner_institution}"


class TrilateralLinkQuerySet(models.QuerySet):
    def touching(self, partnership):
        """The links that concern ``partnership``, whichever side it is on:
        those recorded under it, those of another partnership that name it,
        and those naming its partner city as the third city. Both partnerships'
        pages and ``/api/trilateral-links/?partnership=`` show the same links."""
        return self.filter(
            Q(partnership=partnership)
            | Q(linked_partnership=partnership)
            | Q(third_city_id=partnership.partner_city_id)
        )

    def for_list(self):
        """Everything a row shows (both partnerships' cities, the third city) in one query."""
        return self.select_related("partnership__partner_city", "linked_partnership__partner_city", "third_city")


class TrilateralLink(models.Model):
    """A third party shared with a partner: another partnership or a third city."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="trilateral_links", verbose_name=_("partnership")
    )
    linked_partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("linked partnership"),
    )
    third_city = models.ForeignKey(
        City, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("third city")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = TrilateralLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("trilateral link")
        verbose_name_plural = _("trilateral links")
        constraints = [
            models.CheckConstraint(
                condition=Q(linked_partnership__isnull=True) ^ Q(third_city__isnull=True),
                name="trilateral_link_has_one_target",
                violation_error_message=_("Link either another partnership or a third city, not both."),
            ),
            models.CheckConstraint(
                condition=~Q(linked_partnership=models.F("partnership")),
                name="trilateral_link_not_to_itself",
                violation_error_message=_("A partnership cannot be linked to itself."),
            ),
        ]

    def __str__(self):
        return f"{self.partnership} – {self.linked_partnership or self.third_city}"

    def other_side(self, partnership) -> "Partnership | City":
        """What the link joins ``partnership`` with, seen from its page: for
        the partnership it is recorded under, the linked partnership or the
        third city; for the other side, the partnership it is recorded under."""
        if self.partnership_id == partnership.pk:
            return self.linked_partnership or self.third_city
        return self.partnership


class Club(models.Model):
    """A partner-city club (Verein, sister city association) run by volunteers."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    partnerships = models.ManyToManyField(Partnership, related_name="clubs", verbose_name=_("partnerships"))
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    member_count = models.PositiveIntegerField(_("members"), null=True, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="clubs_led", verbose_name=_("leaders")
    )
    association = models.ForeignKey(
        "ClubAssociation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="clubs",
        verbose_name=_("umbrella association"),
        help_text=_("The umbrella association of partnership clubs the club belongs to, if any."),
    )
    is_community_group = models.BooleanField(
        _("community group"),
        default=False,
        help_text=_("A community group registered by the office to apply for trip grants, not a partnership club."),
    )

    class Meta:
        verbose_name = _("club")
        verbose_name_plural = _("clubs")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def in_umbrella_alliance(self) -> bool:
        """Whether the club belongs to an umbrella association (no query)."""
        return self.association_id is not None


class Contact(Anonymised):
    """A counterpart in the partner city. Personal data: staff only, minimal fields."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("partnership")
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    language = models.CharField(_("language"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["name"]

    def __str__(self):
        return self.name
