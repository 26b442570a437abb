"""The council report's section "Protocol and events" in a real browser: a
council member reads it in the published version, and it passes axe."""

import pytest
from django.urls import reverse

from oia.roles import Role
from reports.choices import VersionStatus
from reports.render import render_html
from reports.sections import build_figures
from tests.factories import ReportVersionFactory, UserFactory
from tests.reports.test_protocol_section import protocol_2025  # noqa: F401  (the hand-built year, as a fixture)

pytestmark = pytest.mark.browser


def test_council_member_reads_the_protocol_section(page, protocol_2025):  # noqa: F811
    figures, checksum = build_figures(2025, cut_off="2026-01-15T06:00:00+01:00")
    version = ReportVersionFactory(
        year=2025, status=VersionStatus.PUBLISHED, figures=figures, html=render_html(figures), checksum=checksum
    )
    UserFactory(username="clara", role=Role.COUNCIL)

    page.log_in("clara")
    page.visit(reverse("reports:version-detail", args=[version.pk]))

    assert page.find("#section-protocol-title").text == "8. Protocol and events"
    assert "Consulate of Ruritania" in page.find("#table-protocol-posts_opened_closed").text
    assert "New Year's Eve reception" in page.find("#table-protocol-events").text
    page.find("a[href='#section-protocol']").click()
    page.check_accessibility()
