"""The world map of partner cities: inline SVG drawn on the server, so it works
offline and without JavaScript, with a table below as its text alternative."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from oia.permissions import OfficeRequiredMixin

from .. import map_geometry as geo
from ..choices import Status
from ..models import City, Partnership

NO_STATUS = _("No status recorded")


@dataclass(frozen=True)
class PartnerPlace:
    """One partnership as the map and the table show it."""

    city: str
    country: str
    status: str
    status_label: str
    style: geo.MarkerStyle
    url: str
    point: geo.Point | None
    line: str


class PartnershipMapView(OfficeRequiredMixin, TemplateView):
    template_name = "partners/map.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        home = self.home_city()
        home_point = geo.project(home.longitude, home.latitude) if home else None
        partnerships = Partnership.objects.select_related("partner_city")
        places = [self.place(partnership, home_point) for partnership in partnerships]
        drawn = sorted((p for p in places if p.point), key=lambda p: self.drawing_rank(p.status))
        statuses = {p.status for p in places}
        context.update(
            width=geo.MAP_WIDTH,
            height=geo.MAP_HEIGHT,
            outline=geo.world_outline(),
            colours={
                "sea": geo.SEA_COLOUR,
                "land": geo.LAND_COLOUR,
                "border": geo.BORDER_COLOUR,
                "line": geo.LINE_COLOUR,
            },
            places=places,
            markers=drawn,
            home_city_name=settings.OIA_HOME_CITY,
            home_point=home_point,
            home_style=geo.HOME_STYLE,
            legend=self.legend(show_unknown=bool(statuses - set(Status.values))),
        )
        return context

    @staticmethod
    def home_city():
        """The home city's own City row, if someone has recorded it with coordinates."""
        return (
            City.objects.filter(name=settings.OIA_HOME_CITY, latitude__isnull=False, longitude__isnull=False)
            .order_by("pk")
            .first()
        )

    @staticmethod
    def place(partnership, home_point):
        city = partnership.partner_city
        status = partnership.current_status or ""
        point = None
        if city.latitude is not None and city.longitude is not None:
            point = geo.project(city.longitude, city.latitude)
        return PartnerPlace(
            city=city.name,
            country=city.country.name,
            status=status,
            status_label=Status(status).label if status in Status.values else NO_STATUS,
            style=geo.style_for(status),
            url=reverse("partners:partnership-detail", args=[partnership.pk]),
            point=point,
            line=geo.connection_path(home_point, point) if home_point and point else "",
        )

    @staticmethod
    def drawing_rank(status):
        return geo.DRAWING_ORDER.index(status) if status in geo.DRAWING_ORDER else -1

    @staticmethod
    def legend(show_unknown):
        entries = [{"label": status.label, "style": geo.STATUS_STYLES[status]} for status in Status]
        if show_unknown:
            entries.append({"label": NO_STATUS, "style": geo.UNKNOWN_STYLE})
        return entries
