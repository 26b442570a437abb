"""One format for each thing: numbers grouped, short dates day first in English,
and the status badge partial that every kind of record uses."""

import datetime
import re
from pathlib import Path

from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format, time_format

from oia.templatetags.oia_tags import number

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_a_population_is_grouped_in_thousands_in_the_readers_language():
    assert number(3604030) == "3,604,030"
    with translation.override("de"):
        assert number(3604030) == "3.604.030"
    assert number(None) == "—"


def test_a_short_date_in_english_is_day_first_never_us_style():
    day = datetime.date(2026, 5, 4)

    assert date_format(day, "SHORT_DATE_FORMAT") == "4 May 2026"
    with translation.override("de"):
        assert date_format(day, "SHORT_DATE_FORMAT") == "04.05.2026"


def test_long_dates_and_times_in_english_are_day_first_on_a_24_hour_clock():
    """Never "Dec. 14, 2026, 10 a.m.": the same order as the short date."""
    moment = datetime.datetime(2026, 12, 14, 10, 5)

    assert date_format(moment, "DATE_FORMAT") == "14 December 2026"
    assert time_format(moment, "TIME_FORMAT") == "10:05"
    assert date_format(moment, "DATETIME_FORMAT") == "14 December 2026, 10:05"
    assert date_format(moment, "SHORT_DATETIME_FORMAT") == "14 Dec 2026, 10:05"
    assert date_format(moment, "MONTH_DAY_FORMAT") == "14 December"
    assert date_format(moment, "YEAR_MONTH_FORMAT") == "December 2026"


def test_german_dates_stay_djangos_german():
    moment = datetime.datetime(2026, 12, 14, 10, 5)

    with translation.override("de"):
        assert date_format(moment, "DATE_FORMAT") == "14. Dezember 2026"
        assert time_format(moment, "TIME_FORMAT") == "10:05"
        assert date_format(moment, "DATETIME_FORMAT") == "14. Dezember 2026 10:05"
        assert date_format(moment, "MONTH_DAY_FORMAT") == "14. Dezember"
        assert date_format(moment, "YEAR_MONTH_FORMAT") == "Dezember 2026"


def test_a_template_prints_a_bare_date_in_the_long_format():
    html = Template("{{ day }} {{ moment }}").render(
        Context({"day": datetime.date(2026, 5, 4), "moment": datetime.datetime(2026, 5, 4, 13, 0)})
    )

    assert html == "4 May 2026 4 May 2026, 13:00"


def test_no_page_prints_a_date_in_a_format_of_its_own():
    """Visible dates go through the named formats (``DATE_FORMAT``…); a fixed
    pattern is a lone year, weekday or month, or a machine value (ISO in a
    ``datetime=`` attribute or a URL, right after ``="`` or ``=``)."""
    words = {"Y", "l", "F", "M"}
    machine = {"Y-m-d", "c"}
    found = []
    for path in sorted(TEMPLATES.rglob("*")):
        if path.suffix not in (".html", ".txt"):
            continue
        text = path.read_text()
        for match in re.finditer(r"\|(?:date|time):[\"']([^\"']+)[\"']", text):
            pattern = match.group(1)
            if pattern.endswith("_FORMAT") or pattern in words:
                continue
            opening = text.rfind("{{", 0, match.start())
            in_attribute = opening > 0 and text[opening - 1] in '="'
            if not (pattern in machine and in_attribute):
                found.append(f"{path.relative_to(TEMPLATES)}: {pattern}")
    assert found == []


def test_a_year_is_not_grouped_on_a_page():
    """Grouping is the ``number`` filter's, not the site's: a year stays 2026."""
    assert Template("{{ year }}").render(Context({"year": 2026})) == "2026"


def test_the_status_badge_shows_the_word_styled_by_the_value():
    html = render_to_string("partials/status_badge.html", {"status": "returned", "label": "Returned for changes"})

    assert html == '<span class="status status-returned">Returned for changes</span>'
