"""The Django admin of the project's own models: administrators find here
the notification emails that could not be sent, and send them again; see who
holds API tokens, to revoke them; and on a user's page, lift the user's
lockout after failed sign-ins. The office's records are listed read-only
(see ``RecordAdmin``); people and their roles are managed on the app's own
People pages (``oia.people_views``), where the rules about administrators hold."""

from axes.models import AccessAttempt
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Sum
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import tokens
from .lockout import lift_lockout
from .models import AnonymisedAccount, EmailStatus, Notification, RetentionRun, WorkerHeartbeat
from .roles import ADMINS, has_role


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "text", "email_status", "email_attempts", "email_error"]
    list_filter = ["email_status", "created_at"]
    search_fields = ["text", "user__username", "user__email"]
    list_select_related = ["user"]
    readonly_fields = [field.name for field in Notification._meta.fields]
    actions = ["send_email_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send the email again"))
    def send_email_again(self, request, queryset):
        from .tasks import send_notification_email

        again = list(queryset.exclude(user__email="").values_list("pk", flat=True))
        Notification.objects.filter(pk__in=again).update(email_status=EmailStatus.PENDING, email_error="")
        for pk in again:
            transaction.on_commit(lambda pk=pk: send_notification_email.delay(pk))
        self.message_user(
            request,
            ngettext("%(count)s email is queued again.", "%(count)s emails are queued again.", len(again))
            % {"count": len(again)},
            messages.SUCCESS,
        )


admin.site.unregister(tokens.Token)


@admin.register(tokens.Token)
class TokenAdmin(admin.ModelAdmin):
    """Who holds API tokens, and until when; an administrator revokes them by
    deleting. Nobody makes a token here (its owner does, with their password)
    and the hashes stay out of sight."""

    list_display = ["user", "beginning", "created", "expiry"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
    fields = ["user", "beginning", "created", "expiry"]
    readonly_fields = fields
    ordering = ["-created"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Token begins with"))
    def beginning(self, token):
        return token.token_key[: tokens.SHOWN_LENGTH]

    def delete_model(self, request, obj):
        tokens.revoke_tokens(obj.user, reason="admin", request=request, token_key=obj.token_key)

    def delete_queryset(self, request, queryset):
        for token in queryset.select_related("user"):
            self.delete_model(request, token)


User = get_user_model()


class UserAdmin(auth_admin.UserAdmin):
    """Django's user admin, with a button on the user's page that lifts a
    lockout after repeated failed sign-ins (oia.lockout)."""

    change_form_template = "admin/oia/user_change_form.html"

    def get_urls(self):
        info = (self.opts.app_label, self.opts.model_name)
        lift = path(
            "<path:object_id>/lift-lockout/",
            self.admin_site.admin_view(self.lift_lockout_view),
            name="{}_{}_lift_lockout".format(*info),
        )
        return [lift, *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "failed_sign_ins": failed_sign_ins(object_id)}
        return super().change_view(request, object_id, form_url, extra_context)

    def lift_lockout_view(self, request, object_id):
        user = self.get_object(request, unquote(object_id))
        if user is None:
            raise Http404
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        change_page = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[user.pk])
        if request.method != "POST":
            return HttpResponseRedirect(change_page)
        count = lift_lockout(user, request)
        self.message_user(
            request,
            _("The lockout of %(username)s is lifted (%(count)s failed sign-in records cleared).")
            % {"username": user.get_username(), "count": count},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(change_page)


def failed_sign_ins(object_id) -> int | None:
    """How many failed sign-ins axes holds for the user (None: no such user)."""
    username = User.objects.filter(pk=object_id).values_list(User.USERNAME_FIELD, flat=True).first()
    if username is None:
        return None
    return AccessAttempt.objects.filter(username=username).aggregate(total=Sum("failures_since_start"))["total"] or 0


admin.site.unregister(User)
admin.site.register(User, UserAdmin)


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record to look at: nothing is added, changed or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin):
    """What the nightly retention job did, rule by rule: read-only, it is a record."""

    list_display = ["ran_at", "rule", "count", "seconds"]
    list_filter = ["rule", "ran_at"]
    date_hierarchy = "ran_at"
    readonly_fields = ["ran_at", "rule", "count", "seconds"]


@admin.register(AnonymisedAccount)
class AnonymisedAccountAdmin(ReadOnlyAdmin):
    """Which accounts were anonymised, when, by whom and why: read-only, it is a record."""

    list_display = ["user", "anonymised_at", "anonymised_by"]
    list_select_related = ["user", "anonymised_by"]
    readonly_fields = ["user", "anonymised_at", "anonymised_by", "anonymisation_reason"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdmin):
    """When each Celery worker was last seen (what /readyz reads); a worker gone
    for good may be deleted here."""

    list_display = ["hostname", "seen_at"]
    readonly_fields = ["hostname", "seen_at"]

    def has_delete_permission(self, request, obj=None):
        return admin.ModelAdmin.has_delete_permission(self, request, obj)


# --- The office's records, to look at ------------------------------------------------
# Every record of the domain apps is listed read-only for the administrators
# (and superusers). Read-only, because every write must go through the apps'
# services: the version check, the status history, the budget's and the
# report's rules are not in the models alone, and a Django admin form would
# step around them. Found through the app registry, so the core imports no app.
# Files and binary renders stay out (a file is only handed out by the app's own
# views, which check the role), and so do secrets (a token's hash).

RECORD_APPS = ["partners", "delegations", "networks", "budget", "protocol", "reports"]


class RecordAdmin(ReadOnlyAdmin):
    """A domain record, read-only."""

    def has_module_permission(self, request):
        return has_role(request.user, ADMINS) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return has_role(request.user, ADMINS) or super().has_view_permission(request, obj)

    def get_fields(self, request, obj=None):
        return [
            field.name
            for field in self.model._meta.fields
            if not isinstance(field, models.FileField | models.BinaryField)
            and not field.name.endswith(("_hash", "token"))
            and not (field.name == "html" and isinstance(field, models.TextField))
        ] + [field.name for field in self.model._meta.many_to_many]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def get_queryset(self, request):
        # A report version's renders are megabytes: never read them for a list or a page here.
        queryset = super().get_queryset(request)
        heavy = [field.name for field in self.model._meta.fields if isinstance(field, models.BinaryField)]
        return queryset.defer(*heavy) if heavy else queryset


def register_records() -> None:
    for label in RECORD_APPS:
        for model in apps.get_app_config(label).get_models():
            if not admin.site.is_registered(model):
                admin.site.register(model, RecordAdmin)


register_records()
