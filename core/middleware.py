"""Middleware every surface shares: request size limit, staff idle timeout, the language."""

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
BODY_METHODS = {"POST", "PUT", "PATCH"}

GetResponse = Callable[[HttpRequest], HttpResponse]


def _too_large(request: HttpRequest) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    detail = (
        f"The request body is larger than the {limit:,} bytes this service accepts. "
        f"Send less data in one request."
    )
    if request.path.startswith(API_PREFIX):
        # The API's error shape (api.exceptions), written here because core sits below api/.
        return JsonResponse(
            {"status": 413, "code": "request_too_large", "detail": detail}, status=413
        )
    return render(request, "413.html", {"limit": limit}, status=413)


class RequestSizeLimitMiddleware:
    """Answer an oversized body with 413 (JSON on the API, a page elsewhere), not a 400 + traceback.

    Django refuses bodies over DATA_UPLOAD_MAX_MEMORY_SIZE by raising RequestDataTooBig when the
    body is first read, which happens in CSRF checks, parsers or views and ends as an HTML 400
    with a traceback in the security log. Here the limit is applied before anything reads the
    body, the way Django itself counts it: the whole body for non-multipart requests (JSON,
    urlencoded) and for the API, the non-file fields for multipart forms, so admin file imports
    still work.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in BODY_METHODS and self._too_large(request):
            logger.info(
                "Refused an oversized %s %s body (%s bytes declared).",
                request.method,
                request.path,
                request.META.get("CONTENT_LENGTH") or "?",
            )
            return _too_large(request)
        return self.get_response(request)

    @staticmethod
    def _too_large(request: HttpRequest) -> bool:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is None:
            return False
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        # The API takes JSON only, and DRF must find a multipart body unread to refuse it with
        # a 415; so there, and for every non-multipart body, the whole body counts.
        if request.content_type != "multipart/form-data" or request.path.startswith(API_PREFIX):
            return declared > limit
        try:
            request.POST  # noqa: B018 - parsing counts the non-file fields against the limit
        except RequestDataTooBig:
            return True
        return False


STAFF_ACTIVITY_KEY = "staff_last_activity"


def mark_staff_sign_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """Start a staff session's idle clock at sign-in (the user_logged_in signal).

    The session is saved with the sign-in anyway, so the first pages need no extra write.
    """
    if user.is_staff and hasattr(request, "session"):
        request.session[STAFF_ACTIVITY_KEY] = time.time()


class StaffIdleTimeoutMiddleware:
    """Sign staff out after STAFF_IDLE_TIMEOUT_MINUTES without a request.

    Staff sessions reach personal data and every record; a session left open on a shared
    machine must not last the cookie's two weeks. Other signed-in users are left alone.
    """

    SESSION_KEY = STAFF_ACTIVITY_KEY
    # Refresh the timestamp at most once a minute, so that reading pages does not write
    # the session on every request.
    REFRESH_SECONDS = 60

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timeout = settings.STAFF_IDLE_TIMEOUT_MINUTES * 60
        user = getattr(request, "user", None)
        if timeout > 0 and user is not None and user.is_authenticated and user.is_staff:
            now = time.time()
            last = request.session.get(self.SESSION_KEY)
            if isinstance(last, int | float) and now - last > timeout:
                logout(request)
                messages.warning(
                    request,
                    f"You were signed out after {settings.STAFF_IDLE_TIMEOUT_MINUTES} minutes "
                    f"without activity. Sign in again to continue.",
                    fail_silently=True,
                )
            elif not isinstance(last, int | float) or now - last > self.REFRESH_SECONDS:
                request.session[self.SESSION_KEY] = now
        return self.get_response(request)


class PublicSiteLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware for the public site; the API and the admin stay in English.

    A visitor's language comes from the `django_language` cookie (the switch on every page
    posts to set_language) or Accept-Language, never from the URL (ADR 0705). Partner systems
    and staff get what they always got: the API's messages are part of its contract, and a
    browser set to Urdu must not turn the admin half-Urdu (Django's own Urdu is incomplete).
    """

    ENGLISH_ONLY_PREFIXES = (API_PREFIX, "/admin/", "/healthz")

    def process_request(self, request: HttpRequest) -> None:
        if request.path_info.startswith(self.ENGLISH_ONLY_PREFIXES):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = translation.get_language()
            return
        super().process_request(request)

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if request.path_info.startswith(self.ENGLISH_ONLY_PREFIXES):
            return response
        return super().process_response(request, response)
