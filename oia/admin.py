"""The Django admin of the project's own models: administrators find here
the notification emails that could not be sent, and send them again, and
who holds API tokens, to revoke them."""

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import tokens
from .models import EmailStatus, Notification


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
