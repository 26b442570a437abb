"""The Consular Corps: the foreign posts in our city, their heads of post
in the order of precedence, and the office's part in their national days."""

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Least
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from delegations.models import Person

from ..choices import HeadCategory, HeadClass, ObservanceKind, PostKind


def open_on_condition(day) -> Q:
    """A post is open on ``day`` (a date or an expression) when it opened on or
    before it (or the date is unknown) and has not yet closed: a condition, so
    the report can count several days in one aggregate."""
    return (Q(opened_on__isnull=True) | Q(opened_on__lte=day)) & (Q(closed_on__isnull=True) | Q(closed_on__gt=day))


class ConsularPostQuerySet(models.QuerySet):
    def for_list(self):
        """The posts with the people the list, the API and the exports show: one query."""
        return self.select_related("head", "deputy")

    def open_on(self, day: datetime.date):
        return self.filter(open_on_condition(day))

    def in_precedence_order(self):
        """Heads of post as protocol ranks them (Vienna Convention on Consular
        Relations, Art. 16): by class; within a class career heads before
        honorary ones (16(5)); then by the date of the exequatur, or of the
        provisional admission if that came first (16(1), (2)); on the same date
        by the presentation of the commission (16(3)); acting heads after every
        head of post (16(4)), among themselves by the same rules. Posts
        without a head come last, by country.

        The admission date is the earlier of the two dates (PostgreSQL's
        LEAST skips a missing one), so a provisional admission recorded after
        the exequatur by mistake cannot push a head down the list."""
        return self.annotate(
            precedence_acting=Case(When(head_is_acting=True, then=Value(1)), default=Value(0)),
            precedence_category=Case(When(head_category=HeadCategory.HONORARY, then=Value(1)), default=Value(0)),
            precedence_admitted=Least("provisional_admission_on", "exequatur_on"),
        ).order_by(
            Case(When(head__isnull=True, then=Value(1)), default=Value(0)),
            "precedence_acting",
            F("head_class").asc(nulls_last=True),
            "precedence_category",
            F("precedence_admitted").asc(nulls_last=True),
            F("commission_presented_on").asc(nulls_last=True),
            "country",
            "pk",
        )


class ConsularPost(models.Model):
    """A foreign state's post in our city: an embassy office, a (career or
    honorary) consulate-general or consulate. Opened and closed on record."""

    country = CountryField(_("country"))
    kind = models.CharField(_("kind of post"), max_length=30, choices=PostKind.choices)
    name = models.CharField(
        _("name"), max_length=200, help_text=_("As the post calls itself, e.g. “Consulate-General of Japan”.")
    )
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    jurisdiction = models.CharField(_("consular district"), max_length=300, blank=True)
    languages = ArrayField(
        models.CharField(max_length=50), verbose_name=_("languages"), blank=True, default=list, size=20
    )

    head = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consular_posts_headed",
        verbose_name=_("head of post"),
    )
    head_title = models.CharField(
        _("head's title"), max_length=200, blank=True, help_text=_("e.g. “Consul General”, “Honorary Consul”.")
    )
    head_class = models.PositiveSmallIntegerField(
        _("class of the head of post"), choices=HeadClass.choices, null=True, blank=True
    )
    head_category = models.CharField(
        _("career or honorary"), max_length=10, choices=HeadCategory.choices, default=HeadCategory.CAREER
    )
    head_is_acting = models.BooleanField(
        _("acting head of post"), default=False, help_text=_("An acting head ranks after every head of post.")
    )
    exequatur_on = models.DateField(_("exequatur granted on"), null=True, blank=True)
    provisional_admission_on = models.DateField(
        _("provisionally admitted on"),
        null=True,
        blank=True,
        help_text=_("If the head was admitted before the exequatur, precedence counts from this date."),
    )
    commission_presented_on = models.DateField(
        _("commission presented on"),
        null=True,
        blank=True,
        help_text=_("Decides between heads admitted on the same day."),
    )
    deputy = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consular_posts_deputised",
        verbose_name=_("deputy"),
    )
    contacts = models.ManyToManyField(
        Person, blank=True, related_name="consular_posts", verbose_name=_("other contacts")
    )

    national_day_month = models.PositiveSmallIntegerField(
        _("national day: month"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    national_day_day = models.PositiveSmallIntegerField(
        _("national day: day"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    national_day_name = models.CharField(_("name of the national day"), max_length=200, blank=True)

    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    notes = models.TextField(_("internal notes"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConsularPostQuerySet.as_manager()

    class Meta:
        verbose_name = _("consular post")
        verbose_name_plural = _("consular posts")
        ordering = ["country", "name"]
        indexes = [models.Index(fields=["national_day_month", "national_day_day"], name="post_national_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(opened_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                name="post_closed_after_opened",
                violation_error_message=_("A post cannot close before it opened."),
            ),
            models.CheckConstraint(
                condition=Q(national_day_month__isnull=True, national_day_day__isnull=True)
                | Q(national_day_month__isnull=False, national_day_day__isnull=False),
                name="post_national_day_whole",
                violation_error_message=_("Give both the month and the day of the national day, or neither."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    def national_day_in(self, year: int) -> datetime.date | None:
        """The national day in ``year``; 29 February falls on 28 February in other years."""
        if self.national_day_month is None or self.national_day_day is None:
            return None
        try:
            return datetime.date(year, self.national_day_month, self.national_day_day)
        except ValueError:
            return datetime.date(year, 2, 28)

    def clean(self):
        errors = {}
        if (self.national_day_month is None) != (self.national_day_day is None):
            errors["national_day_day"] = _("Give both the month and the day of the national day, or neither.")
        elif self.national_day_month is not None:
            try:
                datetime.date(2000, self.national_day_month, self.national_day_day)  # a leap year
            except ValueError:
                errors["national_day_day"] = _("This month has no such day.")
        if self.opened_on and self.closed_on and self.closed_on < self.opened_on:
            errors["closed_on"] = _("A post cannot close before it opened.")
        if self.provisional_admission_on and self.exequatur_on and self.provisional_admission_on > self.exequatur_on:
            errors["provisional_admission_on"] = _("A provisional admission comes before the exequatur.")
        if self.deputy_id and self.deputy_id == self.head_id:
            errors["deputy"] = _("The deputy cannot be the head of post.")
        if errors:
            raise ValidationError(errors)


class NationalDayObservance(models.Model):
    """What the office did on a post's national day in one year."""

    post = models.ForeignKey(
        ConsularPost, on_delete=models.CASCADE, related_name="observances", verbose_name=_("consular post")
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("what the office did"), max_length=20, choices=ObservanceKind.choices)
    represented_by = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("represented by"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("national day observance")
        verbose_name_plural = _("national day observances")
        ordering = ["-date", "post"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "date"],
                name="observance_once_a_day",
                violation_error_message=_("The office's part in this national day is already recorded."),
            ),
        ]

    def __str__(self):
        return f"{self.post} {self.date}"
