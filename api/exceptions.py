"""One JSON error shape for the whole API, with a message a person can act on.

    {"status": 400, "code": "invalid", "detail": "…", "errors": {"field": ["…"]}}

`errors` appears only on 400s that concern particular fields or query parameters.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler

INVALID_DETAIL = "Some fields or query parameters are invalid; `errors` says what to change."

NOT_AUTHENTICATED_DETAIL = (
    "Authentication needed: send a partner key as `Authorization: Api-Key <key>` "
    "(or sign in as staff)."
)


class ErrorSerializer(serializers.Serializer):
    """The body of every error response (documents the shape in the OpenAPI schema)."""

    status = serializers.IntegerField(help_text="The HTTP status code, repeated.")
    code = serializers.CharField(help_text="A stable machine-readable code, e.g. `not_found`.")
    detail = serializers.CharField(help_text="What went wrong and what to do about it.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Field or query-parameter name → messages (400 only).",
    )
    retry_after_seconds = serializers.IntegerField(
        required=False, help_text="429 only: how long to wait before retrying."
    )


class RequestTooLarge(exceptions.APIException):
    status_code = 413
    default_code = "request_too_large"
    default_detail = "The request body is larger than this service accepts. Send less data."


def api_exception_handler(exc, context):
    """DRF's handler, reshaped; also turns a service's Django ValidationError into a 400."""
    if isinstance(exc, RequestDataTooBig):
        # core.middleware answers declared oversized bodies first; this covers the rest.
        exc = RequestTooLarge()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_errors(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = exception_handler(exc, context)
    if response is None:
        return None  # a genuine bug: let it surface as a 500 and reach the logs
    response.data = _error_body(exc, response)
    return response


def _django_errors(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): messages
            for field, messages in exc.message_dict.items()
        }
    return {"non_field_errors": exc.messages}


def _error_body(exc, response: Response) -> dict:
    code = _code(exc)
    body = {"status": response.status_code, "code": code}
    if isinstance(exc, exceptions.ValidationError):
        errors = response.data
        if isinstance(errors, list):
            errors = {"non_field_errors": errors}
        body["detail"] = INVALID_DETAIL
        body["errors"] = {field: _flatten(messages) for field, messages in errors.items()}
        return body
    detail = response.data.get("detail") if isinstance(response.data, dict) else None
    body["detail"] = str(detail or exc)
    if isinstance(exc, exceptions.NotAuthenticated):
        body["detail"] = NOT_AUTHENTICATED_DETAIL
    elif isinstance(exc, exceptions.MethodNotAllowed):
        allowed = response.headers.get("Allow") or ""
        body["detail"] += f" This endpoint accepts: {allowed or 'GET'}."
    elif isinstance(exc, exceptions.Throttled):
        body["detail"] = (
            "Too many requests. Slow down and retry later; partners with a key get a higher limit."
        )
        if exc.wait is not None:
            body["retry_after_seconds"] = int(exc.wait) + 1
    return body


def _code(exc) -> str:
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        # A ValidationError's codes are per field; the response's own code is "invalid".
        return codes if isinstance(codes, str) else exc.default_code
    return "error"


def _flatten(messages) -> list[str]:
    """Field errors as a flat list of strings (nested serializers' errors joined by path)."""
    if isinstance(messages, dict):
        return [
            f"{key}: {message}" for key, value in messages.items() for message in _flatten(value)
        ]
    if isinstance(messages, list):
        flat = []
        for index, item in enumerate(messages):
            if isinstance(item, dict | list):
                flat.extend(f"[{index}] {message}" for message in _flatten(item))
            else:
                flat.append(str(item))
        return flat
    return [str(messages)]
