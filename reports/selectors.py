"""Reads of the reports app shared by the pages and the API: which report
requests and versions a user may see, and the versions a page shows beside
the one it is about. A list never loads the stored files (html, pdf, xlsx);
only a download does."""

from django.conf import settings
from django.utils import translation

from oia.roles import OFFICE, has_role

from .choices import VersionStatus
from .models import ReportRequest, ReportVersion
from .render import render_pdf

# Council members read published versions and the ones they superseded.
READABLE_STATUSES = (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED)


def versions_for(user):
    """Office staff see all versions, council members the published ones."""
    versions = ReportVersion.objects.for_list()
    return versions if has_role(user, OFFICE) else versions.readable()


def requests_for(user, *, with_figures: bool = False):
    """The report requests with their version, newest year first; for a council
    member only those whose version is readable. The figures only on demand."""
    requests = (
        ReportRequest.objects.select_related("version")
        .defer("version__html", "version__pdf", "version__xlsx")
        .order_by("-year", "-created_at", "-pk")
    )
    if not has_role(user, OFFICE):
        requests = requests.filter(version__status__in=READABLE_STATUSES)
    if not with_figures:
        requests = requests.defer("version__figures")
    return requests


def recent_requests(limit: int = 10) -> list[ReportRequest]:
    """The office's latest report requests with who asked, newest first."""
    return list(ReportRequest.objects.select_related("requested_by")[:limit])


def request_for_detail():
    return ReportRequest.objects.select_related("requested_by", "version")


def version_for_detail(pk: int) -> ReportVersion:
    return ReportVersion.objects.select_related("created_by", "published_by").get(pk=pk)


def version_with_files(pk: int) -> ReportVersion:
    """One version with its stored files, for a download."""
    return ReportVersion.objects.get(pk=pk)


def version_file(version: ReportVersion, fmt: str) -> bytes:
    """The file a download hands out. A draft's PDF is printed on demand from
    its frozen figures with the DRAFT mark on the cover and every page; the
    stored PDF (without it) is what a published version hands out, unchanged."""
    if fmt == "pdf" and version.status == VersionStatus.DRAFT:
        with translation.override(settings.OIA_REPORT_LANGUAGE):
            return render_pdf(version.figures, number=version.number, cut_off=version.data_cut_off, draft=True)
    return bytes(getattr(version, fmt))


def published_version(year: int) -> ReportVersion | None:
    """The year's published version (its number), or None."""
    return ReportVersion.objects.filter(year=year, status=VersionStatus.PUBLISHED).only("pk", "number").first()


def other_versions(version: ReportVersion):
    """The other versions of the same year (their numbers)."""
    return ReportVersion.objects.filter(year=version.year).exclude(pk=version.pk).only("pk", "number")


def public_version(year: int) -> ReportVersion | None:
    """The year's report at its public address: only a published version marked public."""
    return ReportVersion.objects.filter(year=year, status=VersionStatus.PUBLISHED, public=True).first()


def published_versions(limit: int) -> list[ReportVersion]:
    """The published report of each year, newest first, in one query (the council's dashboard)."""
    return list(
        ReportVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .only("pk", "year", "number", "published_at")
        .order_by("-year")[:limit]
    )
