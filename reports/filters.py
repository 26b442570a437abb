"""The FilterSet of /api/reports/."""

import django_filters

from oia.filters import YearFilter

from .choices import RequestStatus, VersionStatus
from .models import ReportRequest


class ReportFilter(django_filters.FilterSet):
    year = YearFilter()
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices)
    version_status = django_filters.ChoiceFilter(field_name="version__status", choices=VersionStatus.choices)

    class Meta:
        model = ReportRequest
        fields = ["year", "status", "version_status"]
