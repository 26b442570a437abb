"""Widgets shared by the apps' filters and forms.

``SearchSelect`` is the picker for a choice among records whose number grows
with the office's history (cities, people, clubs, partnerships): the page
renders only the chosen record(s), so its cost no longer depends on the size
of the table, and ``static/js/search-select.js`` turns the select into an
accessible combobox that asks ``/search/<kind>/`` (``oia.search_views``) for
matches as one types. The field keeps its queryset, so a submitted id is
checked as before: one outside it is a form error, never a 500."""

from django import forms
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .bounds import ID_MAX


def record_ids(values) -> list[int]:
    """The values that can be primary keys; anything else cannot be chosen and is left to the field to refuse."""
    ids = []
    for value in values:
        text = str(value)
        if text.isascii() and text.isdigit() and 0 < int(text) <= ID_MAX:
            ids.append(int(text))
    return ids


class SearchSelect(forms.Select):
    """A select that holds only the chosen record (and the empty choice);
    the script fills in matches from the search of ``kind`` (``oia.search``)."""

    def __init__(self, kind: str, attrs=None, create_field: str = "", create_label: str = ""):
        super().__init__(attrs)
        self.kind = kind
        # Offering a new record: the script adds "<create_label with %(name)s>"
        # to the matches; choosing it puts the typed name into the form's
        # ``create_field`` input (the form records the new one) and shows its fieldset.
        self.create_field = create_field
        self.create_label = create_label

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "data-search": reverse("search:results", args=[self.kind]),
                "data-search-hint": _("Type to search, then choose with the arrow keys and Enter."),
                "data-search-remove": _("Remove"),
            }
        )
        if self.create_field:
            context["widget"]["attrs"].update(
                {"data-search-create-field": self.create_field, "data-search-create-label": str(self.create_label)}
            )
        return context

    def chosen(self, values):
        """(value, label) of the chosen records, read with one query of the field's queryset."""
        ids = record_ids(value for value in values if value not in ("", None))
        field = getattr(self.choices, "field", None)
        if not ids or field is None:
            return []
        records = field.queryset.filter(pk__in=ids)
        return [self.choices.choice(record) for record in records]

    def optgroups(self, name, value, attrs=None):
        options = []
        field = getattr(self.choices, "field", None)
        chosen = self.chosen(value)
        if not self.allow_multiple_selected and field is not None and field.empty_label is not None:
            options.append(self.create_option(name, "", field.empty_label, not chosen, 0, attrs=attrs))
        for key, label in chosen:
            options.append(self.create_option(name, key, label, True, len(options), attrs=attrs))
        return [(None, [option], index) for index, option in enumerate(options)]


class SearchSelectMultiple(SearchSelect, forms.SelectMultiple):
    """The same for a choice of several records: only the chosen ones are rendered."""

    allow_multiple_selected = True


class QuickSelect(forms.Select):
    """A select of a long but bounded list (the world's ~250 countries) written
    in Python: Django renders each option through a template, which costs a
    tenth of a second per country list on a busy server. Same HTML otherwise."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'<optgroup label="{escape(group_name)}">')
            for option in options:
                extra = flatatt(option["attrs"]) if option["attrs"] else ""
                parts.append(f'<option value="{escape(option["value"])}"{extra}>{escape(option["label"])}</option>')
            if group_name:
                parts.append("</optgroup>")
        # Every value and label above is escaped.
        return mark_safe(f'<select name="{escape(widget["name"])}"{flatatt(widget["attrs"])}>{"".join(parts)}</select>')
