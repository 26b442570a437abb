"""The people of delegations: our city's departments and the persons
(officials or visitors) who take part in delegations."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from oia.models import Anonymised
from partners.models import City


class Department(models.Model):
    """A department of the city administration (managed list)."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Person(Anonymised):
    """An official of our city (with a department) or a visitor (with an
    organisation). Minimal personal data; dietary and accessibility needs are
    shown only to office staff organising a visit."""

    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title / function"), max_length=200, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("department"),
        help_text=_("For officials of our city."),
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True, help_text=_("For visitors."))
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("city")
    )
    country = CountryField(_("country"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    dietary_needs = models.CharField(_("dietary needs"), max_length=200, blank=True)
    accessibility_needs = models.CharField(_("accessibility needs"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]
        # The API's cursor pages, the people list and the person picker read in name order
        # from this index, without sorting everyone.
        indexes = [models.Index(fields=["name", "id"], name="person_name_id")]

    def __str__(self):
        return f"{self.name}, {self.title}" if self.title else self.name

    @property
    def is_official(self) -> bool:
        return self.department_id is not None
