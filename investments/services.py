"""Writes for pledges and disbursements: conversion to USD and running totals."""

import datetime
import re
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet, Sum

from core.query import CENT, subquery_sum

from . import summaries
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
@summaries.one_write()
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
@summaries.one_write()
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
@summaries.one_write()
def pledge_delete(*, pledge: Pledge) -> None:
    """Delete a pledge and its tranches under the pledge's row lock.

    The lock makes a tranche being recorded at the same moment either finish first (and go
    with the pledge) or wait and find the pledge gone, so the summary rows subtract exactly
    what the pledge added.
    """
    Pledge.objects.select_for_update().get(pk=pledge.pk).delete()


@transaction.atomic
@summaries.one_write()
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


@dataclass(frozen=True)
class RunningTotalDifference:
    """A pledge whose running realised totals disagree with the sum of its disbursements."""

    pledge_id: int
    stored_amount: Decimal
    disbursed_amount: Decimal
    stored_usd: Decimal
    disbursed_usd: Decimal
    repaired: bool = False
    problem: str = ""


def pledges_with_wrong_totals() -> QuerySet[Pledge]:
    """Pledges whose realised amount or USD differ from their disbursements' sums (one query)."""
    disbursements = Disbursement.objects.all()
    return (
        Pledge.objects.annotate(
            disbursed_amount=subquery_sum(disbursements, "amount", outer_field="pledge"),
            disbursed_usd=subquery_sum(disbursements, "amount_usd", outer_field="pledge"),
        )
        .exclude(realized_amount=F("disbursed_amount"), realized_usd=F("disbursed_usd"))
        .order_by("pk")
    )


def pledge_totals_verify(*, repair: bool = False) -> list[RunningTotalDifference]:
    """Every pledge's running realised totals against its disbursements; `repair` resets them.

    A repair saves the pledge under its row lock (a new version in its history, `updated`
    moved so that partners sync it). Disbursements above the pledged amount cannot be
    repaired this way: the pledge's constraint refuses them, and a person must look.
    """
    differences = []
    # Named through a tuple: the type stubs know model fields only, not the annotations.
    columns = (
        "pk",
        "amount",
        "realized_amount",
        "realized_usd",
        "disbursed_amount",
        "disbursed_usd",
    )
    for row in pledges_with_wrong_totals().values(*columns):
        # Cents throughout: SQLite hands sums back without their decimal places.
        cents = {key: Decimal(row[key]).quantize(CENT) for key in columns[1:]}
        difference = RunningTotalDifference(
            pledge_id=row["pk"],
            stored_amount=cents["realized_amount"],
            disbursed_amount=cents["disbursed_amount"],
            stored_usd=cents["realized_usd"],
            disbursed_usd=cents["disbursed_usd"],
        )
        if repair and cents["disbursed_amount"] > cents["amount"]:
            difference = replace(
                difference,
                problem=f"its disbursements ({cents['disbursed_amount']:,}) exceed the pledged "
                f"amount ({cents['amount']:,}): correct the disbursements first",
            )
        elif repair:
            with transaction.atomic():
                locked = Pledge.objects.select_for_update().get(pk=row["pk"])
                sums = Disbursement.objects.filter(pledge=locked).aggregate(
                    amount=Sum("amount"), usd=Sum("amount_usd")
                )
                locked.realized_amount = sums["amount"] or Decimal("0")
                locked.realized_usd = sums["usd"] or Decimal("0")
                locked.save(update_fields=["realized_amount", "realized_usd", "updated"])
            difference = replace(difference, repaired=True)
        differences.append(difference)
    return differences
