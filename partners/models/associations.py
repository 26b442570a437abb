"""Umbrella associations of the partnership clubs (a "Dachverband der
Partnerschaftsvereine": Köln has 22 clubs under one alliance with common
reporting rules and a regular meeting of club presidents).

A club belongs to at most one umbrella association (``Club.association``). The
association's leaders read what its member clubs sent to the office in the
portal, and never change it: a club's exchanges stay the club's own."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy as _

from .partnerships import Club


class ClubAssociationQuerySet(models.QuerySet):
    def for_list(self):
        """Everything a list row and an API answer show, in a fixed number of queries."""
        return self.annotate(club_count=Count("clubs", distinct=True)).prefetch_related(
            Prefetch("clubs", queryset=Club.objects.order_by("name")), "leaders"
        )

    def led_by(self, user):
        return self.filter(leaders=user)


class ClubAssociation(models.Model):
    """An umbrella association of partnership clubs, run by volunteers like its clubs."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="associations_led", verbose_name=_("leaders")
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClubAssociationQuerySet.as_manager()

    class Meta:
        verbose_name = _("umbrella association")
        verbose_name_plural = _("umbrella associations")
        ordering = ["name"]

    def __str__(self):
        return self.name
