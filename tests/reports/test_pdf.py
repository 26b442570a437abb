"""The report's PDF as a council member receives it: a cover naming the year,
the version and the data cut-off, a DRAFT mark until it is published, tagged
for screen readers (PDF/UA-1) with its bookmarks, and no heading or caption
left alone at the foot of a page."""

import datetime
import io

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader
from weasyprint.formatting_structure import boxes

from oia.pdf import _document_class, _printer, _stylesheet
from oia.roles import Role
from reports.models import ReportRequest
from reports.render import render_pdf
from reports.render.pdf import STYLESHEET, pdf_html
from reports.services import read_figures, report_generate
from tests.factories import DelegationFactory, PartnershipFactory, UserFactory
from tests.second_factor import sign_in

CUT_OFF = datetime.datetime(2026, 1, 15, 6, 30, tzinfo=datetime.UTC)


@pytest.fixture
def figures(db):
    partnership = PartnershipFactory()
    DelegationFactory(
        status="completed", city=partnership.partner_city, partnership=partnership, start_on=datetime.date(2025, 5, 1)
    )
    return read_figures(2025)[0]


def pdf_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_the_cover_names_year_version_and_data_cut_off(figures):
    cover = " ".join(pdf_text(render_pdf(figures, number=3, cut_off=CUT_OFF))[0].split())

    assert "Annual report 2025 to the city council" in cover
    assert "Year 2025" in cover
    assert "Version 3" in cover
    assert "Data cut-off 15 January 2026, 07:30" in cover  # in the office's time zone
    assert "DRAFT" not in cover


def test_a_draft_says_draft_on_the_cover_and_on_every_page(figures):
    pages = pdf_text(render_pdf(figures, number=1, cut_off=CUT_OFF, draft=True))

    assert "Not published: the figures of this draft may still change." in " ".join(pages[0].split())
    assert all("DRAFT" in page for page in pages)


def test_the_pdf_is_tagged_and_keeps_its_bookmarks_and_contents(figures):
    reader = PdfReader(io.BytesIO(render_pdf(figures, number=1, cut_off=CUT_OFF)))

    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en"
    titles = []

    def walk(outline):
        for item in outline:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    assert "Annual report 2025 to the city council" in titles
    assert "1. Travel abroad" in titles
    assert "Contents" in reader.pages[1].extract_text()


def last_text_on_each_page(html: str) -> list[tuple[list[str], str]]:
    """The elements around the last line of text of each page (page margins left out)."""
    fonts, fetcher = _printer()
    document = _document_class()(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher).render(
        stylesheets=[_stylesheet(STYLESHEET)], font_config=fonts
    )
    found = []
    for page in document.pages:
        last = None

        def walk(box, tags):
            nonlocal last
            if isinstance(box, boxes.MarginBox):
                return
            if isinstance(box, boxes.TextBox) and box.text.strip():
                last = (tags, box.text)
            if not isinstance(box, boxes.InlineLevelBox | boxes.LineBox):
                tags = [*tags, box.element_tag]
            for child in getattr(box, "children", []):
                walk(child, tags)

        walk(page._page_box, [])
        found.append(last)
    return found


def test_no_caption_or_heading_is_left_alone_at_the_foot_of_a_page(db):
    """Intros of growing length push the tables' captions down the page: each
    caption moves to the next page with its table (the issue found one stranded)."""
    columns = [
        {"key": "label", "label": "Name", "kind": "text"},
        {"key": "value", "label": "2025", "kind": "int"},
    ]
    for words in range(120, 420, 12):
        figures = {
            "year": 2025,
            "sections": [
                {
                    "key": "alpha",
                    "title": "Alpha",
                    "intro": "Lorem ipsum dolor sit amet. " * words,
                    "tables": [
                        {"key": "t", "caption": "First", "columns": columns, "rows": [["a", n] for n in range(5)]},
                        {"key": "u", "caption": "Second", "columns": columns, "rows": [["b", n] for n in range(30)]},
                    ],
                }
            ],
        }
        for page, (tags, text) in enumerate(last_text_on_each_page(pdf_html(figures)), start=1):
            assert not {"caption", "h1", "h2", "h3"} & set(tags[-3:]), (words, page, text)


def test_a_draft_downloads_with_the_draft_mark_and_without_it_once_published(client, db):
    DelegationFactory(status="completed", start_on=datetime.date(2025, 5, 1))
    version = report_generate(request_id=ReportRequest.objects.create(year=2025).pk)
    sign_in(client, UserFactory(username="alexandra", role=Role.ADMIN))
    url = reverse("reports:version-download", args=[version.pk, "pdf"])

    draft = client.get(url).content
    assert "DRAFT" in pdf_text(draft)[0]
    assert "Version 1" in " ".join(pdf_text(draft)[0].split())
    assert "DRAFT" not in pdf_text(bytes(version.pdf))[0]  # the stored file has no mark

    client.post(reverse("reports:version-publish", args=[version.pk]))

    published = client.get(url).content
    assert published == bytes(version.pdf)
    assert not any("DRAFT" in page for page in pdf_text(published))
    assert "Version 1" in " ".join(pdf_text(published)[0].split())
