"""``/search/<kind>/?q=``: the matches a searchable picker offers as one types.

Office staff only: the pickers are on the office's filters and forms, and a
club leader or council member must not learn other clubs' people or partners
through it. The answer is small and bounded whatever the size of the table:
at most ``MATCH_LIMIT`` records, for a query of at most ``QUERY_MAX_LENGTH``
characters; anything else is a 400 that names the problem."""

from django import forms
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from . import search
from .forms import Form
from .permissions import OfficeRequiredMixin
from .text import ControlCharacterValidator


class SearchForm(Form):
    q = forms.CharField(
        label=gettext_lazy("Search"),
        required=False,
        max_length=search.QUERY_MAX_LENGTH,
        validators=[ControlCharacterValidator()],
    )


def matches_message(count: int, more: bool) -> str:
    """What the picker's live region announces, so a screen reader hears how many were found."""
    if more:
        return ngettext(
            "The first %(count)s match; type more to narrow them.",
            "The first %(count)s matches; type more to narrow them.",
            count,
        ) % {"count": count}
    if not count:
        return _("No matches. Try fewer letters or another spelling.")
    return ngettext("%(count)s match.", "%(count)s matches.", count) % {"count": count}


class SearchView(OfficeRequiredMixin, View):
    def get(self, request, kind):
        found = search.get(kind)
        if found is None:
            raise Http404
        form = SearchForm(request.GET)
        if not form.is_valid():
            return JsonResponse({"errors": form.errors}, status=400)
        text = " ".join(form.cleaned_data["q"].split())
        records = list(found.matches(text)[: search.MATCH_LIMIT + 1])
        more = len(records) > search.MATCH_LIMIT
        records = records[: search.MATCH_LIMIT]
        return JsonResponse(
            {
                "results": [{"id": str(record.pk), "label": found.label(record)} for record in records],
                "more": more,
                "message": matches_message(len(records), more),
            }
        )
