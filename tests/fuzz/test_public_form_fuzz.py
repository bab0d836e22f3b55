"""Whatever a browser posts to /register/, the answer is never a 500 and never half a record."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companies.forms import issue_form_token
from companies.models import Company, Contact, InterestRegistration
from tests.factories import ZoneFactory

# Hypothesis sweeps take seconds each; `make test-fast` leaves them out, `make test` runs them.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ANY_TEXT = st.text(max_size=400)  # any Unicode, NUL and lone surrogates excepted by HTTP
HUGE_OR_NEGATIVE = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    ANY_TEXT,
)
FIELDS = {
    "company_name": ANY_TEXT,
    "origin": st.one_of(st.sampled_from(["domestic", "global"]), ANY_TEXT),
    "country": st.one_of(st.sampled_from(["PK", "US", "GB"]), ANY_TEXT),
    "sector": ANY_TEXT,
    "website": st.one_of(st.just("https://acme.example"), ANY_TEXT),
    "contact_name": ANY_TEXT,
    "contact_email": st.one_of(st.emails(), ANY_TEXT),
    "contact_phone": ANY_TEXT,
    "planned_investment_usd": HUGE_OR_NEGATIVE,
    "planned_jobs": HUGE_OR_NEGATIVE,
    "message": st.text(max_size=6000),
    "consent": st.one_of(st.just("on"), ANY_TEXT),
}


def row_counts():
    return (Company.objects.count(), Contact.objects.count(), InterestRegistration.objects.count())


@pytest.fixture
def zone(settings):
    settings.PUBLIC_REGISTRATION_RATE = "100000/h"
    return ZoneFactory(slug="karachi", status="approved")


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.fixed_dictionaries({}, optional=FIELDS),
    zones=st.lists(st.one_of(st.just("karachi"), ANY_TEXT), max_size=3),
)
def test_any_form_post_is_answered_without_error_or_partial_rows(zone, data, zones):
    before = row_counts()
    payload = {**data, "zones": zones, "form_token": issue_form_token()}
    response = Client(raise_request_exception=False).post("/register/", payload)

    assert response.status_code in (200, 302, 400), response.status_code
    companies, contacts, registrations = row_counts()
    if response.status_code == 302:
        assert registrations == before[2] + 1
    else:
        assert (companies, contacts, registrations) == before
