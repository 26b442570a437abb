"""The filter backend of every API list: filters generated from a viewset's
``filterset_fields`` use the project's base FilterSet, so they refuse what the
hand-written ones refuse.

The pages share the FilterSets, and their forms send every field, empty ones
too. An API client writes its query string itself, so there an empty value
(``?year=``) or a repeated one-value filter (``?club=1&club=2``, of which only
the last would count) is refused with a message rather than silently ignored."""

import django_filters
from django.utils.translation import gettext as _
from django_filters import rest_framework
from rest_framework.exceptions import ValidationError

from oia.filters import FilterSet

MANY_VALUES = (
    django_filters.MultipleChoiceFilter,
    django_filters.ModelMultipleChoiceFilter,
    django_filters.BaseCSVFilter,
)


def query_errors(filterset, query_params) -> dict:
    errors = {}
    for name, filter_ in filterset.filters.items():
        values = query_params.getlist(name)
        if any(value == "" for value in values):
            errors[name] = [_("Give a value, or leave the filter out.")]
        elif len(values) > 1 and not isinstance(filter_, MANY_VALUES):
            errors[name] = [_("Give one value.")]
    return errors


class DjangoFilterBackend(rest_framework.DjangoFilterBackend):
    filterset_base = FilterSet

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is not None:
            errors = query_errors(filterset, request.query_params)
            if errors:
                raise ValidationError(errors)
        return super().filter_queryset(request, queryset, view)
