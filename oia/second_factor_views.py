"""The pages of two-factor sign-in: entering a code after the password,
setting up an authenticator app (with recovery codes), and the account's
security page where office staff turn it on, renew recovery codes or remove it."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django_otp import user_has_device

from . import second_factor
from .forms import Form
from .permissions import OfficeRequiredMixin


class CodeForm(Form):
    """One code: six digits from the app, or (where allowed) a recovery code."""

    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def __init__(self, *args, recovery_allowed=False, **kwargs):
        super().__init__(*args, **kwargs)
        if recovery_allowed:
            self.fields["code"].help_text = gettext_lazy(
                "The six digits your authenticator app shows, or one of your recovery codes."
            )
        else:
            self.fields["code"].help_text = gettext_lazy("The six digits your authenticator app shows.")


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


@method_decorator(never_cache, name="dispatch")
class VerifyView(LoginRequiredMixin, View):
    """After the password: the code from the app, or a recovery code."""

    template_name = "registration/two_factor_verify.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and second_factor.pending_step(request) != second_factor.VERIFY:
            return redirect(_next_url(request))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self._render(CodeForm(recovery_allowed=True))

    def post(self, request):
        form = CodeForm(request.POST, recovery_allowed=True)
        if form.is_valid():
            if second_factor.verify(request, form.cleaned_data["code"]) is not None:
                return redirect(_next_url(request))
            form.add_error(
                "code", _("This code is not right, or was used already. Wait a moment and enter the current one.")
            )
        return self._render(form, status=400)

    def _render(self, form, status=200):
        return render(self.request, self.template_name, {"form": form, "next": _next_url(self.request)}, status=status)


@method_decorator(never_cache, name="dispatch")
class EnrolView(LoginRequiredMixin, View):
    """Setting up an authenticator app: QR code and secret, confirmed with a
    code; then the recovery codes, shown this once."""

    template_name = "registration/two_factor_enrol.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not second_factor.may_enrol(request.user):
            raise PermissionDenied(_("Two-factor sign-in is offered to the office's staff."))
        if user_has_device(request.user):
            # Set up already: a second app only after entering a code from the first.
            if second_factor.pending_step(request) == second_factor.VERIFY:
                return redirect("two_factor_verify")
            return redirect("two_factor")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self._render(CodeForm())

    def post(self, request):
        form = CodeForm(request.POST)
        device = second_factor.enrolment_device(request.user)
        if form.is_valid():
            codes = second_factor.confirm_enrolment(request, device, form.cleaned_data["code"])
            if codes is not None:
                return render(
                    request,
                    "registration/two_factor_recovery_codes.html",
                    {"codes": codes, "next": _next_url(request), "enrolled": True},
                )
            form.add_error("code", _("This code is not right. Wait for the next one in your app and enter it."))
        return self._render(form, status=400)

    def _render(self, form, status=200):
        device = second_factor.enrolment_device(self.request.user)
        context = {
            "form": form,
            "qr_code": second_factor.qr_code_svg(device),
            "secret": second_factor.secret_text(device),
            "required": second_factor.requires_second_factor(self.request.user),
            "next": _next_url(self.request),
        }
        return render(self.request, self.template_name, context, status=status)


@method_decorator(never_cache, name="dispatch")
class SecurityView(OfficeRequiredMixin, View):
    """The account's two-factor sign-in: on or off, recovery codes left; new
    recovery codes, or removing it (with a current code from the app)."""

    template_name = "registration/two_factor.html"

    def get(self, request):
        return self._render(CodeForm())

    def post(self, request):
        user = request.user
        if not second_factor.has_app_device(user):
            return redirect("two_factor_enrol")
        action = request.POST.get("action")
        if action == "recovery_codes":
            codes = second_factor.new_recovery_codes(user)
            return render(request, "registration/two_factor_recovery_codes.html", {"codes": codes, "next": "/"})
        if action == "remove":
            form = CodeForm(request.POST)
            if form.is_valid() and second_factor.verify(request, form.cleaned_data["code"]) is not None:
                second_factor.remove_devices(request)
                messages.success(request, _("Two-factor sign-in is off for your account."))
                return redirect("two_factor")
            if form.is_bound and not form.errors:
                form.add_error("code", _("This code is not right, or was used already."))
            return self._render(form, status=400)
        return self._render(CodeForm(), status=400)

    def _render(self, form, status=200):
        user = self.request.user
        context = {
            "form": form,
            "enabled": second_factor.has_app_device(user),
            "required": second_factor.requires_second_factor(user),
            "recovery_codes_left": second_factor.recovery_codes_left(user),
        }
        return render(self.request, self.template_name, context, status=status)
