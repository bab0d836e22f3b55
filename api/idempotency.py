"""Idempotent POSTs: a repeat with the same Idempotency-Key replays the first answer.

The unique constraint on (owner, key) settles races in the database: of two requests
carrying one key, the second one's insert waits for the first transaction and then
fails, and it replays what the first one stored. A request that fails validation
rolls back its record with everything else, so a key is spent only on success.
"""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from rest_framework import exceptions, status
from rest_framework.response import Response

from partners.models import IdempotencyRecord

from .permissions import is_partner

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
REPLAYED_HEADER = "Idempotent-Replayed"


class IdempotencyConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "idempotency_key_reused"
    default_detail = (
        "This Idempotency-Key was already used with a different request body. "
        "Use a new key for a new submission, or resend the original body unchanged."
    )


def request_fingerprint(data) -> str:
    """SHA-256 of the body as canonical JSON (key order and spacing do not matter)."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)
    return hashlib.sha256(canonical.encode()).hexdigest()


def idempotency_key(request) -> str:
    key = (request.headers.get(HEADER) or "").strip()
    if not key:
        raise exceptions.ValidationError(
            {
                HEADER: [
                    f"This header is required: send a unique value (a UUID, say) as "
                    f"`{HEADER}: <value>` so that a retried request cannot register twice."
                ]
            }
        )
    if len(key) > MAX_KEY_LENGTH:
        raise exceptions.ValidationError(
            {HEADER: [f"Use at most {MAX_KEY_LENGTH} characters (a UUID is 36)."]}
        )
    if not key.isprintable():  # a NUL cannot be stored in PostgreSQL: it was a 500
        raise exceptions.ValidationError({HEADER: ["Use printable characters only."]})
    return key


def idempotent_create(request, perform) -> Response:
    """Run `perform()` → (status, body, registration) once per key; replay it for repeats."""
    key = idempotency_key(request)
    owner = {"partner_key": request.auth} if is_partner(request) else {"user": request.user}
    fingerprint = request_fingerprint(request.data)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    **owner,
                    key=key,
                    request_fingerprint=fingerprint,
                    response_status=status.HTTP_202_ACCEPTED,  # replaced below before commit
                    response_body={},
                )
        except IntegrityError:
            earlier = IdempotencyRecord.objects.get(**owner, key=key)
            if earlier.request_fingerprint != fingerprint:
                raise IdempotencyConflict() from None
            return Response(
                earlier.response_body,
                status=earlier.response_status,
                headers={REPLAYED_HEADER: "true"},
            )
        response_status, body, registration = perform()
        record.response_status = response_status
        record.response_body = body
        record.registration = registration
        record.save(update_fields=["response_status", "response_body", "registration"])
    return Response(body, status=response_status)
