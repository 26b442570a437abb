"""Networks for office staff: the list, the detail page (memberships with
their fee split and their reviews, roles held, meetings attended and what
they yielded) and the forms. Memberships and their reviews are written
through networks.services, which checks the fee split and the review dates;
the other records are saved by their forms."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, DeleteView, DetailView, FormView, UpdateView

from oia.filters import FilterView
from oia.forms import add_validation_errors
from oia.permissions import OfficeRequiredMixin

from .. import services
from ..choices import ActivityKind
from ..filters import NOT_A_MEMBER, STATUS_CHOICES, NetworkFilter
from ..forms import (
    FeeShareFormSet,
    MembershipForm,
    MembershipReviewForm,
    NetworkActivityForm,
    NetworkForm,
    NetworkRoleForm,
)
from ..models import Membership, Network, NetworkActivity
from ..selectors import network_for_detail, networks_for_list, split_roles


def network_url(network, anchor=""):
    url = reverse("networks:network-detail", args=[network.pk])
    return f"{url}#{anchor}" if anchor else url


class NetworkListView(OfficeRequiredMixin, FilterView):
    """All networks with their current membership, in a fixed number of queries."""

    filterset_class = NetworkFilter
    template_name = "networks/network_list.html"
    paginate_by = 50

    def get_queryset(self):
        return networks_for_list(timezone.localdate())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        labels = dict(STATUS_CHOICES)
        for network in context["object_list"]:
            network.membership_label = labels[network.membership_status or NOT_A_MEMBER]
        return context


class NetworkDetailView(OfficeRequiredMixin, DetailView):
    """Everything about one network on one page, in a fixed number of queries."""

    template_name = "networks/network_detail.html"
    context_object_name = "network"

    def get_queryset(self):
        return network_for_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        network = self.object
        memberships = list(network.memberships.all())
        for membership in memberships:
            membership.share_total = sum((share.amount for share in membership.fee_shares.all()), Decimal("0"))
        context["memberships"] = memberships
        # The latest by start, as the list and the API name it (``selectors.latest_membership``).
        context["current_membership"] = max(memberships, key=lambda m: (m.since, m.pk), default=None)
        context["current_roles"], context["past_roles"] = split_roles(network.roles.all(), timezone.localdate())
        activities = list(network.activities.all())
        context["meetings"] = [activity for activity in activities if activity.kind == ActivityKind.MEETING]
        context["outcomes"] = [activity for activity in activities if activity.kind != ActivityKind.MEETING]
        return context


class NetworkCreateView(OfficeRequiredMixin, CreateView):
    model = Network
    form_class = NetworkForm
    template_name = "networks/network_form.html"

    def get_success_url(self):
        messages.success(self.request, _("The network %(network)s was added.") % {"network": self.object.name})
        return network_url(self.object)


class NetworkUpdateView(OfficeRequiredMixin, UpdateView):
    model = Network
    form_class = NetworkForm
    template_name = "networks/network_form.html"
    context_object_name = "network"

    def get_success_url(self):
        messages.success(self.request, _("Your changes were saved."))
        return network_url(self.object)


class MembershipFormMixin(OfficeRequiredMixin):
    """The membership form with its fee split as a formset. The service
    checks the split; its refusal is shown above the formset."""

    form_class = MembershipForm
    template_name = "networks/membership_form.html"
    split_prefix = "shares"

    def get_formset(self):
        if self.request.method == "POST":
            return FeeShareFormSet(self.request.POST, prefix=self.split_prefix)
        return FeeShareFormSet(initial=self.initial_shares(), prefix=self.split_prefix)

    def initial_shares(self) -> list[dict]:
        return []

    def get_context_data(self, **kwargs):
        kwargs.setdefault("formset", self.get_formset())
        kwargs.setdefault("split_errors", [])
        return super().get_context_data(network=self.network, **kwargs)

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        formset = self.get_formset()
        # Both are checked, so every input error shows at once.
        form_valid, formset_valid = form.is_valid(), formset.is_valid()
        if not (form_valid and formset_valid):
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        membership = form.instance
        membership.network = self.network
        try:
            membership = services.membership_save(
                membership=membership, shares=formset.shares(), version=self.version(form)
            )
        except ValidationError as error:
            split_errors = self.show_errors(form, error)
            return self.render_to_response(self.get_context_data(form=form, formset=formset, split_errors=split_errors))
        messages.success(self.request, self.success_message % {"network": self.network.name})
        return redirect(network_url(membership.network, f"membership-{membership.pk}"))

    @staticmethod
    def show_errors(form, error: ValidationError) -> list[str]:
        """Put the membership's errors on the form; return the split's."""
        if not hasattr(error, "error_dict"):
            add_validation_errors(form, error)
            return []
        errors = dict(error.error_dict)
        split = errors.pop(services.SPLIT, [])
        if errors:
            add_validation_errors(form, ValidationError(errors))
        return [message for item in split for message in item.messages]

    def version(self, form):
        return None


class MembershipCreateView(MembershipFormMixin, FormView):
    success_message = gettext_lazy("The membership in %(network)s was recorded.")

    @cached_property
    def network(self):
        return get_object_or_404(Network, pk=self.kwargs["pk"])


class MembershipUpdateView(MembershipFormMixin, FormView):
    """Edits are made on a version: if someone saved in between, the form
    comes back with everything the user typed and the reason."""

    success_message = gettext_lazy("The membership in %(network)s was saved.")

    @cached_property
    def membership(self):
        return get_object_or_404(Membership.objects.select_related("network"), pk=self.kwargs["pk"])

    @cached_property
    def network(self):
        return self.membership.network

    def get_form_kwargs(self):
        # The service writes the typed values into the form's instance; the
        # membership read for the heading stays as saved.
        return {**super().get_form_kwargs(), "instance": Membership.objects.get(pk=self.membership.pk)}

    def initial_shares(self):
        return FeeShareFormSet.initial_for(self.membership)

    def get_context_data(self, **kwargs):
        return super().get_context_data(membership=self.membership, **kwargs)

    def version(self, form):
        return form.cleaned_data.get("version") or 0


class MembershipReviewView(OfficeRequiredMixin, FormView):
    """Review a membership: the verdict, the reasoning, the day and the next
    review. The review is added to the membership's history; the latest one
    is what the network's page, the dashboard and the report show."""

    form_class = MembershipReviewForm
    template_name = "networks/membership_review.html"

    @cached_property
    def membership(self):
        return get_object_or_404(Membership.objects.select_related("network"), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(membership=self.membership, network=self.membership.network, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.membership_review(
                membership=self.membership,
                verdict=data["verdict"],
                note=data["verdict_note"],
                reviewed_on=data["reviewed_on"],
                next_review_on=data["review_on"],
                by=self.request.user,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The review was recorded."))
        return redirect(network_url(self.membership.network, f"membership-{self.membership.pk}"))


class NetworkChildCreateView(OfficeRequiredMixin, CreateView):
    """For forms that add a record to one network."""

    template_name = "networks/network_child_form.html"
    heading = ""
    anchor = ""
    success_message = ""

    @cached_property
    def network(self):
        return get_object_or_404(Network, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(network=self.network, heading=self.heading, **kwargs)

    def form_valid(self, form):
        form.instance.network = self.network
        response = super().form_valid(form)
        messages.success(self.request, self.success_message)
        return response

    def get_success_url(self):
        return network_url(self.network, self.anchor)


class NetworkRoleCreateView(NetworkChildCreateView):
    form_class = NetworkRoleForm
    heading = gettext_lazy("Add a role held")
    anchor = "roles"
    success_message = gettext_lazy("The role was added.")


class NetworkActivityCreateView(NetworkChildCreateView):
    form_class = NetworkActivityForm
    heading = gettext_lazy("Record a meeting or an outcome")
    anchor = "activities"
    success_message = gettext_lazy("The activity was recorded.")


class NetworkChildEditMixin(OfficeRequiredMixin):
    """Edit or delete one record of a network."""

    template_name = "networks/network_child_form.html"
    heading = ""
    anchor = ""
    success_message = ""

    def get_queryset(self):
        return self.model.objects.select_related("network")

    def get_context_data(self, **kwargs):
        network = self.object.network
        return super().get_context_data(
            network=network, heading=self.heading, cancel_url=network_url(network, self.anchor), **kwargs
        )

    def get_success_url(self):
        messages.success(self.request, self.success_message)
        return network_url(self.object.network, self.anchor)


class NetworkActivityUpdateView(NetworkChildEditMixin, UpdateView):
    model = NetworkActivity
    form_class = NetworkActivityForm
    heading = gettext_lazy("Edit the meeting or outcome")
    anchor = "activities"
    success_message = gettext_lazy("The activity was saved.")


class NetworkActivityDeleteView(NetworkChildEditMixin, DeleteView):
    model = NetworkActivity
    template_name = "networks/confirm_delete.html"
    heading = gettext_lazy("Delete the meeting or outcome")
    anchor = "activities"
    success_message = gettext_lazy("The activity was deleted.")
