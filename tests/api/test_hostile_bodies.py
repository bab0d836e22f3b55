"""Hostile request bodies on POST interests/: a JSON error a client can act on, never a 500."""

import pytest
from rest_framework.test import APIRequestFactory, force_authenticate

from companies.api.views import InterestRegistrationViewSet
from companies.models import InterestRegistration
from tests.factories import StaffUserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/interests/"


def post_raw(client, body: bytes, **extra):
    return client.generic(
        "POST",
        URL,
        body,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k-1",
        **extra,
    )


def no_tracebacks(caplog):
    return not [record for record in caplog.records if record.exc_info]


def test_deeply_nested_json_is_a_400_json_error(partner_client, caplog):
    response = post_raw(partner_client, b"[" * 100_000)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "parse_error"
    assert "nested too deeply" in body["detail"]
    assert no_tracebacks(caplog)


def test_nesting_inside_an_object_is_a_400_too(partner_client):
    response = post_raw(partner_client, b'{"company_name": ' + b"[" * 50_000)
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_a_10_mb_body_is_a_json_413_without_a_traceback(partner_client, caplog):
    body = b'{"message": "' + b"x" * (10 * 1024 * 1024) + b'"}'
    response = post_raw(partner_client, body)
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": 413,
        "code": "request_too_large",
        "detail": response.json()["detail"],
    }
    assert "2,621,440 bytes" in response.json()["detail"]
    assert no_tracebacks(caplog)
    assert InterestRegistration.objects.count() == 0


def test_an_oversized_body_is_refused_before_authentication(api_client):
    # Nobody gets to make the server buffer 10 MB, key or no key.
    response = post_raw(api_client, b"x" * (10 * 1024 * 1024))
    assert response.status_code == 413


def test_a_body_over_the_limit_that_reaches_the_view_is_a_413(settings):
    """Called without the middleware: Django's own check then meets the API's handler."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    request = APIRequestFactory().post(
        URL, b'{"message": "' + b"x" * 500 + b'"}', content_type="application/json"
    )
    request.META["HTTP_IDEMPOTENCY_KEY"] = "k-2"
    force_authenticate(request, user=StaffUserFactory())
    response = InterestRegistrationViewSet.as_view({"post": "create"})(request)
    assert response.status_code == 413
    assert response.data["code"] == "request_too_large"


def test_an_oversized_multipart_body_is_a_json_413(partner_client):
    response = partner_client.post(
        URL, {"message": "x" * (3 * 1024 * 1024)}, HTTP_IDEMPOTENCY_KEY="k-3"
    )
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
