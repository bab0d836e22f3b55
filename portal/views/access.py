"""Who may open a portal page: a signed-in account with an active membership, else 404.

Anonymous visitors are sent to sign in. A signed-in account without a party (staff, or an
account whose access was taken away) gets 404 like any record it may not see, so the portal
never tells a stranger what exists.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from ..models import PortalMembership
from ..selectors import membership_for


class PortalRequest(HttpRequest):
    membership: PortalMembership


def member_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        membership = membership_for(request.user)
        if membership is None:
            raise Http404("No portal account here.")
        request.membership = membership  # type: ignore[attr-defined]
        response = view(request, *args, **kwargs)
        # Pages with a company's own records: never cached by the browser or a proxy.
        response.headers.setdefault("Cache-Control", "private, no-store")
        return response

    return wrapped


def company_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Company users only; a developer's account gets 404 (the page is not theirs)."""

    @member_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.membership.company_id:  # type: ignore[attr-defined]
            raise Http404("Not a company account.")
        return view(request, *args, **kwargs)

    return wrapped


def developer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Zone developers' users only; a company's account gets 404."""

    @member_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.membership.developer_id:  # type: ignore[attr-defined]
            raise Http404("Not a developer account.")
        return view(request, *args, **kwargs)

    return wrapped
