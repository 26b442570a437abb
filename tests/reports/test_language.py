"""The report is written in the office's report language (OIA_REPORT_LANGUAGE),
whatever language the person who asked for it uses; publishing it tells the
council members."""

import datetime
import io

from pypdf import PdfReader

from oia.models import Notification
from reports.models import ReportVersion
from reports.services import report_generate, report_publish, report_request_create
from tests.factories import DelegationFactory, ReportVersionFactory


def test_a_german_office_gets_its_report_in_german(db, settings, admin_user_oia):
    settings.OIA_REPORT_LANGUAGE = "de"
    DelegationFactory(status="completed", start_on=datetime.date(2025, 5, 1))
    request, _ = report_request_create(year=2025, by=admin_user_oia)

    version = report_generate(request_id=request.pk)

    assert isinstance(version, ReportVersion)
    titles = [section["title"] for section in version.figures["sections"]]
    assert titles[:4] == ["Auslandsreisen", "Empfangene Gäste", "Partnerschaften", "Vereine und Bürgerschaft"]
    assert '<div class="council-report" lang="de">' in version.html
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(bytes(version.pdf))).pages)
    assert "Jahresbericht 2025 an den Rat der" in text  # the cover title wraps before "Stadt"
    assert "Seite 2 / " in text


def test_publishing_tells_the_council_members_and_nobody_else(db, admin_user_oia, council_user, staff_user):
    version = ReportVersionFactory(year=2025)

    report_publish(version=version, by=admin_user_oia)

    notes = list(Notification.objects.all())
    assert [note.user for note in notes] == [council_user]
    assert "The annual report 2025 to the city council is published (version" in notes[0].text
    assert notes[0].url == f"/reports/versions/{version.pk}/"
