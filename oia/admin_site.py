"""The Django admin site, open only to a session that passed the second factor
(what django-otp's OTPAdminSite does, but keeping Django's own login form, so
the lockout on /admin/login/ keeps working: the code is asked on our page)."""

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


class AdminSite(admin.AdminSite):
    def has_permission(self, request):
        is_verified = getattr(request.user, "is_verified", None)
        return super().has_permission(request) and is_verified is not None and is_verified()

    def login(self, request, extra_context=None):
        """A signed-in member of staff who has not entered a code is sent to do so,
        not shown the admin's "not authorised" sign-in form."""
        user = request.user
        if user.is_active and user.is_staff and not self.has_permission(request):
            step = "two_factor_verify" if request.session.get("oia_otp_device") else "two_factor_enrol"
            return redirect(reverse(step) + "?" + urlencode({"next": request.GET.get("next", reverse("admin:index"))}))
        return super().login(request, extra_context)
