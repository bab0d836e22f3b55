"""POST interests/: registrations by partners, through the form's service, idempotently."""

import threading
import uuid

import pytest
from django.core import mail
from django.db import connection, connections

from companies.models import Company, Contact, InterestRegistration
from partners.models import IdempotencyRecord, PartnerKey
from tests.factories import CompanyFactory, SectorFactory, ZoneFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/interests/"


@pytest.fixture
def zones():
    return [ZoneFactory(slug="karachi-technology-zone"), ZoneFactory(slug="lahore-zone")]


@pytest.fixture
def body(zones):
    SectorFactory(slug="software", name="Software")
    return {
        "company_name": "Indus Cloud (Pvt) Ltd",
        "origin": "domestic",
        "country": "PK",
        "sector": "software",
        "website": "https://induscloud.example",
        "contact_name": "Ayesha Khan",
        "contact_email": "ayesha@induscloud.example",
        "contact_phone": "+92 21 1234567",
        "zones": ["karachi-technology-zone", str(zones[1].pk)],
        "planned_investment_usd": "2500000.00",
        "planned_jobs": 120,
        "target_date": "2027-03-31",
        "message": "Data-centre hall.",
    }


def post(client, body, key="key-1", **extra):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(URL, body, format="json", **headers, **extra)


def test_partner_registers_a_company_through_the_form_service(
    partner_client, body, zones, run_tasks
):
    response = post(partner_client, body)
    run_tasks()
    assert response.status_code == 201, response.content
    registration = InterestRegistration.objects.get()
    assert response.json()["reference"] == registration.reference
    assert registration.channel == "api"
    assert registration.submitted_by is None
    assert set(registration.zones.all()) == set(zones)
    assert registration.company.name == "Indus Cloud (Pvt) Ltd"
    assert registration.company.sector.slug == "software"
    assert registration.contact.email == "ayesha@induscloud.example"
    assert str(registration.planned_investment_usd) == "2500000.00"
    # The service's acknowledgement and staff notice go out, as for the web form.
    assert {m.to[0] for m in mail.outbox} >= {"ayesha@induscloud.example"}


def test_response_carries_no_contact_details(partner_client, body):
    response = post(partner_client, body)
    text = response.content.decode()
    assert "ayesha" not in text.lower() and "1234567" not in text
    assert "status_token" not in text


def test_an_existing_company_is_matched_not_duplicated(partner_client, body):
    company = CompanyFactory(name="Indus Cloud Limited")
    assert post(partner_client, body).status_code == 201
    assert Company.objects.count() == 1
    assert InterestRegistration.objects.get().company == company


def test_repeat_with_the_same_key_and_body_replays_the_first_response(partner_client, body):
    first = post(partner_client, body, key="retry-me")
    second = post(partner_client, body, key="retry-me")
    assert second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert InterestRegistration.objects.count() == 1
    assert Contact.objects.count() == 1


def test_key_order_in_the_body_does_not_make_a_different_request(partner_client, body):
    post(partner_client, body, key="k")
    reordered = dict(reversed(list(body.items())))
    assert post(partner_client, reordered, key="k").status_code == 201
    assert InterestRegistration.objects.count() == 1


def test_same_key_with_a_different_body_is_a_409(partner_client, body):
    post(partner_client, body, key="k")
    response = post(partner_client, {**body, "planned_jobs": 999}, key="k")
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert "different request body" in response.json()["detail"]
    assert InterestRegistration.objects.count() == 1


def test_a_new_key_makes_a_new_registration(partner_client, body):
    post(partner_client, body, key="a")
    post(partner_client, body, key="b")
    assert InterestRegistration.objects.count() == 2


def test_two_partners_may_use_the_same_key_value(partner_client, api_client, body):
    _, other_raw = PartnerKey.objects.create_key(name="Other partner")
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {other_raw}")
    assert post(partner_client, body, key="shared").status_code == 201
    assert post(api_client, body, key="shared").status_code == 201
    assert InterestRegistration.objects.count() == 2


def test_missing_idempotency_key_is_a_400_that_says_why(partner_client, body):
    response = post(partner_client, body, key=None)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["errors"]
    assert not InterestRegistration.objects.exists()


@pytest.mark.parametrize("key", ["", "   ", "\t"])
def test_a_blank_idempotency_key_counts_as_missing(partner_client, body, key):
    response = post(partner_client, body, key=key)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["errors"]
    assert not InterestRegistration.objects.exists()


def test_overlong_idempotency_key_is_a_400(partner_client, body):
    response = post(partner_client, body, key="x" * 256)
    assert response.status_code == 400
    assert not IdempotencyRecord.objects.exists()


def test_invalid_body_gives_field_errors_and_spends_no_key(partner_client, body):
    bad = {**body, "contact_email": "not-an-email", "origin": "martian", "zones": []}
    response = post(partner_client, bad, key="k")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) >= {"contact_email", "origin", "zones"}
    assert not InterestRegistration.objects.exists()
    assert not IdempotencyRecord.objects.exists()
    # Fixing the body and retrying with the same key now works.
    assert post(partner_client, body, key="k").status_code == 201


def test_unknown_zone_is_named_in_the_error(partner_client, body):
    response = post(partner_client, {**body, "zones": ["atlantis", "99999999"]})
    assert response.status_code == 400
    message = response.json()["errors"]["zones"][0]
    assert "atlantis" in message and "99999999" in message


@pytest.mark.parametrize(
    "change",
    (
        {"company_name": ""},
        {"company_name": "x" * 201},
        {"country": "XX"},
        {"planned_investment_usd": "-5"},
        {"planned_jobs": -1},
        {"planned_jobs": 10**20},
        {"target_date": "2027-02-30"},
        {"zones": "karachi-technology-zone"},
        {"zones": [None]},
        {"zones": [""]},
        {"sector": "no-such-sector"},
        {"sector": "nul\x00byte"},
        {"sector": 42},
        {"website": "javascript:alert(1)"},
        {"message": "x" * 5001},
        {"contact_name": "nul\x00byte"},
    ),
)
def test_bad_values_are_400s_not_500s(partner_client, body, change):
    response = post(partner_client, {**body, **change})
    assert response.status_code == 400, response.content
    assert not InterestRegistration.objects.exists()


def test_a_name_made_of_punctuation_is_refused_by_the_service(partner_client, body):
    response = post(partner_client, {**body, "company_name": "!!!"})
    assert response.status_code == 400
    assert not InterestRegistration.objects.exists()


@pytest.mark.parametrize("raw", (b"{not json", b"[]", b'"text"', b"null"))
def test_malformed_json_is_a_400(partner_client, zones, raw):
    response = partner_client.post(
        URL, raw, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k"
    )
    assert response.status_code == 400
    assert response.json()["status"] == 400


def test_form_encoded_body_is_415(partner_client, body):
    response = partner_client.post(URL, {"company_name": "x"}, HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_anonymous_post_is_401(api_client, body):
    assert post(api_client, body).status_code == 401
    assert not InterestRegistration.objects.exists()


def test_signed_in_non_staff_post_is_403(signed_in_non_staff_client, body):
    assert post(signed_in_non_staff_client, body).status_code == 403
    assert not InterestRegistration.objects.exists()


def test_staff_session_may_post_and_is_recorded_as_submitter(staff_client, body):
    response = post(staff_client, body)
    assert response.status_code == 201, response.content
    registration = InterestRegistration.objects.get()
    assert registration.submitted_by.username == "registry-staff"
    # Staff see the contact in their own response.
    assert response.json()["contact"]["email"] == "ayesha@induscloud.example"


def test_staff_session_post_needs_the_csrf_token(body, db):
    from rest_framework.test import APIClient

    from tests.factories import StaffUserFactory

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(StaffUserFactory())
    response = post(client, body)
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_partner_may_read_back_its_registration_by_reference(partner_client, body):
    reference = post(partner_client, body).json()["reference"]
    response = partner_client.get(f"{URL}{reference}/")
    assert response.status_code == 200
    assert response.json()["channel"] == "api"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers: no race to lose"
)
def test_concurrent_repeats_create_one_registration(partner_key, zones):
    """Two requests with one key at the same moment: the database lets one through."""
    from rest_framework.test import APIClient

    body = {
        "company_name": "Race Condition Ltd",
        "origin": "global",
        "country": "DE",
        "contact_name": "Max Muster",
        "contact_email": "max@race.example",
        "zones": ["karachi-technology-zone"],
    }
    key = str(uuid.uuid4())
    barrier = threading.Barrier(2)
    statuses = []

    def submit():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {partner_key[1]}")
        barrier.wait()
        try:
            statuses.append(post(client, body, key=key).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [201, 201]
    assert InterestRegistration.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1


def test_idempotency_records_are_unique_per_key_in_the_database(partner_key):
    from django.db import IntegrityError, transaction

    IdempotencyRecord.objects.create(
        partner_key=partner_key[0], key="k", request_fingerprint="a", response_status=201,
        response_body={},
    )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        IdempotencyRecord.objects.create(
            partner_key=partner_key[0], key="k", request_fingerprint="b", response_status=201,
            response_body={},
        )  # fmt: skip
