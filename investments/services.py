"""Writes for pledges and disbursements: conversion to USD and running totals."""

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core.query import CENT

from .choices import PledgeStatus
from .models import Disbursement, ExchangeRate, Pledge

if TYPE_CHECKING:
    from companies.models import Company, InterestRegistration
    from zones.models import Zone


class ExchangeRateMissing(ValidationError):
    """No rate for a currency on or before a date, so an amount cannot be converted."""


def usd_amount(*, amount: Decimal, currency: str, on_date: datetime.date) -> Decimal:
    """Convert `amount` to USD at the latest rate on or before `on_date`."""
    currency = currency.upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise ValidationError(
            {"currency": f"“{currency}” is not a currency code: use three letters, such as PKR."},
            code="invalid_currency",
        )
    if currency == "USD":
        return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    rate = ExchangeRate.objects.rate_on(currency, on_date)
    if rate is None:
        raise ExchangeRateMissing(
            f"No {currency} exchange rate on or before {on_date:%Y-%m-%d}: "
            f"add one under Investments › Exchange rates first.",
            code="no_exchange_rate",
        )
    return (Decimal(amount) * rate.rate_to_usd).quantize(CENT, rounding=ROUND_HALF_UP)


@transaction.atomic
def pledge_record(
    *,
    company: "Company",
    zone: "Zone",
    amount: Decimal,
    currency: str,
    pledged_on: datetime.date,
    status: str = PledgeStatus.ANNOUNCED,
    registration: "InterestRegistration | None" = None,
    description: str = "",
) -> Pledge:
    """Record a pledge with its USD equivalent at the pledge date's rate."""
    currency = currency.upper()
    pledge = Pledge(
        company=company,
        zone=zone,
        registration=registration,
        amount=amount,
        currency=currency,
        amount_usd=usd_amount(amount=amount, currency=currency, on_date=pledged_on),
        pledged_on=pledged_on,
        status=status,
        description=description,
    )
    pledge.full_clean()
    pledge.save()
    return pledge


@transaction.atomic
def pledge_update(*, pledge: Pledge, **changes: Any) -> Pledge:
    """Change a pledge under a row lock, reconverting to USD when money or date change."""
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    for field, value in changes.items():
        setattr(pledge, field, value)
    pledge.currency = pledge.currency.upper()
    if {"amount", "currency", "pledged_on"} & changes.keys():
        pledge.amount_usd = usd_amount(
            amount=pledge.amount, currency=pledge.currency, on_date=pledge.pledged_on
        )
    pledge.full_clean()
    pledge.save()
    return pledge


@transaction.atomic
def disbursement_record(
    *, pledge: Pledge, amount: Decimal, disbursed_on: datetime.date, note: str = ""
) -> Disbursement:
    """Record a realised tranche and add it to the pledge's running totals."""
    # The row lock serialises concurrent tranches of one pledge, so the
    # "realised never above pledged" check sees every earlier tranche.
    locked = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if locked.status == PledgeStatus.CANCELLED:
        raise ValidationError(
            "This pledge is cancelled: no disbursement can be recorded against it.",
            code="pledge_cancelled",
        )
    if locked.realized_amount + Decimal(amount) > locked.amount:
        remaining = locked.amount - locked.realized_amount
        raise ValidationError(
            {
                "amount": ValidationError(
                    f"Only {remaining:,} {locked.currency} of this pledge remains to be realised.",
                    code="over_pledged",
                )
            }
        )
    disbursement = Disbursement(
        pledge=locked,
        amount=amount,
        amount_usd=usd_amount(amount=amount, currency=locked.currency, on_date=disbursed_on),
        disbursed_on=disbursed_on,
        note=note,
    )
    disbursement.full_clean()
    disbursement.save()
    # Added in Python under the row lock rather than by update(): save() moves `updated`
    # (partners sync pledges on it) and writes the pledge's history, from which reports
    # as of a past day read what had been realised by then.
    locked.realized_amount += disbursement.amount
    locked.realized_usd += disbursement.amount_usd
    locked.save(update_fields=["realized_amount", "realized_usd", "updated"])
    pledge.refresh_from_db()
    return disbursement
