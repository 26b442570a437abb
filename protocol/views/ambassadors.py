"""City ambassadors for office staff: the list, an ambassador's page (term,
areas, activity log, the annual meetings they were invited to and their
answer), the forms, ending an appointment and the activity log. Every write
goes through protocol.services, which checks the version read and makes a
delegation organised by an ambassador an official one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView

from oia.filters import FilterView
from oia.forms import add_validation_errors
from oia.permissions import OfficeRequiredMixin

from .. import services
from ..filters import AmbassadorFilter
from ..forms import AmbassadorActivityDeleteForm, AmbassadorActivityForm, AmbassadorEndForm, AmbassadorForm
from ..models import Ambassador, AmbassadorActivity, Guest


def ambassador_url(ambassador, anchor=""):
    url = reverse("protocol:ambassador-detail", args=[ambassador.pk])
    return f"{url}#{anchor}" if anchor else url


class AmbassadorListView(OfficeRequiredMixin, FilterView):
    """All city ambassadors, filtered, in a fixed number of queries."""

    filterset_class = AmbassadorFilter
    template_name = "protocol/ambassador_list.html"
    paginate_by = 50

    def get_queryset(self):
        return Ambassador.objects.for_list().order_by("person__name", "pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(today=timezone.localdate(), **kwargs)


class AmbassadorDetailView(OfficeRequiredMixin, DetailView):
    """One ambassador: the person, where they live, their tie, term and
    areas, the activity log newest first and the meetings they were invited to."""

    template_name = "protocol/ambassador_detail.html"
    context_object_name = "ambassador"

    def get_queryset(self):
        return Ambassador.objects.select_related("person", "city").prefetch_related(
            Prefetch("activities", queryset=AmbassadorActivity.objects.select_related("delegation")),
            Prefetch(
                "invitations",
                queryset=Guest.objects.select_related("event").order_by("-event__starts_at", "-pk"),
            ),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(serving=self.object.serving_on(timezone.localdate()), **kwargs)


class AmbassadorFormView(OfficeRequiredMixin, FormView):
    """Appoint or edit an ambassador through the services; an edit on a stale
    version comes back with what the user typed and the reason."""

    form_class = AmbassadorForm
    template_name = "protocol/ambassador_form.html"
    ambassador = None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.ambassador}

    def get_context_data(self, **kwargs):
        return super().get_context_data(ambassador=self.ambassador, **kwargs)

    def form_valid(self, form):
        try:
            if self.ambassador is None:
                ambassador = services.ambassador_create(**form.model_fields())
                message = _("%(name)s was appointed a city ambassador.") % {"name": ambassador.person.name}
            else:
                ambassador = services.ambassador_update(
                    ambassador=self.ambassador, version=form.cleaned_data.get("version"), **form.model_fields()
                )
                message = _("Your changes were saved.")
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(ambassador_url(ambassador))


class AmbassadorCreateView(AmbassadorFormView):
    pass


class AmbassadorUpdateView(AmbassadorFormView):
    @cached_property
    def ambassador(self):
        return get_object_or_404(Ambassador.objects.select_related("person", "city"), pk=self.kwargs["pk"])


class AmbassadorEndView(OfficeRequiredMixin, FormView):
    """End an appointment on a day, not before it began."""

    form_class = AmbassadorEndForm
    template_name = "protocol/ambassador_end.html"

    @cached_property
    def ambassador(self):
        return get_object_or_404(Ambassador.objects.select_related("person"), pk=self.kwargs["pk"])

    def get_initial(self):
        return {"until": self.ambassador.until or timezone.localdate(), "version": self.ambassador.version}

    def get_context_data(self, **kwargs):
        return super().get_context_data(ambassador=self.ambassador, **kwargs)

    def form_valid(self, form):
        try:
            services.ambassador_end(
                ambassador=self.ambassador, version=form.cleaned_data.get("version"), until=form.cleaned_data["until"]
            )
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The appointment was ended."))
        return redirect(ambassador_url(self.ambassador))


class ActivityFormView(OfficeRequiredMixin, FormView):
    """Log or edit an activity of one ambassador."""

    form_class = AmbassadorActivityForm
    template_name = "protocol/activity_form.html"
    activity = None
    heading = ""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.activity}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            ambassador=self.ambassador,
            heading=self.heading,
            cancel_url=ambassador_url(self.ambassador, "activities"),
            **kwargs,
        )

    def save(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.save(form)
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(ambassador_url(self.ambassador, "activities"))


class ActivityCreateView(ActivityFormView):
    heading = gettext_lazy("Log an activity")
    success_message = gettext_lazy("The activity was logged.")

    @cached_property
    def ambassador(self):
        return get_object_or_404(Ambassador.objects.select_related("person"), pk=self.kwargs["pk"])

    def save(self, form):
        services.activity_create(ambassador=self.ambassador, **form.model_fields())


class ActivityEditMixin:
    @cached_property
    def activity(self):
        queryset = AmbassadorActivity.objects.select_related("ambassador__person", "delegation")
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    @property
    def ambassador(self):
        return self.activity.ambassador


class ActivityUpdateView(ActivityEditMixin, ActivityFormView):
    heading = gettext_lazy("Edit the activity")
    success_message = gettext_lazy("The activity was saved.")

    def save(self, form):
        services.activity_update(
            activity=self.activity, version=form.cleaned_data.get("version"), **form.model_fields()
        )


class ActivityDeleteView(OfficeRequiredMixin, ActivityEditMixin, FormView):
    form_class = AmbassadorActivityDeleteForm
    template_name = "protocol/activity_confirm_delete.html"

    def get_initial(self):
        return {"version": self.activity.version}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            object=self.activity,
            ambassador=self.ambassador,
            heading=_("Delete the activity"),
            cancel_url=ambassador_url(self.ambassador, "activities"),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.activity_delete(activity=self.activity, version=form.cleaned_data.get("version"))
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The activity was deleted."))
        return redirect(ambassador_url(self.ambassador, "activities"))
