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


def login_name(request: HttpRequest, credentials: dict | None) -> str | None:
    """The name a sign-in attempt is for, as django-axes counts failures per account.

    The admin's form posts `username`; the portal's (django-allauth) authenticates with `email`
    and posts `login`. Lower-cased, so that "A@x.org" and "a@x.org" share one count.
    """
    posted = request.POST if request is not None else {}
    for key in ("username", "email", "login"):
        value = (credentials or {}).get(key) or posted.get(key)
        if value:
            return str(value).strip().lower()
    return None
