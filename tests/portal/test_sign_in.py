"""Signing in at /accounts/ (django-allauth), the login lockout (django-axes), no open sign-up,
and staff two-factor authentication when the authority requires it."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client

from tests.portal.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PROXY = "127.0.0.1"
ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"


def via_proxy(client_address):
    """The request's META after the one trusted proxy appended the client's address."""
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": client_address}


def sign_in(client, login, password):
    return client.post(LOGIN, {"login": login, "password": password})


def signed_in_as(client):
    user_id = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=user_id) if user_id else None


@pytest.fixture
def axes_only(settings):
    """allauth's own failed-login limit out of the way, so that a test sees django-axes alone."""
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "1000/m/ip,1000/m/key"}


# --- the page and a plain sign-in ------------------------------------------------------------


def test_the_login_page_has_labelled_fields(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("login", "password"):
        field_id = response.context["form"][name].id_for_label
        assert f'id="{field_id}"' in html
        assert f'for="{field_id}"' in html


def test_the_right_password_signs_in_and_goes_to_the_portal(client, user_a):
    response = sign_in(client, "a@company-a.example", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/portal/"
    assert signed_in_as(client) == user_a


def test_the_address_is_not_case_sensitive(client, user_a):
    response = sign_in(client, "A@Company-A.example", PASSWORD)
    assert response.status_code == 302
    assert signed_in_as(client) == user_a


def test_a_wrong_password_is_an_error_on_the_page_and_signs_nobody_in(client, user_a):
    response = sign_in(client, "a@company-a.example", "not-the-password")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert signed_in_as(client) is None


def test_an_unknown_address_reads_like_a_wrong_password(client, user_a):
    wrong_password = sign_in(client, "a@company-a.example", "not-the-password")
    unknown = sign_in(Client(), "nobody@company-a.example", "not-the-password")
    assert unknown.status_code == 200
    assert unknown.context["form"].errors == wrong_password.context["form"].errors


# --- no open sign-up -------------------------------------------------------------------------


def test_nobody_can_open_an_account_at_signup(client):
    users = get_user_model().objects.count()
    page = client.get("/accounts/signup/")
    assert page.status_code == 200
    assert "form" not in page.context or page.context.get("form") is None
    response = client.post(
        "/accounts/signup/",
        {
            "email": "stranger@example.org",
            "password1": "a-long-new-password-1",
            "password2": "a-long-new-password-1",
        },
    )
    assert response.status_code == 200
    assert get_user_model().objects.count() == users
    assert not get_user_model().objects.filter(email="stranger@example.org").exists()
    assert signed_in_as(client) is None


# --- the lockout (django-axes; AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]) -------


@pytest.mark.axes
def test_after_the_failure_limit_even_the_right_password_is_refused(
    client, settings, user_a, axes_only
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "a@company-a.example", "wrong").status_code == 200
    # The failure that reaches the limit is already answered with the lockout page.
    assert sign_in(client, "a@company-a.example", "wrong").status_code == 429
    locked = sign_in(client, "a@company-a.example", PASSWORD)
    assert locked.status_code == 429
    assert signed_in_as(client) is None
    # Counted under the address as typed, lower-cased: one count per account.
    assert AccessAttempt.objects.filter(username="a@company-a.example").exists()


@pytest.mark.axes
def test_fewer_failures_than_the_limit_do_not_lock_out(client, settings, user_a, axes_only):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "a@company-a.example", "wrong")
    response = sign_in(client, "a@company-a.example", PASSWORD)
    assert response.status_code == 302
    assert signed_in_as(client) == user_a
    # AXES_RESET_ON_SUCCESS: the failures are forgotten once the owner signs in.
    assert not AccessAttempt.objects.exists()


@pytest.mark.axes
def test_changing_the_case_of_the_address_does_not_buy_fresh_attempts(
    client, settings, user_a, axes_only
):
    spellings = ["a@company-a.example", "A@company-a.example", "A@COMPANY-A.EXAMPLE"]
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, spellings[n % len(spellings)], "wrong")
    assert sign_in(client, "a@Company-A.example", PASSWORD).status_code == 429


@pytest.mark.axes
def test_a_made_up_username_field_does_not_dodge_the_lockout(client, settings, user_a, axes_only):
    # The portal's form signs in with `login`; a `username` the form does not use must not
    # become the name failures are counted under (a new one each time would never lock).
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN, {"login": "a@company-a.example", "password": "wrong", "username": f"u{n}"}
        )
    locked = client.post(
        LOGIN, {"login": "a@company-a.example", "password": PASSWORD, "username": "fresh"}
    )
    assert locked.status_code == 429
    assert signed_in_as(client) is None


@pytest.mark.axes
def test_a_successful_sign_in_by_email_forgets_the_failures_of_an_account_named_otherwise(
    client, settings, staff, axes_only
):
    # A staff account (username "staff-member") signing in by its email at /accounts/login/.
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, staff.email, "wrong")
    assert sign_in(client, staff.email, PASSWORD).status_code == 302
    client.logout()
    # Had the failures stayed, one more mistake would lock the owner out.
    sign_in(client, staff.email, "wrong")
    assert sign_in(client, staff.email, PASSWORD).status_code == 302


@pytest.mark.axes
def test_the_admin_and_the_portal_count_one_account_once(client, settings, staff, axes_only):
    half = settings.AXES_FAILURE_LIMIT // 2
    for _ in range(half):
        client.post("/admin/login/", {"username": staff.username, "password": "wrong"})
    for _ in range(settings.AXES_FAILURE_LIMIT - half):
        sign_in(client, staff.email, "wrong")
    assert sign_in(client, staff.email, PASSWORD).status_code == 429


@pytest.mark.axes
def test_behind_the_proxy_the_lockout_is_for_the_account_from_the_attackers_address(
    settings, user_a, user_b, axes_only
):
    """[["username", "ip_address"]]: one lock per account *and* address, both together."""
    settings.TRUSTED_PROXY_COUNT = 1
    attacker = Client(**via_proxy(ATTACKER))
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(attacker, "a@company-a.example", "wrong")
    assert sign_in(attacker, "a@company-a.example", PASSWORD).status_code == 429
    (attempt,) = AccessAttempt.objects.all()
    # Keyed on the forwarded client address, not on the proxy's.
    assert attempt.ip_address == ATTACKER
    assert attempt.username == "a@company-a.example"

    # The same account from another address through the same proxy: not locked.
    owner = Client(**via_proxy(OWNER))
    assert sign_in(owner, "a@company-a.example", PASSWORD).status_code == 302
    assert signed_in_as(owner) == user_a

    # Another account from the attacker's address: not locked either.
    other = Client(**via_proxy(ATTACKER))
    assert sign_in(other, "b@company-b.example", PASSWORD).status_code == 302
    assert signed_in_as(other) == user_b


@pytest.mark.axes
def test_without_a_trusted_proxy_a_forged_forwarded_header_does_not_dodge_the_lockout(
    settings, user_a, axes_only
):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(settings.AXES_FAILURE_LIMIT):
        forged = Client(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
        sign_in(forged, "a@company-a.example", "wrong")
    again = Client(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert sign_in(again, "a@company-a.example", PASSWORD).status_code == 429


@pytest.mark.axes
def test_with_the_configured_limits_a_flood_is_refused(client, settings, user_a):
    """As deployed (allauth's own failed-login limit on too): the flood ends in a refusal."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "a@company-a.example", "wrong")
    refused = sign_in(client, "a@company-a.example", PASSWORD)
    assert refused.status_code in (200, 429)
    assert signed_in_as(client) is None


# --- staff and two-factor authentication -----------------------------------------------------


def test_with_two_factor_required_staff_without_an_app_are_sent_to_set_one_up(
    client, settings, staff
):
    settings.STAFF_REQUIRE_2FA = True
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")
    assert "next=%2Fadmin%2F" in response["Location"]


def test_with_two_factor_required_the_admin_login_sends_to_the_accounts_login(client, settings):
    settings.STAFF_REQUIRE_2FA = True
    response = client.get("/admin/login/?next=/admin/zones/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "next=%2Fadmin%2Fzones%2F" in response["Location"]


def test_without_two_factor_required_staff_use_the_admin_as_before(client, settings, staff):
    settings.STAFF_REQUIRE_2FA = False
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/login/").status_code in (200, 302)


def test_two_factor_setting_does_not_touch_portal_users(client, settings, user_a):
    settings.STAFF_REQUIRE_2FA = True
    client.force_login(user_a)
    assert client.get("/portal/").status_code == 200
