"""Who may call what: the access table (docs/domain.md), endpoint × role × method."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.throttling import SimpleRateThrottle

from api.throttling import AnonymousRateThrottle, PartnerRateThrottle
from partners.models import PartnerKey
from tests.factories import (
    ContactFactory,
    IncentiveFactory,
    InterestRegistrationFactory,
    PledgeFactory,
    ZoneFactory,
)

pytestmark = pytest.mark.django_db

PUBLIC_LISTS = ("zones", "developers", "incentives", "deletions")
REPORTS = ("reports/rollout", "reports/investment", "reports/companies")
PARTNER_LISTS = ("companies", "interests", "pledges")


@pytest.fixture
def registry_data():
    zone = ZoneFactory(slug="karachi-technology-zone")
    zone.incentives.add(IncentiveFactory(slug="tax-waiver"))
    registration = InterestRegistrationFactory(zones=[zone])
    pledge = PledgeFactory(zone=zone, company=registration.company)
    return {"zone": zone, "registration": registration, "pledge": pledge}


def detail_urls(data):
    return {
        "zones": f"/api/v1/zones/{data['zone'].slug}/",
        "developers": f"/api/v1/developers/{data['zone'].developer.slug}/",
        "incentives": "/api/v1/incentives/tax-waiver/",
        "companies": f"/api/v1/companies/{data['registration'].company_id}/",
        "interests": f"/api/v1/interests/{data['registration'].reference}/",
        "pledges": f"/api/v1/pledges/{data['pledge'].pk}/",
    }


@pytest.mark.parametrize("path", PUBLIC_LISTS + REPORTS)
def test_anyone_reads_public_data_and_reports(api_client, registry_data, path):
    response = api_client.get(f"/api/v1/{path}/")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("resource", ("zones", "developers", "incentives"))
def test_anyone_reads_public_details(api_client, registry_data, resource):
    assert api_client.get(detail_urls(registry_data)[resource]).status_code == 200


@pytest.mark.parametrize("path", PARTNER_LISTS)
def test_anonymous_caller_is_told_to_send_a_key(api_client, registry_data, path):
    response = api_client.get(f"/api/v1/{path}/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert response.json()["code"] == "not_authenticated"
    assert "Api-Key" in response.json()["detail"]


@pytest.mark.parametrize("resource", PARTNER_LISTS)
def test_anonymous_caller_cannot_read_partner_details(api_client, registry_data, resource):
    assert api_client.get(detail_urls(registry_data)[resource]).status_code == 401


@pytest.mark.parametrize("path", PARTNER_LISTS)
def test_signed_in_user_who_is_not_staff_is_refused(signed_in_non_staff_client, path):
    response = signed_in_non_staff_client.get(f"/api/v1/{path}/")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


@pytest.mark.parametrize("path", PUBLIC_LISTS + PARTNER_LISTS + REPORTS)
def test_partner_key_reads_everything_but_contacts(partner_client, registry_data, path):
    assert partner_client.get(f"/api/v1/{path}/").status_code == 200


@pytest.mark.parametrize("resource", ("zones", "companies", "interests", "pledges"))
def test_partner_reads_details(partner_client, registry_data, resource):
    assert partner_client.get(detail_urls(registry_data)[resource]).status_code == 200


@pytest.mark.parametrize("path", PUBLIC_LISTS + PARTNER_LISTS + REPORTS)
def test_staff_session_reads_everything(staff_client, registry_data, path):
    assert staff_client.get(f"/api/v1/{path}/").status_code == 200


def test_partner_key_cannot_read_contact_personal_data(partner_client, registry_data):
    contact = registry_data["registration"].contact
    ContactFactory(company=registry_data["registration"].company, email="second@co.example")
    bodies = [
        partner_client.get(url).content.decode()
        for url in (
            "/api/v1/companies/",
            "/api/v1/interests/",
            "/api/v1/pledges/",
            detail_urls(registry_data)["companies"],
            detail_urls(registry_data)["interests"],
        )
    ]
    for body in bodies:
        for personal in (contact.name, contact.email, contact.phone, "second@co.example"):
            assert personal not in body
        assert '"contact' not in body
        assert "status_token" not in body


def test_staff_sees_contacts_of_companies_and_registrations(staff_client, registry_data):
    contact = registry_data["registration"].contact
    company = staff_client.get(detail_urls(registry_data)["companies"]).json()
    interest = staff_client.get(detail_urls(registry_data)["interests"]).json()
    assert [c["email"] for c in company["contacts"]] == [contact.email]
    assert interest["contact"]["name"] == contact.name
    assert interest["contact"]["phone"] == contact.phone


def test_public_responses_carry_no_personal_data(api_client, registry_data):
    contact = registry_data["registration"].contact
    for path in PUBLIC_LISTS + REPORTS:
        body = api_client.get(f"/api/v1/{path}/").content.decode()
        assert contact.email not in body
        assert contact.name not in body


# --- writes -----------------------------------------------------------------


@pytest.mark.parametrize("method", ("put", "patch", "delete"))
@pytest.mark.parametrize("resource", ("zones", "companies", "interests", "pledges"))
def test_every_write_to_an_existing_record_is_refused(
    partner_client, staff_client, registry_data, method, resource
):
    url = detail_urls(registry_data)[resource]
    for client in (partner_client, staff_client):
        response = getattr(client, method)(url, {"name": "changed"}, format="json")
        assert response.status_code in (403, 405), response.content
        assert response.json()["status"] == response.status_code
    registry_data["zone"].refresh_from_db()
    assert registry_data["zone"].name != "changed"


@pytest.mark.parametrize(
    "path", ("zones", "developers", "incentives", "companies", "pledges", "deletions")
)
def test_post_to_a_read_only_list_is_method_not_allowed(partner_client, path):
    response = partner_client.post(f"/api/v1/{path}/", {}, format="json")
    assert response.status_code == 405
    assert "GET" in response.json()["detail"]


@pytest.mark.parametrize("path", REPORTS)
def test_reports_refuse_writes(partner_client, path):
    assert partner_client.post(f"/api/v1/{path}/", {}, format="json").status_code == 405


def test_anonymous_delete_of_a_zone_changes_nothing(api_client, registry_data):
    response = api_client.delete(detail_urls(registry_data)["zones"])
    assert response.status_code == 405
    assert registry_data["zone"].__class__.objects.filter(pk=registry_data["zone"].pk).exists()


# --- keys -------------------------------------------------------------------


def test_create_partner_key_prints_a_working_key_once_and_stores_only_its_hash(api_client):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_partner_key", "Board of Investment", stdout=out, stderr=err)
    raw_key = out.getvalue().strip()
    stored = PartnerKey.objects.get(name="Board of Investment")
    assert raw_key.startswith(stored.prefix + ".")
    assert raw_key not in stored.hashed_key and raw_key != stored.id
    assert "will not be shown again" in err.getvalue()
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw_key}")
    assert api_client.get("/api/v1/pledges/").status_code == 200


def test_create_partner_key_refuses_a_blank_name():
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("create_partner_key", "  ", stdout=io.StringIO(), stderr=io.StringIO())


def test_revoked_key_is_refused_with_401(api_client, partner_key):
    key, raw_key = partner_key
    key.revoked = True
    key.save()
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw_key}")
    response = api_client.get("/api/v1/pledges/")
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]
    # A bad key is refused even where no key is needed: the caller should know.
    assert api_client.get("/api/v1/zones/").status_code == 401


def test_expired_key_is_refused(api_client, partner_key):
    key, raw_key = partner_key
    key.expiry_date = timezone.now() - datetime.timedelta(days=1)
    key.save()
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw_key}")
    response = api_client.get("/api/v1/pledges/")
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


@pytest.mark.parametrize(
    "header",
    ("Api-Key", "Api-Key ", "Api-Key not-a-key", "Api-Key abc.def", "Api-Key \u00e9\u00e9.x"),
)
def test_malformed_keys_are_401_not_500(api_client, db, header):
    api_client.credentials(HTTP_AUTHORIZATION=header)
    assert api_client.get("/api/v1/pledges/").status_code == 401


def test_key_in_another_scheme_is_not_a_partner_key(api_client, partner_key):
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {partner_key[1]}")
    assert api_client.get("/api/v1/pledges/").status_code == 401


def test_last_use_is_recorded(partner_client, partner_key):
    key = partner_key[0]
    assert key.last_used_at is None
    before = timezone.now()
    partner_client.get("/api/v1/zones/")
    key.refresh_from_db()
    assert key.last_used_at >= before


def test_last_use_is_written_at_most_once_a_minute(partner_client, partner_key):
    partner_client.get("/api/v1/zones/")
    key = partner_key[0]
    key.refresh_from_db()
    first_use = key.last_used_at
    partner_client.get("/api/v1/zones/")
    key.refresh_from_db()
    assert key.last_used_at == first_use


def test_staff_can_revoke_a_key_in_the_admin(client, staff_user, partner_key):
    key, raw_key = partner_key
    client.force_login(staff_user)
    changelist = reverse("admin:partners_partnerkey_changelist")
    page = client.get(changelist)
    assert page.status_code == 200
    assert key.prefix in page.content.decode()
    client.post(changelist, {"action": "revoke_keys", "_selected_action": [key.pk]}, follow=True)
    key.refresh_from_db()
    assert key.revoked
    assert (
        client.get("/api/v1/pledges/", HTTP_AUTHORIZATION=f"Api-Key {raw_key}").status_code == 401
    )


def test_admin_shows_a_new_key_once(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:partners_partnerkey_add"),
        {"name": "Statistics office", "organisation": "PBS"},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any("you will not be able to see it again" in m for m in messages)


# --- throttling --------------------------------------------------------------


def test_anonymous_callers_are_throttled_with_a_json_429(api_client, db, monkeypatch):
    monkeypatch.setattr(AnonymousRateThrottle, "rate", "2/minute", raising=False)
    for _ in range(2):
        assert api_client.get("/api/v1/zones/").status_code == 200
    response = api_client.get("/api/v1/zones/")
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "throttled"
    assert body["retry_after_seconds"] > 0
    assert "Retry-After" in response


def test_partners_are_counted_per_key_not_by_the_anonymous_limit(partner_client, db, monkeypatch):
    monkeypatch.setattr(AnonymousRateThrottle, "rate", "1/minute", raising=False)
    monkeypatch.setattr(PartnerRateThrottle, "rate", "3/minute", raising=False)
    statuses = [partner_client.get("/api/v1/zones/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_throttle_fixture_does_not_leak(api_client, db):
    # The shared cache is cleared between tests (tests/conftest.py), so the limits start afresh.
    assert SimpleRateThrottle.cache is not None
    assert api_client.get("/api/v1/zones/").status_code == 200


# --- errors ------------------------------------------------------------------


def test_unknown_zone_is_a_json_404(api_client, db):
    response = api_client.get("/api/v1/zones/no-such-zone/")
    assert response.status_code == 404
    assert response.json() == {
        "status": 404,
        "code": "not_found",
        "detail": response.json()["detail"],
    }


def test_a_page_beyond_the_last_is_a_json_404(api_client, db):
    response = api_client.get("/api/v1/zones/?page=99")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_unknown_format_is_a_406_naming_the_formats(api_client, db):
    response = api_client.get("/api/v1/reports/investment/?format=xml")
    assert response.status_code == 406
    assert "csv" in response.json()["detail"] and "json" in response.json()["detail"]


def test_healthz_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
