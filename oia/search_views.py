"""``/search/<kind>/?q=``: the matches a searchable picker offers as one types;
``/search/?q=`` and ``/search/suggestions/?q=``: the site-wide search of the
header's box (``oia.search.site_search``), as a page and as live suggestions.

Office staff only: the pickers are on the office's filters and forms, and a
club leader or council member must not learn other clubs' people or partners
through it. The answer is small and bounded whatever the size of the table:
at most ``MATCH_LIMIT`` records, for a query of at most ``QUERY_MAX_LENGTH``
characters; anything else is a 400 that names the problem."""

from urllib.parse import urlencode

from django import forms
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
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


class SiteSearchForm(Form):
    """The header's search box: one text, optionally narrowed to one kind
    (where a group's "more" link leads when the kind has no list page)."""

    q = forms.CharField(
        label=gettext_lazy("Search"),
        required=False,
        max_length=search.QUERY_MAX_LENGTH,
        validators=[ControlCharacterValidator()],
        error_messages={
            "max_length": gettext_lazy(
                "Search for at most %(limit_value)d characters (you typed %(show_value)d): "
                "a few letters of a name are enough."
            )
        },
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds"))] + [
            (found.kind, found.heading) for found in search.site_searches()
        ]

    def text(self) -> str:
        return " ".join(self.cleaned_data["q"].split())


class SiteSearchView(OfficeRequiredMixin, View):
    """``/search/?q=``: every kind's first matches, grouped, with headings and
    counts; works without a script. A refused query is answered 400 with the
    reason on the page."""

    template_name = "oia/search.html"

    def get(self, request):
        form = SiteSearchForm(request.GET)
        context = {"form": form, "groups": [], "text": "", "kind": None}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        text = form.text()
        kind = form.cleaned_data["kind"]
        if text:
            limit = search.KIND_LIMIT if kind else search.SITE_LIMIT
            context.update(text=text, groups=search.site_search(text, limit=limit, kind=kind))
        if kind:
            context["kind"] = search.get(kind)
        return render(request, self.template_name, context)


class SiteSuggestionsView(OfficeRequiredMixin, View):
    """``/search/suggestions/?q=``: the header box's live suggestions as JSON,
    a few of each kind (``static/js/site-search.js`` shows them)."""

    def get(self, request):
        form = SiteSearchForm(request.GET)
        if not form.is_valid():
            return JsonResponse({"errors": form.errors}, status=400)
        text = form.text()
        groups = search.site_search(text, limit=search.SUGGESTION_LIMIT) if text else []
        found = sum(group.total for group in groups)
        return JsonResponse(
            {
                "groups": [
                    {
                        "kind": group.kind,
                        "heading": group.heading,
                        "total": group.total,
                        "more_url": group.more_url if group.more else "",
                        "results": [
                            {"label": hit.label, "description": hit.description, "url": hit.url} for hit in group.hits
                        ],
                    }
                    for group in groups
                ],
                "all_url": f"{reverse('search:site')}?{urlencode({'q': text})}",
                "message": suggestions_message(found) if text else "",
            }
        )


def suggestions_message(found: int) -> str:
    """What the header box's live region announces."""
    if not found:
        return _("Nothing found. Try fewer letters or another spelling.")
    return ngettext("%(count)s record found.", "%(count)s records found.", found) % {"count": found}
