"""Staff sessions end after STAFF_IDLE_TIMEOUT_MINUTES without a request; others do not."""

import time

import pytest
from django.urls import reverse

from core.middleware import StaffIdleTimeoutMiddleware
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

KEY = StaffIdleTimeoutMiddleware.SESSION_KEY
ADMIN = reverse("admin:index")


def idle_for(client, minutes):
    session = client.session
    session[KEY] = time.time() - minutes * 60
    session.save()


def test_an_active_staff_session_stays_signed_in(client, staff_user):
    client.force_login(staff_user)
    assert client.get(ADMIN).status_code == 200
    idle_for(client, 29)
    assert client.get(ADMIN).status_code == 200


def test_a_staff_session_idle_past_the_timeout_is_signed_out(client, staff_user):
    client.force_login(staff_user)
    client.get(ADMIN)
    idle_for(client, 31)
    response = client.get(ADMIN)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert "_auth_user_id" not in client.session
    # The next page says why.
    login_page = client.get(response["Location"])
    assert "signed out after 30 minutes" in login_page.content.decode()


def test_the_api_treats_an_idle_staff_session_as_anonymous(client, staff_user):
    client.force_login(staff_user)
    client.get(ADMIN)
    idle_for(client, 31)
    assert client.get("/api/v1/companies/").status_code == 401


def test_the_timeout_is_a_setting(client, staff_user, settings):
    settings.STAFF_IDLE_TIMEOUT_MINUTES = 5
    client.force_login(staff_user)
    client.get(ADMIN)
    idle_for(client, 6)
    assert client.get(ADMIN).status_code == 302


def test_signed_in_non_staff_users_are_not_timed_out(client):
    user = UserFactory()
    client.force_login(user)
    session = client.session
    session[KEY] = time.time() - 24 * 3600
    session.save()
    client.get("/")
    assert client.session.get("_auth_user_id") == str(user.pk)
