"""Whatever a partner POSTs to interests/, the answer is a 201 or a 400, never a 500, and
an answer other than 201 leaves no company, contact or registration behind."""

import json
import uuid

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from companies.models import Company, Contact, InterestRegistration
from partners.models import IdempotencyRecord, PartnerKey
from tests.factories import SectorFactory, ZoneFactory

# Hypothesis sweeps take seconds each; `make test-fast` leaves them out, `make test` runs them.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

URL = "/api/v1/interests/"

ANY_TEXT = st.text(max_size=300)  # any Unicode, lone surrogates included
OVERSIZE_TEXT = st.sampled_from(["x" * 5001, "é" * 20_000, "9" * 400])
NUMBERS = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.sampled_from(["-1", "0", "1e309", "NaN", "-0.001", "99999999999999999999.99"]),
)
WRONG_TYPES = st.one_of(
    st.none(),
    st.booleans(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def any_of(*plausible):
    return st.one_of(*plausible, ANY_TEXT, NUMBERS, WRONG_TYPES, OVERSIZE_TEXT, st.just(""))


FIELDS = {
    "company_name": any_of(st.sampled_from(["Indus Cloud (Pvt) Ltd", "ACME LIMITED"])),
    "origin": any_of(st.sampled_from(["domestic", "global"])),
    "country": any_of(st.sampled_from(["PK", "US", "ZZ"])),
    "sector": any_of(st.just("software")),
    "website": any_of(st.just("https://induscloud.example")),
    "contact_name": any_of(st.just("Ayesha Khan")),
    "contact_email": any_of(st.emails()),
    "contact_phone": any_of(st.just("+92 21 1234567")),
    "zones": any_of(
        st.lists(st.one_of(st.just("karachi"), ANY_TEXT, st.integers()), max_size=4),
    ),
    "planned_investment_usd": any_of(st.just("2500000.00")),
    "planned_jobs": any_of(st.just(120)),
    "target_date": any_of(st.dates().map(str), st.just("2027-02-30")),
    "message": any_of(st.just("Data-centre hall.")),
}
BODIES = st.one_of(
    st.fixed_dictionaries({}, optional=FIELDS),
    WRONG_TYPES,  # a JSON document that is not an object at all
    ANY_TEXT,
)


def row_counts():
    return (
        Company.objects.count(),
        Contact.objects.count(),
        InterestRegistration.objects.count(),
        IdempotencyRecord.objects.count(),
    )


@pytest.fixture
def partner(db, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "allow_request", lambda self, request, view: True)
    ZoneFactory(slug="karachi", status="approved")
    SectorFactory(slug="software", name="Software")
    client = APIClient(raise_request_exception=False)
    key = PartnerKey.objects.create_key(name="Fuzz", organisation="PBS")[1]
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=BODIES)
@example(  # the 201 branch runs at least once, whatever is generated
    body={"company_name": "Indus Cloud (Pvt) Ltd", "origin": "domestic", "country": "PK",
          "contact_name": "Ayesha Khan", "contact_email": "ayesha@induscloud.example",
          "zones": ["karachi"], "planned_investment_usd": "2500000.00", "planned_jobs": 120}
)  # fmt: skip
def test_any_body_is_a_201_or_a_400_and_never_half_a_record(partner, body):
    before = row_counts()
    # allow_nan=True: NaN and Infinity reach the server as the invalid JSON some clients send.
    raw = json.dumps(body, allow_nan=True)
    response = partner.post(
        URL, raw, content_type="application/json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())
    )

    assert response.status_code in (201, 400), (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    companies, contacts, registrations, records = row_counts()
    if response.status_code == 201:
        assert registrations == before[2] + 1
        assert records == before[3] + 1
    else:
        assert (companies, contacts, registrations, records) == before
        assert response.json(), "a 400 says what was wrong"


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(key=st.one_of(st.text(max_size=300), st.just(" "), st.just("k" * 256)))
@example(key="retry\x00storm")  # found by this test: a 500 on PostgreSQL, which stores no NUL
@example(key="\u2028")
def test_any_idempotency_key_is_accepted_or_refused_cleanly(partner, key):
    """Keys are headers: control characters, non-ASCII and oversize ones included."""
    before = row_counts()
    body = {
        "company_name": "Acme",
        "origin": "domestic",
        "country": "PK",
        "contact_name": "A",
        "contact_email": "a@acme.example",
        "zones": ["karachi"],
    }
    try:
        header = key.encode("latin-1").decode("latin-1")
    except UnicodeEncodeError:
        header = key.encode("utf-8", "surrogatepass").decode("latin-1")
    response = partner.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=header)

    assert response.status_code in (201, 400), (response.status_code, response.content[:300])
    if response.status_code == 400:
        assert row_counts() == before
