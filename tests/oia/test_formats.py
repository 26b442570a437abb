"""One format for each thing: numbers grouped, short dates day first in English,
and the status badge partial that every kind of record uses."""

import datetime

from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format

from oia.templatetags.oia_tags import number


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


def test_a_year_is_not_grouped_on_a_page():
    """Grouping is the ``number`` filter's, not the site's: a year stays 2026."""
    assert Template("{{ year }}").render(Context({"year": 2026})) == "2026"


def test_the_status_badge_shows_the_word_styled_by_the_value():
    html = render_to_string("partials/status_badge.html", {"status": "returned", "label": "Returned for changes"})

    assert html == '<span class="status status-returned">Returned for changes</span>'
