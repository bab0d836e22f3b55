"""Who may call what (the access table in docs/domain.md and docs/api.md)."""

from rest_framework import permissions

from partners.models import PartnerKey


def is_partner(request) -> bool:
    return isinstance(request.auth, PartnerKey)


def is_staff(request) -> bool:
    user = request.user
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


class IsPartnerOrStaff(permissions.BasePermission):
    """Partner systems (API key) and staff (session) only: companies, interests, pledges."""

    message = (
        "This endpoint needs a partner API key (`Authorization: Api-Key <key>`) or a staff login."
    )

    def has_permission(self, request, view):
        return is_partner(request) or is_staff(request)


class IsPartner(permissions.BasePermission):
    """Partner systems only (their own webhook endpoints and deliveries)."""

    message = "This endpoint needs a partner API key (`Authorization: Api-Key <key>`)."

    def has_permission(self, request, view):
        return is_partner(request)
