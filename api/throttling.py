"""Rate limits per kind of caller: anonymous by IP, partners per key, staff per user."""

from rest_framework import throttling

from core.client_ip import client_ip

from .permissions import is_partner


class AnonymousRateThrottle(throttling.AnonRateThrottle):
    """Anonymous callers, by IP address; partners are counted per key instead."""

    def get_ident(self, request):
        # Through TRUSTED_PROXY_COUNT proxies, as the login lockout and the public form count.
        return client_ip(request)

    def get_cache_key(self, request, view):
        if is_partner(request):
            return None
        return super().get_cache_key(request, view)


class PartnerRateThrottle(throttling.SimpleRateThrottle):
    scope = "partner"

    def get_cache_key(self, request, view):
        if not is_partner(request):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.prefix}


class SignedInUserRateThrottle(throttling.UserRateThrottle):
    """Signed-in (session) users, per user; anonymous callers are left to the anon limit."""

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
