"""Partner keys as a DRF authentication class: `Authorization: Api-Key <key>`."""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from rest_framework import authentication, exceptions
from rest_framework_api_key.permissions import KeyParser

from partners.models import PartnerKey

# Recording every request's time would turn each read into a write; to the minute is
# what staff need to tell a live integration from an abandoned key.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class PartnerKeyAuthentication(authentication.BaseAuthentication):
    """Authenticates a partner system; request.auth is its PartnerKey, request.user anonymous."""

    keyword = KeyParser.keyword
    key_parser = KeyParser()

    def authenticate(self, request):
        raw_key = self.key_parser.get_from_authorization(request)
        if raw_key is None:
            return None
        try:
            partner_key = PartnerKey.objects.get_from_key(raw_key.strip())
        except PartnerKey.DoesNotExist:
            raise exceptions.AuthenticationFailed(
                "This API key is not valid: it is mistyped or has been revoked. "
                "Send it as `Authorization: Api-Key <key>`, or ask the registry for a new key."
            ) from None
        if partner_key.has_expired:
            raise exceptions.AuthenticationFailed(
                f"This API key expired on {partner_key.expiry_date:%Y-%m-%d}. "
                "Ask the registry for a new key."
            )
        now = timezone.now()
        if partner_key.last_used_at is None or now - partner_key.last_used_at > (
            LAST_USED_RESOLUTION
        ):
            PartnerKey.objects.filter(pk=partner_key.pk).update(last_used_at=now)
            partner_key.last_used_at = now
        return AnonymousUser(), partner_key

    def authenticate_header(self, request):
        # Makes DRF answer 401 (with this challenge) rather than 403 when no key is sent.
        return self.keyword
