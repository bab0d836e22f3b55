import pytest
from rest_framework.test import APIClient

from partners.models import PartnerKey
from tests.factories import StaffUserFactory, UserFactory


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def partner_key(db):
    """(PartnerKey, raw key) — the raw key exists only here, as it would for a partner."""
    return PartnerKey.objects.create_key(name="Statistics office", organisation="PBS")


@pytest.fixture
def partner_client(partner_key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {partner_key[1]}")
    return client


@pytest.fixture
def staff_client(db):
    client = APIClient()
    client.force_login(StaffUserFactory(username="registry-staff"))
    return client


@pytest.fixture
def signed_in_non_staff_client(db):
    client = APIClient()
    client.force_login(UserFactory(username="applicant"))
    return client


@pytest.fixture
def no_throttle(monkeypatch):
    """Lift the rate limits for tests that fire many requests on purpose."""
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "allow_request", lambda self, request, view: True)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Staff fixtures hash a password each; the real hasher is slow by design.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
