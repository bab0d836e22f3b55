import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from investments.models import Pledge
from investments.services import (
    ExchangeRateMissing,
    disbursement_record,
    pledge_record,
    pledge_update,
    usd_amount,
)
from tests.factories import CompanyFactory, ExchangeRateFactory, ZoneFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def pkr_rates():
    ExchangeRateFactory(currency="PKR", date=D(2026, 1, 1), rate_to_usd=Decimal("0.0035"))
    ExchangeRateFactory(currency="PKR", date=D(2026, 3, 1), rate_to_usd=Decimal("0.0040"))


def test_usd_is_converted_one_to_one_without_any_rate():
    assert usd_amount(amount=Decimal("12.345"), currency="USD", on_date=D(2026, 1, 1)) == Decimal(
        "12.35"
    )


def test_no_rate_on_or_before_the_date_is_a_clear_error(pkr_rates):
    with pytest.raises(ExchangeRateMissing, match="No PKR exchange rate on or before 2025-12-31"):
        usd_amount(amount=Decimal("100"), currency="PKR", on_date=D(2025, 12, 31))


def test_unknown_currency_has_no_rate():
    with pytest.raises(ExchangeRateMissing):
        usd_amount(amount=Decimal("100"), currency="EUR", on_date=D(2026, 1, 1))


def test_same_day_rate_is_used(pkr_rates):
    assert usd_amount(amount=Decimal("1000000"), currency="PKR", on_date=D(2026, 3, 1)) == Decimal(
        "4000.00"
    )


def test_latest_older_rate_is_used(pkr_rates):
    # 2026-02-15 falls between the two rates: the January one applies, not the later March one.
    assert usd_amount(amount=Decimal("1000000"), currency="PKR", on_date=D(2026, 2, 15)) == Decimal(
        "3500.00"
    )


@pytest.mark.parametrize("code", ["", "US", "DOLLARS", "ÜSD", "P1R"])
def test_malformed_currency_code_is_refused(code):
    with pytest.raises(ValidationError, match="is not a currency code"):
        usd_amount(amount=Decimal("1"), currency=code, on_date=D(2026, 1, 1))


def test_lower_case_currency_is_accepted(pkr_rates):
    assert usd_amount(amount=Decimal("100"), currency="pkr", on_date=D(2026, 3, 2)) == Decimal(
        "0.40"
    )


def test_pledge_record_stores_usd_equivalent_at_pledge_date(pkr_rates):
    pledge = pledge_record(
        company=CompanyFactory(),
        zone=ZoneFactory(),
        amount=Decimal("280000000"),
        currency="pkr",
        pledged_on=D(2026, 1, 20),
    )
    assert pledge.currency == "PKR"
    assert pledge.amount_usd == Decimal("980000.00")


def test_pledge_record_without_rate_saves_nothing():
    with pytest.raises(ExchangeRateMissing):
        pledge_record(
            company=CompanyFactory(),
            zone=ZoneFactory(),
            amount=Decimal("1"),
            currency="PKR",
            pledged_on=D(2026, 1, 1),
        )
    assert Pledge.objects.count() == 0


def test_pledge_record_refuses_non_positive_amount():
    with pytest.raises(ValidationError):
        pledge_record(
            company=CompanyFactory(),
            zone=ZoneFactory(),
            amount=Decimal("0"),
            currency="USD",
            pledged_on=D(2026, 1, 1),
        )
    assert Pledge.objects.count() == 0


def test_pledge_update_reconverts_when_the_date_changes(pkr_rates):
    pledge = pledge_record(
        company=CompanyFactory(),
        zone=ZoneFactory(),
        amount=Decimal("1000000"),
        currency="PKR",
        pledged_on=D(2026, 1, 5),
    )
    assert pledge.amount_usd == Decimal("3500.00")
    pledge = pledge_update(pledge=pledge, pledged_on=D(2026, 3, 5))
    assert pledge.amount_usd == Decimal("4000.00")


def test_disbursements_accumulate_on_the_pledge(pkr_rates):
    pledge = pledge_record(
        company=CompanyFactory(),
        zone=ZoneFactory(),
        amount=Decimal("1000000"),
        currency="PKR",
        pledged_on=D(2026, 1, 5),
    )
    disbursement_record(pledge=pledge, amount=Decimal("200000"), disbursed_on=D(2026, 1, 10))
    disbursement_record(pledge=pledge, amount=Decimal("300000"), disbursed_on=D(2026, 3, 10))
    pledge.refresh_from_db()
    assert pledge.realized_amount == Decimal("500000")
    # Each tranche converts at its own date's rate: 200,000 × 0.0035 + 300,000 × 0.0040.
    assert pledge.realized_usd == Decimal("1900.00")


def test_disbursement_beyond_the_pledge_is_refused(pkr_rates):
    pledge = pledge_record(
        company=CompanyFactory(),
        zone=ZoneFactory(),
        amount=Decimal("100"),
        currency="USD",
        pledged_on=D(2026, 1, 5),
    )
    disbursement_record(pledge=pledge, amount=Decimal("60"), disbursed_on=D(2026, 1, 10))
    with pytest.raises(ValidationError, match=r"Only 40\.00 USD of this pledge remains"):
        disbursement_record(pledge=pledge, amount=Decimal("41"), disbursed_on=D(2026, 1, 11))
    pledge.refresh_from_db()
    assert pledge.realized_amount == Decimal("60")
    assert pledge.disbursements.count() == 1


def test_no_disbursement_on_a_cancelled_pledge():
    pledge = pledge_record(
        company=CompanyFactory(),
        zone=ZoneFactory(),
        amount=Decimal("100"),
        currency="USD",
        pledged_on=D(2026, 1, 5),
        status="cancelled",
    )
    with pytest.raises(ValidationError, match="cancelled"):
        disbursement_record(pledge=pledge, amount=Decimal("1"), disbursed_on=D(2026, 1, 10))


def test_disbursement_marks_the_pledge_as_changed_for_sync():
    pledge = pledge_record(
        company=CompanyFactory(),
        zone=ZoneFactory(),
        amount=Decimal("100"),
        currency="USD",
        pledged_on=D(2026, 1, 5),
    )
    stamped = pledge.updated
    disbursement_record(pledge=pledge, amount=Decimal("10"), disbursed_on=D(2026, 1, 10))
    pledge.refresh_from_db()
    assert pledge.updated > stamped
