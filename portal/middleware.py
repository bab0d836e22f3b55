"""Two-factor authentication for staff, when the authority requires it (STAFF_REQUIRE_2FA)."""

from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

ADMIN_PREFIX = "/admin/"


class StaffTwoFactorMiddleware:
    """With STAFF_REQUIRE_2FA on, a staff account without an authenticator app set up can open
    no admin page until it has one: it is sent to the set-up page first.

    Sign-in itself then goes through /accounts/login/ (the admin's login page sends it there),
    which asks for the app's code after the password.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.STAFF_REQUIRE_2FA
            and request.path.startswith(ADMIN_PREFIX)
            and request.user.is_authenticated
            and request.user.is_staff
            and not is_mfa_enabled(request.user)
        ):
            messages.warning(
                request,
                "The authority requires two-factor authentication for staff: set up an "
                "authenticator app to continue to the admin.",
            )
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('mfa_activate_totp')}?{query}")
        return self.get_response(request)
