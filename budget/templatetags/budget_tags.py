"""The amount filters under the name budget's templates load; they are
``oia_tags``' filters, which every app's templates can use."""

from django import template

from oia.templatetags.oia_tags import money, percent

register = template.Library()
register.filter("money", money)
register.filter("percent", percent)
