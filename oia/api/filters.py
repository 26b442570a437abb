"""The filter backend of every API list: filters generated from a viewset's
``filterset_fields`` use the project's base FilterSet, so they refuse what the
hand-written ones refuse."""

from django_filters import rest_framework

from oia.filters import FilterSet


class DjangoFilterBackend(rest_framework.DjangoFilterBackend):
    filterset_base = FilterSet
