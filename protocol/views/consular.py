"""The Consular Corps for office staff: the posts in our city (list, page,
forms, closing and reopening on record), their heads in the order of
precedence (page and download for seating plans), and the year's national
days with what the office did, also as a calendar feed. Writes go through
protocol.services."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import CreateView, DetailView, FormView, TemplateView, UpdateView

from oia.bounds import YEAR_MAX, YEAR_MIN
from oia.calendar_feeds import calendar_feed
from oia.filters import FilterView
from oia.forms import BoundedDateField, Form, YearForm, add_validation_errors
from oia.models import CalendarFeedToken
from oia.permissions import OfficeRequiredMixin

from .. import consular_exports, services
from ..filters import ConsularPostFilter
from ..forms import ConsularPostForm, ObservanceForm, PostCloseForm, PostReopenForm
from ..models import ConsularPost, NationalDayObservance
from ..national_days import feed_events, national_days_in

EXPORT_FORMATS = {
    "csv": (consular_exports.to_csv, "text/csv; charset=utf-8"),
    "xlsx": (
        consular_exports.to_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


def post_url(post, anchor=""):
    url = reverse("protocol:post-detail", args=[post.pk])
    return f"{url}#{anchor}" if anchor else url


def ranked(posts) -> list[tuple[int | None, ConsularPost]]:
    """(rank, post) in precedence order; a post without a head has no rank."""
    rows, rank = [], 0
    for post in posts:
        if post.head_id is None:
            rows.append((None, post))
        else:
            rank += 1
            rows.append((rank, post))
    return rows


def precedence_on(day: datetime.date):
    """The posts open on ``day`` in the order of precedence: one query."""
    return ConsularPost.objects.open_on(day).for_list().in_precedence_order()


class PostListView(OfficeRequiredMixin, FilterView):
    """The posts in our city, filtered; a fixed number of queries."""

    filterset_class = ConsularPostFilter
    template_name = "protocol/post_list.html"
    paginate_by = 50

    def get_queryset(self):
        return ConsularPost.objects.for_list().order_by("country", "name", "pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(today=timezone.localdate(), **kwargs)


class PostDetailView(OfficeRequiredMixin, DetailView):
    """Everything about one post: head, deputy, contacts, national day and
    what the office did on it, and the head's rank today."""

    template_name = "protocol/post_detail.html"
    context_object_name = "post"

    def get_queryset(self):
        return ConsularPost.objects.for_list().prefetch_related(
            "contacts",
            Prefetch(
                "observances",
                queryset=NationalDayObservance.objects.select_related("represented_by").order_by("-date", "-pk"),
            ),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        post, today = self.object, timezone.localdate()
        observances = list(post.observances.all())
        context["observances_this_year"] = [row for row in observances if row.date.year == today.year]
        context["observances_past"] = [row for row in observances if row.date.year < today.year]
        context["national_day_this_year"] = post.national_day_in(today.year)
        context["is_open_today"] = ConsularPost.objects.open_on(today).filter(pk=post.pk).exists()
        order = list(precedence_on(today).filter(head__isnull=False).values_list("pk", flat=True))
        context["rank"] = order.index(post.pk) + 1 if post.pk in order else None
        context["rank_total"] = len(order)
        context["today"] = today
        return context


class PostCreateView(OfficeRequiredMixin, CreateView):
    form_class = ConsularPostForm
    template_name = "protocol/post_form.html"

    def form_valid(self, form):
        data = form.model_fields()
        contacts = data.pop("contacts", [])
        try:
            post = services.post_create(contacts=contacts, **data)
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The consular post %(post)s was added.") % {"post": post.name})
        return redirect(post_url(post))


class PostUpdateView(OfficeRequiredMixin, UpdateView):
    """Edits are made on a version: if someone saved in between, the form
    comes back with everything the user typed and the reason."""

    model = ConsularPost
    form_class = ConsularPostForm
    template_name = "protocol/post_form.html"
    context_object_name = "post"

    def get_form_kwargs(self):
        # The form writes the typed values into its instance; self.object stays as saved, for the heading.
        return {**super().get_form_kwargs(), "instance": self.get_object()}

    def form_valid(self, form):
        data = form.model_fields()
        contacts = data.pop("contacts", None)
        try:
            post = services.post_update(
                post=form.instance, version=form.cleaned_data.get("version") or 0, contacts=contacts, **data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Your changes were saved."))
        return redirect(post_url(post))


class PostActionView(OfficeRequiredMixin, FormView):
    """Closing a post, or undoing a closing: a date or a reason, on the version read."""

    template_name = "protocol/post_action.html"
    heading = ""
    submit_label = ""

    @cached_property
    def post_record(self):
        return get_object_or_404(ConsularPost, pk=self.kwargs["pk"])

    def get_initial(self):
        return {"version": self.post_record.version}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            post=self.post_record, heading=self.heading, submit_label=self.submit_label, **kwargs
        )

    def form_valid(self, form):
        try:
            self.act(form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(post_url(self.post_record))


class PostCloseView(PostActionView):
    form_class = PostCloseForm
    heading = gettext_lazy("Record the closing")
    submit_label = gettext_lazy("Record the closing")
    success_message = gettext_lazy("The closing was recorded.")

    def act(self, data):
        services.post_close(
            post=self.post_record, closed_on=data["closed_on"], reason=data["reason"], version=data.get("version")
        )


class PostReopenView(PostActionView):
    form_class = PostReopenForm
    heading = gettext_lazy("Undo the closing")
    submit_label = gettext_lazy("Reopen the post")
    success_message = gettext_lazy("The post is open again.")

    def act(self, data):
        services.post_reopen(post=self.post_record, reason=data["reason"], version=data.get("version"))


class PrecedenceDateForm(Form):
    """``?date=``: the day the order is asked for (today when empty)."""

    date = BoundedDateField(label=gettext_lazy("On the day"), required=False)

    def day_or_today(self) -> datetime.date:
        if self.is_bound and self.is_valid() and self.cleaned_data["date"] is not None:
            return self.cleaned_data["date"]
        return timezone.localdate()


class PrecedenceView(OfficeRequiredMixin, TemplateView):
    """The heads of the posts open on a day, ranked as Art. 16 of the Vienna
    Convention on Consular Relations requires; one query."""

    template_name = "protocol/precedence.html"

    def get(self, request, *args, **kwargs):
        form = PrecedenceDateForm(request.GET if request.GET.get("date") else None)
        day = form.day_or_today()
        context = self.get_context_data(
            form=form,
            day=day,
            rows=ranked(precedence_on(day)),
            query=urlencode({"date": day.isoformat()}),
        )
        status = 400 if form.is_bound and not form.is_valid() else 200
        return self.render_to_response(context, status=status)


class PrecedenceExportView(OfficeRequiredMixin, View):
    """The order of precedence on a day as a CSV or Excel download."""

    def get(self, request, fmt):
        if fmt not in EXPORT_FORMATS:
            raise Http404
        form = PrecedenceDateForm(request.GET if request.GET.get("date") else None)
        if form.is_bound and not form.is_valid():
            return HttpResponse(" ".join(form.errors["date"]), status=400, content_type="text/plain; charset=utf-8")
        day = form.day_or_today()
        write, content_type = EXPORT_FORMATS[fmt]
        response = HttpResponse(write(ranked(precedence_on(day))), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="precedence-{day.isoformat()}.{fmt}"'
        return response


class NationalDayListView(OfficeRequiredMixin, TemplateView):
    """The year's national days in date order, with what the office did and
    a form to record it; and the address of the calendar feed."""

    template_name = "protocol/national_days.html"

    def get(self, request, *args, **kwargs):
        today = timezone.localdate()
        year_form = YearForm(request.GET if request.GET.get("year") else None, initial={"year": today.year})
        year = year_form.year_or(today.year)
        rows = national_days_in(year)
        for row in rows:
            initial = {"post": row.post.pk, "date": row.date}
            if row.observance is not None:
                initial.update(kind=row.observance.kind, note=row.observance.note, version=row.observance.version)
            row.form = ObservanceForm(initial=initial, auto_id=f"id_%s_{row.post.pk}")
        token = CalendarFeedToken.for_user(request.user)
        context = self.get_context_data(
            year_form=year_form,
            year=year,
            rows=rows,
            today=today,
            previous_year=year - 1 if year > YEAR_MIN else None,
            next_year=year + 1 if year < YEAR_MAX else None,
            feed_url=request.build_absolute_uri(reverse("protocol:national-day-ical", args=[token.key])),
        )
        status = 400 if year_form.is_bound and not year_form.is_valid() else 200
        return self.render_to_response(context, status=status)


class NationalDayRecordView(OfficeRequiredMixin, View):
    """Record (or, with the version read, change) what the office did on a
    post's national day; back to the calendar at that post's row."""

    def post(self, request):
        form = ObservanceForm(request.POST)
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields and form.fields[field].label else ""
                for error in errors:
                    messages.error(request, f"{label}: {error}" if label else error)
            return redirect("protocol:national-day-list")
        data = form.cleaned_data
        post, day = data["post"], data["date"]
        existing = NationalDayObservance.objects.filter(post=post, date__year=day.year).first()
        try:
            if data.get("version") is not None and existing is not None:
                services.observance_update(
                    observance=existing, version=data["version"], kind=data["kind"], note=data["note"], by=request.user
                )
            else:
                services.observance_record(post=post, date=day, kind=data["kind"], note=data["note"], by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Recorded for the national day of %(post)s.") % {"post": post.name})
        url = reverse("protocol:national-day-list")
        return redirect(f"{url}?{urlencode({'year': day.year})}#national-day-{post.pk}")


def national_day_feed(request, token):
    """The national days of this year and the next as iCalendar."""
    return calendar_feed(
        token,
        filename="national-days.ics",
        name=gettext_lazy("National days"),
        product="national-days",
        events=lambda: feed_events(request, timezone.localdate().year),
    )
