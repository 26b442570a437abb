"""People and roles in the API (``/api/accounts/``; ``/api/people/`` are the
delegations' travellers and visitors), for administrators only, as on the
People pages: the list (``?role=``, ``?active=``, ``?q=`` on name, user name
and e-mail), an account, inviting someone (POST), and an account's ``roles/``,
``deactivate/``, ``reactivate/`` and ``invite-again/``.

Every write is a service of ``oia.people``, so the pages' rules hold here
too. A change sends the account's ``version`` as the client read it (the
fingerprint the People page sends as its hidden state): an account changed
since is refused with 400, as a page opened before the change is.

A role with an affiliation (club leader: clubs, registered by partners) adds
one field of record ids, named by the affiliation's ``api_field``."""

from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError

from .. import invitations, people
from ..bounds import ID_MAX
from ..filters import PeopleFilter
from ..permissions import IsOfficeAdmin
from ..roles import Role
from .filters import DjangoFilterBackend
from .mixins import FreshAnswerMixin
from .serializers import Serializer

User = get_user_model()

# The most records one request may tie an account to (a club leader leads a club or two).
MAX_RECORDS = 100
VERSION_HELP = gettext_lazy(
    "The account's version as you read it. A change is refused when the account has changed since."
)


class RecordIdsField(serializers.ListField):
    """The ids of an affiliation's records, read in one query; an id that is
    not one of the records the People pages offer is refused by number."""

    def __init__(self, *, affiliation: people.Affiliation, **kwargs):
        self.affiliation = affiliation
        kwargs.setdefault("max_length", MAX_RECORDS)
        super().__init__(child=serializers.IntegerField(min_value=1, max_value=ID_MAX), **kwargs)

    def to_internal_value(self, data):
        # Counted before each id is read: a long list costs nothing.
        if isinstance(data, list) and len(data) > MAX_RECORDS:
            raise ValidationError(_("Send at most %(count)s ids.") % {"count": MAX_RECORDS})
        ids = super().to_internal_value(data)
        records = list(self.affiliation.choices().filter(pk__in=ids))
        missing = sorted(set(ids) - {record.pk for record in records})
        if missing:
            raise ValidationError(_("No such record: %(ids)s.") % {"ids": ", ".join(map(str, missing))})
        return records

    def to_representation(self, value):
        return [record.pk for record in value.all()]


def affiliation_fields(*, read_only: bool) -> dict[str, RecordIdsField]:
    """One field of record ids for each registered affiliation: read from the
    account's relation, or written, optional, as a list of at most ``MAX_RECORDS``."""
    kwargs = {"read_only": True, "max_length": None} if read_only else {"required": False}
    return {
        affiliation.api_field: RecordIdsField(
            affiliation=affiliation,
            help_text=_("%(records)s: their ids (only with the role %(role)s).")
            % {"records": affiliation.label_plural, "role": Role(affiliation.role).label},
            **({"source": affiliation.related_name} if read_only else {}),
            **kwargs,
        )
        for affiliation in people.affiliations()
    }


class AccountSerializer(Serializer):
    """An account as the People pages show it, with the version a change must send."""

    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True, help_text=gettext_lazy("The user name to sign in with."))
    first_name = serializers.CharField(read_only=True, allow_blank=True)
    last_name = serializers.CharField(read_only=True, allow_blank=True)
    email = serializers.EmailField(read_only=True, allow_blank=True)
    roles = serializers.SerializerMethodField()
    is_active = serializers.BooleanField(
        read_only=True, help_text=gettext_lazy("False: deactivated, the account cannot sign in.")
    )
    invited = serializers.SerializerMethodField(
        help_text=gettext_lazy("Invited and not signed up yet: active, but without a password.")
    )
    last_login = serializers.DateTimeField(read_only=True, allow_null=True)
    date_joined = serializers.DateTimeField(read_only=True)
    version = serializers.SerializerMethodField(help_text=VERSION_HELP)

    def get_fields(self):
        return {**super().get_fields(), **affiliation_fields(read_only=True)}

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Role.choices)))
    def get_roles(self, person) -> list[str]:
        return people.roles_held(person)

    def get_invited(self, person) -> bool:
        return people.is_invited(person)

    def get_version(self, person) -> str:
        return people.account_state(person)


class AccountInvitationSerializer(Serializer):
    """Who is invited, the address the link goes to (also their user name) and one role."""

    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    email = serializers.EmailField(
        max_length=150, help_text=gettext_lazy("The invitation is sent here; it is also the user name.")
    )
    role = serializers.ChoiceField(choices=Role.choices)

    def get_fields(self):
        return {**super().get_fields(), **affiliation_fields(read_only=False)}

    def validate(self, attrs):
        attrs = super().validate(attrs)
        refuse_records_without_their_role(attrs, {attrs["role"]})
        return attrs


class AccountVersionSerializer(Serializer):
    """A change of an account names the version the client read."""

    version = serializers.CharField(max_length=64, help_text=VERSION_HELP)


class AccountRolesSerializer(AccountVersionSerializer):
    """Exactly the roles the account is to hold. A role's records left out stay as
    they are; a role taken away takes its records with it."""

    roles = serializers.MultipleChoiceField(choices=Role.choices, allow_empty=True)

    def get_fields(self):
        return {**super().get_fields(), **affiliation_fields(read_only=False)}

    def validate(self, attrs):
        attrs = super().validate(attrs)
        refuse_records_without_their_role(attrs, set(attrs["roles"]))
        return attrs


def refuse_records_without_their_role(attrs: dict, roles: set[str]) -> None:
    """Records sent for a role the account is not to hold would be dropped
    without a word (``oia.people``): a client that sends them has a bug."""
    errors = {
        affiliation.api_field: [_("Only with the role %(role)s.") % {"role": Role(affiliation.role).label}]
        for affiliation in people.affiliations()
        if attrs.get(affiliation.api_field) and affiliation.role not in roles
    }
    if errors:
        raise ValidationError(errors)


@contextmanager
def refusals_as_api_errors(role: str | None = None):
    """A service's refusal as the API's 400: the pages' stale-state message
    speaks of the page, so a stale version gets its own, on ``version``; the
    invitation form's ``affiliation`` is the affiliation's API field."""
    try:
        yield
    except DjangoValidationError as error:
        if getattr(error, "code", None) == "stale":
            message = _("This account has changed since you read it. Read it again and send its new version.")
            raise ValidationError({"version": [message]}) from error
        if not hasattr(error, "error_dict"):
            raise
        affiliation = people.affiliation_for(role or "")
        renamed = {
            affiliation.api_field if name == "affiliation" and affiliation is not None else name: messages
            for name, messages in error.message_dict.items()
        }
        raise ValidationError(renamed) from error


REFUSED = OpenApiResponse(
    description="Invalid, a stale version, or refused by the rules (such as the last active administrator)."
)


class AccountViewSet(FreshAnswerMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """People and roles: every account with its roles, for administrators."""

    queryset = User.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = AccountSerializer
    permission_classes = [IsOfficeAdmin]
    filterset_class = PeopleFilter
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self):
        return people.people_for_list()

    def payload(self, serializer_class) -> dict:
        payload = serializer_class(data=self.request.data)
        payload.is_valid(raise_exception=True)
        return payload.validated_data

    @extend_schema(request=AccountInvitationSerializer, responses={201: AccountSerializer, 400: REFUSED})
    def create(self, request):
        """Invite someone: the account is made without a password, and an e-mail
        with a one-time link to set one leaves after the commit."""
        data = self.payload(AccountInvitationSerializer)
        affiliation = people.affiliation_for(data["role"])
        with refusals_as_api_errors(data["role"]):
            person = people.account_invite(
                by=request.user,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                role=data["role"],
                affiliated_with=data.get(affiliation.api_field, []) if affiliation is not None else [],
                base_url=invitations.base_url(request),
            )
        return self.fresh_answer(person.pk, status.HTTP_201_CREATED)

    @extend_schema(request=AccountRolesSerializer, responses={200: AccountSerializer, 400: REFUSED})
    @action(detail=True, methods=["post"], filter_backends=[])
    def roles(self, request, pk=None):
        """Give the account exactly ``roles`` (and, for club leaders, their clubs).
        Nobody takes their own administrator role away, and the office keeps an
        active administrator."""
        person = self.get_object()
        data = self.payload(AccountRolesSerializer)
        chosen = {
            affiliation.role: data.get(affiliation.api_field, people.affiliated(person, affiliation))
            for affiliation in people.affiliations()
        }
        with refusals_as_api_errors():
            people.account_set_roles(
                person=person, by=request.user, roles=data["roles"], affiliated_with=chosen, state=data["version"]
            )
        return self.fresh_answer(person.pk)

    @extend_schema(request=AccountVersionSerializer, responses={200: AccountSerializer, 400: REFUSED})
    @action(detail=True, methods=["post"], filter_backends=[])
    def deactivate(self, request, pk=None):
        """A leaver's account stops working: no sign-in, sessions and API tokens
        end; records and history stay. Nobody deactivates themselves."""
        return self.act(people.account_deactivate)

    @extend_schema(request=AccountVersionSerializer, responses={200: AccountSerializer, 400: REFUSED})
    @action(detail=True, methods=["post"], filter_backends=[])
    def reactivate(self, request, pk=None):
        """A returning colleague signs in again with their old password."""
        return self.act(people.account_reactivate)

    @extend_schema(request=AccountVersionSerializer, responses={200: AccountSerializer, 400: REFUSED})
    @action(detail=True, methods=["post"], url_path="invite-again", filter_backends=[])
    def invite_again(self, request, pk=None):
        """A new link for someone invited who has not set a password yet."""
        return self.act(people.account_invite_again, base_url=invitations.base_url(request))

    def act(self, service, **extra):
        person = self.get_object()
        data = self.payload(AccountVersionSerializer)
        with refusals_as_api_errors():
            service(person=person, by=self.request.user, state=data["version"], **extra)
        return self.fresh_answer(person.pk)
