"""The administrators' People pages: the list of accounts, inviting someone,
and a person's page with their roles, deactivation and the account's history.
Administrators only (with their second factor); every write is a service of
``oia.people``, whose refusals are shown where the administrator is looking."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, View

from . import audit, people
from .filters import FilterView, PeopleFilter
from .forms import add_validation_errors
from .invitations import base_url
from .people_forms import AccountStateForm, InviteForm, RolesForm
from .permissions import AdminRequiredMixin
from .roles import Role

User = get_user_model()


class PeopleListView(AdminRequiredMixin, FilterView):
    """Every account with its roles, clubs, whether it is active and its last sign-in."""

    filterset_class = PeopleFilter
    template_name = "oia/people/list.html"
    paginate_by = 50

    def get_queryset(self):
        return people.people_for_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = []
        for person in context["object_list"]:
            rows.append(
                {
                    "person": person,
                    "roles": [Role(role).label for role in people.roles_held(person)],
                    "affiliated": [
                        obj for affiliation in people.affiliations() for obj in people.affiliated(person, affiliation)
                    ],
                    "invited": person.is_active and not person.password_set,
                }
            )
        context["rows"] = rows
        return context


class InviteView(AdminRequiredMixin, FormView):
    """Invite a colleague, council member or club leader: the account is made
    and the e-mail with the link to set a password leaves after the commit."""

    form_class = InviteForm
    template_name = "oia/people/invite.html"

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            person = people.account_invite(
                by=self.request.user,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                role=data["role"],
                affiliated_with=form.affiliated_with(),
                base_url=base_url(self.request),
            )
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s is invited; the e-mail with the link to set a password goes to %(email)s.")
            % {"name": people.display_name(person), "email": person.email},
        )
        return redirect("people:detail", pk=person.pk)


class PersonMixin(AdminRequiredMixin):
    @cached_property
    def person(self):
        return get_object_or_404(people.people_for_list(), pk=self.kwargs["pk"])


class PersonDetailView(PersonMixin, FormView):
    """A person's account: roles (and clubs) to change, deactivation or
    reactivation, a new invitation while they have not signed up, and the
    account's history from the audit trail."""

    form_class = RolesForm
    template_name = "oia/people/detail.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "person": self.person}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.person
        context.update(
            person=person,
            roles=[Role(role).label for role in people.roles_held(person)],
            invited=people.is_invited(person),
            is_self=person.pk == self.request.user.pk,
            state_form=AccountStateForm(initial={"state": people.account_state(person)}),
            history=audit.history_for(person),
        )
        return context

    def form_valid(self, form):
        try:
            people.account_set_roles(
                person=self.person,
                by=self.request.user,
                roles=form.cleaned_data["roles"],
                affiliated_with=form.affiliated_with(),
                state=form.cleaned_data["state"],
            )
        except ValidationError as error:
            return refused(self.request, error, self.person)
        messages.success(
            self.request, _("The roles of %(name)s are saved.") % {"name": people.display_name(self.person)}
        )
        return redirect("people:detail", pk=self.person.pk)


def refused(request, error: ValidationError, person):
    """A refusal is shown at the top of the person's page as it is now (a
    stale form is not shown again: its values are what someone else replaced)."""
    for message in error.messages:
        messages.error(request, message)
    return redirect("people:detail", pk=person.pk)


class AccountActionView(PersonMixin, View):
    """A button on a person's page (POST only): a service called with the state the page showed."""

    http_method_names = ["post"]
    service = None
    done = ""

    def act(self, state):
        return type(self).service(person=self.person, by=self.request.user, state=state)

    def post(self, request, *args, **kwargs):
        form = AccountStateForm(request.POST)
        state = form.cleaned_data["state"] if form.is_valid() else None
        try:
            self.act(state)
        except ValidationError as error:
            return refused(request, error, self.person)
        messages.success(request, self.done % {"name": people.display_name(self.person)})
        return redirect(reverse("people:detail", kwargs={"pk": self.person.pk}))


class DeactivateView(AccountActionView):
    """Asks first (GET): a leaver's deactivation ends their sessions and tokens at once."""

    http_method_names = ["get", "post"]
    service = people.account_deactivate

    def get(self, request, *args, **kwargs):
        context = {
            "person": self.person,
            "state_form": AccountStateForm(initial={"state": people.account_state(self.person)}),
        }
        return render(request, "oia/people/deactivate.html", context)

    @property
    def done(self):
        return _("The account of %(name)s is deactivated: they can no longer sign in.")


class ReactivateView(AccountActionView):
    service = people.account_reactivate

    @property
    def done(self):
        return _("The account of %(name)s is active again.")


class InviteAgainView(AccountActionView):
    @property
    def done(self):
        return _("A new invitation to %(name)s is on its way.")

    def act(self, state):
        return people.account_invite_again(
            person=self.person, by=self.request.user, state=state, base_url=base_url(self.request)
        )
