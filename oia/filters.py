"""Filter pieces every app's FilterSets share, so a year, an id or a yes/no in
a query string is read, and refused, the same way on every page and API list.

A value the filter cannot take is a form error: the API answers 400 with the
field's message (django-filter's backend raises it), and a page still renders,
with the message beside the field, but answers 400 too. Nothing unchecked
reaches the database, where a year 0 or 99999 has no date and a huge number
overflows."""

from typing import NamedTuple

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.http import HttpResponseBadRequest, QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters.filterset import FILTER_FOR_DBFIELD_DEFAULTS
from django_filters.views import FilterView as BaseFilterView
from drf_spectacular.drainage import set_override

from . import people
from .bounds import ID_MAX, YEAR_MAX, YEAR_MIN
from .forms import BoundedDateField, YearField
from .models import Notification
from .pagination import CountingPaginator
from .roles import Role
from .widgets import SearchSelect, record_ids

User = get_user_model()

TRUE_VALUES = {"true", "1"}
FALSE_VALUES = {"false", "0"}
# "unknown" is what the select of the HTML filter forms sends for "any".
EMPTY_VALUES = {"", "unknown"}


def parse_boolean(value):
    """True, False or None (no filter) for the spellings we accept; ValueError otherwise."""
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE_VALUES:
        return True
    if text in FALSE_VALUES:
        return False
    if text in EMPTY_VALUES:
        return None
    raise ValueError(value)


class StrictBooleanSelect(forms.NullBooleanSelect):
    """Hands the raw value to the field. Django's select reads "2" as yes and
    any other unknown word as "no filter", so a typo would silently list everything."""

    def value_from_datadict(self, data, files, name):
        return data.get(name)

    def format_value(self, value):
        try:
            return super().format_value(parse_boolean(value))
        except ValueError:
            return "unknown"


class StrictBooleanField(forms.NullBooleanField):
    widget = StrictBooleanSelect
    default_error_messages = {"invalid": _("Enter true or false.")}

    def to_python(self, value):
        try:
            return parse_boolean(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class StrictBooleanFilter(django_filters.BooleanFilter):
    """A yes/no filter that accepts ``true``/``false`` (any case) or ``1``/``0``
    and refuses anything else, as the OpenAPI schema's boolean promises."""

    field_class = StrictBooleanField


class BoundedNumberFilter(django_filters.NumberFilter):
    """A whole number from ``min_value`` to ``max_value``; the OpenAPI schema says so."""

    field_class = forms.IntegerField
    min_value = 1
    max_value = ID_MAX

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", self.min_value)
        kwargs.setdefault("max_value", self.max_value)
        super().__init__(*args, **kwargs)
        schema = {"type": "integer", "minimum": self.extra["min_value"], "maximum": self.extra["max_value"]}
        if self.label:
            schema["description"] = self.label
        set_override(self, "field", schema)

    def get_max_validator(self):
        return None  # the field has its own bounds


class YearFilter(BoundedNumberFilter):
    """A year, usually on a ``<date>__year`` lookup."""

    field_class = YearField
    min_value = YEAR_MIN
    max_value = YEAR_MAX


class BoundedDateFilter(django_filters.DateFilter):
    """A day in the years ``YEAR_MIN`` to ``YEAR_MAX``: beyond them a date means nothing here."""

    field_class = BoundedDateField


class IdFilter(BoundedNumberFilter):
    """A record's id: a whole number a primary key can hold."""


class FilterSet(django_filters.FilterSet):
    """The base of the filters an API viewset generates from ``filterset_fields``:
    a model's yes/no field gets the strict filter."""

    FILTER_DEFAULTS = {**FILTER_FOR_DBFIELD_DEFAULTS, models.BooleanField: {"filter_class": StrictBooleanFilter}}


def filter_is_invalid(filterset) -> bool:
    return filterset is not None and filterset.is_bound and not filterset.is_valid()


class InvalidFilterAnswers400Mixin:
    """For a page filtered by its query string: an invalid filter still shows
    the page, with the errors beside the fields, but answers 400, as the API does."""

    filter_context_name = "filter"

    def render_to_response(self, context, **response_kwargs):
        if filter_is_invalid(context.get(self.filter_context_name)):
            response_kwargs.setdefault("status", 400)
        return super().render_to_response(context, **response_kwargs)


class FilterView(InvalidFilterAnswers400Mixin, BaseFilterView):
    """django-filter's list view; an invalid filter shows an empty list and answers 400.
    Its count is exact up to a thousand rows and estimated beyond (``oia.pagination``)."""

    paginator_class = CountingPaginator


def invalid_filter_response(filterset) -> HttpResponseBadRequest | None:
    """For a download of a filtered list, which has no page to show errors on:
    a plain-text 400 naming each wrong filter, or None when the filter is valid."""
    if not filter_is_invalid(filterset):
        return None
    form = filterset.form
    lines = [
        f"{form.fields[name].label if name in form.fields else name}: {' '.join(errors)}"
        for name, errors in form.errors.items()
    ]
    return HttpResponseBadRequest("\n".join(lines), content_type="text/plain; charset=utf-8")


class NotificationFilter(django_filters.FilterSet):
    """``/api/notifications/?read=false``: the unread ones (the page lists them all)."""

    read = StrictBooleanFilter(label=_("Read"), method="filter_read", help_text=_("True: read; false: unread."))

    class Meta:
        model = Notification
        fields = ["read"]

    def filter_read(self, queryset, name, value):
        return queryset.filter(read_at__isnull=not value)


class PeopleFilter(django_filters.FilterSet):
    """The People list and its API (``/api/accounts/``): by name (or user name,
    e-mail), role and whether the account is active."""

    q = django_filters.CharFilter(label=_("Name"), method="filter_name", max_length=100)
    role = django_filters.ChoiceFilter(
        label=pgettext_lazy("account", "Role"), choices=Role.choices, method="filter_role"
    )
    active = StrictBooleanFilter(label=_("Active"), field_name="is_active")

    class Meta:
        model = User
        fields = ["q", "role", "active"]

    def filter_name(self, queryset, name, value):
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(username__icontains=word)
                | Q(email__icontains=word)
            )
        return queryset

    def filter_role(self, queryset, name, value):
        holders = User.objects.filter(groups__name=value)
        if value == Role.ADMIN:
            holders = people.administrators()
        return queryset.filter(pk__in=holders.values("pk"))


class Chip(NamedTuple):
    """One active filter value above a list, and the list without it."""

    label: str
    value: str
    remove_url: str


SKIPPED_IN_CHIPS = {"ordering"}


def shows_as_checkboxes(bound_field) -> bool:
    """A choice of several from a short list: checkboxes, never a Ctrl-click
    multi-select. A long list keeps its searchable picker (``SearchSelectMultiple``)."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return True
    return isinstance(widget, forms.SelectMultiple) and not isinstance(widget, SearchSelect)


def as_checkboxes(bound_field) -> str:
    """The field rendered as checkboxes: the same name and values, so the query string is unchanged."""
    if isinstance(bound_field.field.widget, forms.CheckboxSelectMultiple):
        return bound_field.as_widget()
    return bound_field.as_widget(widget=forms.CheckboxSelectMultiple(choices=bound_field.field.choices))


def active_filters(filterset, query: QueryDict, path: str) -> list[Chip]:
    """The filter values in the query string, each with the link to the same list
    without that one value (and from the first page): the removable chips above a list."""
    chips = []
    for name, field in filterset.form.fields.items():
        if name in SKIPPED_IN_CHIPS:
            continue
        values = [value for value in query.getlist(name) if value.strip() and value not in EMPTY_VALUES]
        if not values:
            continue
        labels = value_labels(field, values)
        for value in values:
            rest = query.copy()
            rest.setlist(name, [other for other in query.getlist(name) if other != value])
            rest.pop("page", None)
            chips.append(Chip(str(field.label or name), labels.get(value, value), list_url(path, rest)))
    return chips


def clear_filters_url(filterset, query: QueryDict, path: str) -> str:
    """The list without any filter; its sorting stays."""
    rest = QueryDict(mutable=True)
    for name in SKIPPED_IN_CHIPS:
        if name in query:
            rest.setlist(name, query.getlist(name))
    return list_url(path, rest)


def list_url(path: str, query: QueryDict) -> str:
    encoded = query.urlencode()
    return f"{path}?{encoded}" if encoded else path


def value_labels(field, values: list[str]) -> dict[str, str]:
    """What each submitted value is called on the page: a choice's label, a record's
    name (read with one query, whatever the size of the table), yes or no, or the text."""
    if isinstance(field, forms.NullBooleanField):
        words = {True: str(_("Yes")), False: str(_("No"))}
        labels = {}
        for value in values:
            try:
                labels[value] = words.get(parse_boolean(value), value)
            except ValueError:
                pass
        return labels
    if isinstance(field, forms.ModelChoiceField | forms.ModelMultipleChoiceField):
        if isinstance(field.widget, SearchSelect):
            return {str(key): str(label) for key, label in field.widget.chosen(values)}
        key = field.to_field_name or "pk"
        usable = record_ids(values) if key == "pk" else values
        records = field.queryset.filter(**{f"{key}__in": usable}) if usable else []
        return {str(getattr(record, key)): field.label_from_instance(record) for record in records}
    if isinstance(field, forms.ChoiceField):
        return {str(key): str(label) for key, label in flat_choices(field.choices)}
    return {}


def flat_choices(choices):
    for key, label in choices:
        if isinstance(label, list | tuple):
            yield from flat_choices(label)
        else:
            yield key, label
