"""Money constraints hold in the database even when the services are bypassed."""

import datetime
from decimal import Decimal

import pytest
from django.db import DataError, IntegrityError, transaction

from investments.models import Disbursement, ExchangeRate, Pledge, Target
from tests.factories import ExchangeRateFactory, PledgeFactory, TargetFactory

pytestmark = pytest.mark.django_db


def _refused(write):
    # PostgreSQL reports an over-long code as a DataError, SQLite through the CHECK.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        write()


@pytest.mark.parametrize(
    "changes",
    [
        {"amount": Decimal("0")},
        {"amount": Decimal("-1")},
        {"amount_usd": Decimal("-1")},
        {"status": "promised"},
        {"currency": "usd"},
        {"currency": "US"},
        {"currency": "DOLLAR"},
        {"realized_amount": Decimal("1000000.01")},
        {"realized_amount": Decimal("-1")},
    ],
)
def test_database_refuses_invalid_pledge(changes):
    pledge = PledgeFactory(amount=Decimal("1000000.00"))
    _refused(lambda: Pledge.objects.filter(pk=pledge.pk).update(**changes))


def test_realized_may_equal_pledged():
    pledge = PledgeFactory(amount=Decimal("100"))
    Pledge.objects.filter(pk=pledge.pk).update(realized_amount=Decimal("100"))


def test_one_exchange_rate_per_currency_and_day():
    ExchangeRateFactory(currency="PKR", date=datetime.date(2026, 1, 1))
    _refused(
        lambda: ExchangeRate.objects.create(
            currency="PKR", date=datetime.date(2026, 1, 1), rate_to_usd=Decimal("0.1")
        )
    )


@pytest.mark.parametrize("rate", [Decimal("0"), Decimal("-0.0036")])
def test_exchange_rate_must_be_positive(rate):
    _refused(
        lambda: ExchangeRate.objects.create(
            currency="PKR", date=datetime.date(2026, 1, 1), rate_to_usd=rate
        )
    )


def test_disbursement_amount_must_be_positive():
    pledge = PledgeFactory()
    _refused(
        lambda: Disbursement.objects.create(
            pledge=pledge, disbursed_on=datetime.date(2026, 1, 1), amount=0, amount_usd=0
        )
    )


def test_target_cannot_be_due_before_it_starts():
    target = TargetFactory()
    _refused(lambda: Target.objects.filter(pk=target.pk).update(due_date=datetime.date(2020, 1, 1)))


def test_target_value_must_be_positive():
    target = TargetFactory()
    _refused(lambda: Target.objects.filter(pk=target.pk).update(target_value=0))


def test_money_round_trips_as_decimal():
    pledge = PledgeFactory(amount=Decimal("1234567890123.45"))
    pledge.refresh_from_db()
    assert pledge.amount == Decimal("1234567890123.45")
    assert isinstance(pledge.amount, Decimal)
