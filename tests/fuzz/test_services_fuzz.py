"""Any input to the registration service either saves a whole registration or nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companies.models import Company, Contact, InterestRegistration
from companies.services import registration_submit
from investments.models import Pledge
from investments.services import ExchangeRateMissing, pledge_record
from tests.factories import CompanyFactory, ZoneFactory

# Hypothesis sweeps take seconds each; `make test-fast` leaves them out, `make test` runs them.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# PostgreSQL text cannot hold NUL; the form and the API refuse it before the service.
TEXT = st.text(st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=300)
MONEY = st.one_of(
    st.none(),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-1e20, max_value=1e20),
)
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def row_counts():
    return (Company.objects.count(), Contact.objects.count(), InterestRegistration.objects.count())


@FUZZ
@given(
    company_name=TEXT,
    contact_name=TEXT,
    contact_email=st.one_of(TEXT, st.emails()),
    origin=st.sampled_from(["domestic", "global", "", "martian"]),
    country=st.sampled_from(["PK", "US", "", "XX", "pak"]),
    planned_investment_usd=MONEY,
    planned_jobs=st.one_of(st.none(), st.integers(min_value=-(2**40), max_value=2**40)),
    message=TEXT,
)
def test_registration_is_saved_whole_or_not_at_all(**data):
    zone = ZoneFactory()
    before = row_counts()
    try:
        registration = registration_submit(zones=[zone], **data)
    except ValidationError:
        assert row_counts() == before
    else:
        assert row_counts()[2] == before[2] + 1
        assert registration.zones.get() == zone
        assert registration.company.normalized_name


@FUZZ
@given(
    amount=st.decimals(
        allow_nan=False, allow_infinity=False, places=2, min_value=-1e18, max_value=1e18
    ),
    currency=st.sampled_from(["USD", "usd", "PKR", "EUR", "", "US", "DOLLARS", "ÜSD"]),
)
def test_pledge_is_saved_whole_or_not_at_all(amount, currency):
    before = Pledge.objects.count()
    try:
        pledge = pledge_record(
            company=CompanyFactory(),
            zone=ZoneFactory(),
            amount=Decimal(amount),
            currency=currency,
            pledged_on=datetime.date(2026, 1, 1),
        )
    except (ValidationError, ExchangeRateMissing):
        assert Pledge.objects.count() == before
    else:
        assert pledge.amount > 0
        assert pledge.currency == "USD"
        assert Pledge.objects.count() == before + 1
