"""City ambassadors: people abroad with ties to our city who promote it,
introduce contacts and organise delegations, and what they did."""

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from delegations.models import Delegation, Person
from partners.models import City

from ..choices import ActivityKind, AmbassadorArea


def serving_on_condition(day) -> Q:
    """Appointed on ``day``: the term has begun and not yet ended (a condition,
    so the report can count several days in one aggregate)."""
    return Q(appointed_on__lte=day) & (Q(until__isnull=True) | Q(until__gte=day))


class AmbassadorQuerySet(models.QuerySet):
    def for_list(self):
        """The rows of the list page and the API with their person, city and
        number of activities: one query, whatever the number of rows."""
        return self.select_related("person", "city").annotate(activity_count=models.Count("activities"))

    def serving_on(self, day):
        return self.filter(serving_on_condition(day))


class Ambassador(models.Model):
    """A city ambassador: a person living abroad, appointed for a term."""

    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, related_name="ambassadorship", verbose_name=_("person")
    )
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="+", verbose_name=_("lives in"))
    tie = models.CharField(
        _("tie to our city"), max_length=300, help_text=_("e.g. “born here”, “studied at the university”.")
    )
    appointed_on = models.DateField(_("appointed on"))
    until = models.DateField(_("appointed until"), null=True, blank=True)
    areas = ArrayField(
        models.CharField(max_length=20, choices=AmbassadorArea.choices),
        verbose_name=_("areas"),
        blank=True,
        default=list,
        size=len(AmbassadorArea.choices),
    )
    notes = models.TextField(_("internal notes"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = AmbassadorQuerySet.as_manager()

    class Meta:
        verbose_name = _("city ambassador")
        verbose_name_plural = _("city ambassadors")
        ordering = ["person__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("appointed_on")),
                name="ambassador_term_in_order",
                violation_error_message=_("The appointment cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return str(self.person)

    def area_labels(self) -> list[str]:
        """The areas in the user's language, in the order chosen."""
        return [AmbassadorArea(area).label for area in self.areas if area in AmbassadorArea.values]

    def serving_on(self, day) -> bool:
        return self.appointed_on <= day and (self.until is None or self.until >= day)

    def clean(self):
        if self.appointed_on and self.until and self.until < self.appointed_on:
            raise ValidationError({"until": _("The appointment cannot end before it starts.")})


class AmbassadorActivity(models.Model):
    """One thing an ambassador did. A delegation they organised is linked
    here, which makes it an official one (``protocol.services``)."""

    ambassador = models.ForeignKey(
        Ambassador, on_delete=models.CASCADE, related_name="activities", verbose_name=_("ambassador")
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    description = models.CharField(_("description"), max_length=300)
    delegation = models.OneToOneField(
        Delegation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ambassador_activity",
        verbose_name=_("delegation organised"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("ambassador's activity")
        verbose_name_plural = _("ambassadors' activities")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=ActivityKind.DELEGATION) | Q(delegation__isnull=False),
                name="activity_delegation_named",
                violation_error_message=_("Choose the delegation the ambassador organised."),
            ),
        ]

    def __str__(self):
        return f"{self.ambassador}: {self.description}"

    def clean(self):
        if self.kind == ActivityKind.DELEGATION and not self.delegation_id:
            raise ValidationError({"delegation": _("Choose the delegation the ambassador organised.")})
