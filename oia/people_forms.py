"""The People pages' forms (writes go through ``oia.people``).

A role with an affiliation (club leader: clubs, registered by partners) gets
its field from the registry, named ``affiliation`` on the invitation (one
record) and ``affiliation_<role>`` on the roles form (any number)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import people
from .forms import Form
from .roles import Role


class InviteForm(Form):
    """A new account: who, their e-mail address (also their user name) and one role."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=150,
        help_text=_("The invitation is sent here; it is also the user name to sign in with."),
    )
    role = forms.ChoiceField(label=pgettext_lazy("account", "Role"), choices=Role.choices, widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for affiliation in people.affiliations():
            self.fields["affiliation"] = forms.ModelChoiceField(
                label=affiliation.label,
                queryset=affiliation.choices(),
                required=False,
                help_text=_("Needed for the role %(role)s.") % {"role": Role(affiliation.role).label},
            )

    def clean(self):
        data = super().clean()
        affiliation = people.affiliation_for(data.get("role") or "")
        if affiliation is not None and not data.get("affiliation"):
            self.add_error(
                "affiliation", _("Choose one for the role %(role)s.") % {"role": Role(affiliation.role).label}
            )
        return data

    def affiliated_with(self) -> list:
        record = self.cleaned_data.get("affiliation")
        affiliation = people.affiliation_for(self.cleaned_data["role"])
        return [record] if affiliation is not None and record is not None else []


class AccountStateForm(Form):
    """A button's form on a person's page: it names the account as the page showed it."""

    state = forms.CharField(widget=forms.HiddenInput, max_length=64)


class RolesForm(AccountStateForm):
    """The roles a person holds, and the records each affiliated role ties them to."""

    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, person=None, **kwargs):
        if person is not None:
            initial = {"roles": people.roles_held(person), "state": people.account_state(person)}
            for affiliation in people.affiliations():
                initial[f"affiliation_{affiliation.role}"] = [obj.pk for obj in people.affiliated(person, affiliation)]
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for affiliation in people.affiliations():
            self.fields[f"affiliation_{affiliation.role}"] = forms.ModelMultipleChoiceField(
                label=_("%(records)s (for the role %(role)s)")
                % {"records": affiliation.label_plural, "role": Role(affiliation.role).label},
                queryset=affiliation.choices(),
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    def affiliated_with(self) -> dict[str, list]:
        return {
            affiliation.role: list(self.cleaned_data.get(f"affiliation_{affiliation.role}") or [])
            for affiliation in people.affiliations()
        }
