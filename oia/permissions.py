"""Role checks for HTML views (mixins) and the API (DRF permission classes).

Anonymous users are sent to the login page; a signed-in user without the
role gets 403. The API answers 401 without credentials and 403 without role.
"""

from django.contrib.auth.mixins import AccessMixin
from rest_framework import permissions

from .roles import ADMINS, CLUB_LEADERS, OFFICE, REPORT_READERS, has_role


class RoleRequiredMixin(AccessMixin):
    """View mixin: only users holding one of ``allowed_roles`` get in."""

    allowed_roles: frozenset[str] = OFFICE

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_role(request.user, self.allowed_roles):
            self.raise_exception = True
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)


class OfficeRequiredMixin(RoleRequiredMixin):
    allowed_roles = OFFICE


class AdminRequiredMixin(RoleRequiredMixin):
    allowed_roles = ADMINS


class ReportReaderRequiredMixin(RoleRequiredMixin):
    allowed_roles = REPORT_READERS


class HasRole(permissions.BasePermission):
    allowed_roles: frozenset[str] = frozenset()

    def has_permission(self, request, view):
        return has_role(request.user, self.allowed_roles)


class IsOfficeStaff(HasRole):
    """OIA staff and admins: the default for every API endpoint."""

    allowed_roles = OFFICE


class IsOfficeAdmin(HasRole):
    allowed_roles = ADMINS


class IsReportReader(HasRole):
    allowed_roles = REPORT_READERS


class IsOfficeOrClubLeader(HasRole):
    """Office staff and club leaders; a viewset using it must scope its rows
    with ``partners.selectors.visible_to`` so leaders see only their clubs'."""

    allowed_roles = OFFICE | CLUB_LEADERS
