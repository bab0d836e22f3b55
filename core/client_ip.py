"""The client's address, as every per-address limit sees it (login lockout, form and API limits).

Behind TRUSTED_PROXY_COUNT reverse proxies, each of which appends the address it received the
request from to `X-Forwarded-For`, the client is the entry that many places from the right:
the entries further left were written by the client itself and can say anything. With no
trusted proxy (the default) the header is ignored and the socket address is the client.

The rule is Django REST framework's NUM_PROXIES rule, written once here so that django-axes
(AXES_CLIENT_IP_CALLABLE), django-ratelimit (RATELIMIT_IP_META_KEY) and the API's throttles
(api.throttling) cannot disagree. docs/adr/0103 says why not django-ipware.
"""

import ipaddress

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address of the client that sent `request`, through the trusted proxies."""
    remote = request.META.get("REMOTE_ADDR") or ""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if count <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",")]
    # Fewer hops than proxies: the request did not come through all of them; the leftmost
    # entry is the furthest anyone vouches for.
    candidate = hops[-min(count, len(hops))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        # A proxy always writes an address; anything else was forged, so key on the socket.
        return remote


# The fields a sign-in form names its account with: the admin's `username`, the portal's
# (django-allauth) `login`, which it authenticates as `email`.
LOGIN_NAME_FIELDS = ("username", "email", "login")


def login_name(request: HttpRequest, credentials: dict | None) -> str | None:
    """The account a sign-in attempt is for, as django-axes counts failures per account.

    The name comes from the credentials the form authenticated with; what else was posted is
    read only when there are none, since a field the form ignores (a made-up `username` beside
    the portal's `login`) would otherwise pick a new count on every attempt. An email address
    that belongs to exactly one account counts as that account's username, so that its
    failures at /accounts/login/ and at /admin/login/ add up, and a successful sign-in (which
    django-axes reports by username) clears them. Lower-cased: "A@x.org" is "a@x.org".
    """
    given = credentials or {}
    value = next((given[key] for key in LOGIN_NAME_FIELDS if given.get(key)), None)
    if value is None:
        posted = getattr(request, "POST", None) or {}
        value = next((posted[key] for key in LOGIN_NAME_FIELDS if posted.get(key)), None)
    if value is None:
        return None
    name = str(value).strip().lower()
    if "@" in name:
        user_model = get_user_model()
        usernames = list(
            user_model.objects.filter(email__iexact=name).values_list(
                user_model.USERNAME_FIELD, flat=True
            )[:2]
        )
        if len(usernames) == 1:
            return str(usernames[0]).strip().lower()
    return name
