"""Production settings: deploy checks, security headers, cookies and login lockout."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

from tests.factories import StaffUserFactory

PROJECT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_production_settings_pass_check_deploy_without_warnings():
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a deploy check.
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment.update(
        DEBUG="0",
        SECRET_KEY="a-long-random-production-secret-" + "x" * 40,
        ALLOWED_HOSTS="zones.example.gov",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_responses_carry_security_headers():
    response = Client().get("/healthz")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy


@pytest.mark.django_db
@override_settings(SECURE_HSTS_SECONDS=31_536_000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True)
def test_hsts_is_sent_over_https():
    response = Client().get("/healthz", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.django_db
@override_settings(SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True)
def test_session_cookie_is_secure_and_http_only(client):
    StaffUserFactory(username="clerk", is_superuser=True)
    client.post(
        "/admin/login/?next=/admin/",
        {"username": "clerk", "password": "correct-horse-battery"},
        secure=True,
    )
    cookie = client.cookies["sessionid"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True


@pytest.mark.axes
@pytest.mark.django_db
def test_admin_login_locks_out_after_repeated_failures(client):
    StaffUserFactory(username="clerk", is_superuser=True)
    for _ in range(5):
        client.post("/admin/login/", {"username": "clerk", "password": "wrong"})
    locked = client.post(
        "/admin/login/", {"username": "clerk", "password": "correct-horse-battery"}
    )
    assert locked.status_code == 429
    assert b"Too many failed log-ins" in locked.content
    assert "_auth_user_id" not in client.session


@pytest.mark.axes
@pytest.mark.django_db
def test_a_few_failures_do_not_lock_out(client):
    StaffUserFactory(username="clerk", is_superuser=True)
    for _ in range(3):
        client.post("/admin/login/", {"username": "clerk", "password": "wrong"})
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "clerk", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"]
