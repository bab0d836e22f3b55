"""Reminders found by a periodic job: licences about to expire, returns about to fall due.

A rule names an event, finds the objects due on a day (each with the occurrence it is about,
e.g. the expiry date) and says who is told. `reminders_send` may run any number of times a
day: the database's unique (event, object, recipient, period) lets each reminder out once.
The operating zone's rules are at the end of this module.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import IntegrityError, models, transaction

from enterprises.choices import EXPIRING_STATUSES, OPEN_RETURN_STATUSES
from enterprises.models import AnnualReturn, Enterprise

from . import outbox
from .choices import NotificationEvent
from .services import applicant_language, enterprise_recipients


@dataclass(frozen=True)
class ReminderRule:
    """Which objects to remind about on a given day, and whom."""

    event: str
    # today → (object, period) pairs; the period names the occurrence (a date, a fiscal year).
    due: Callable[[datetime.date], Iterable[tuple[models.Model, str]]]
    recipients: Callable[[models.Model], Iterable[str]]


# Filled at the end of this module with the operating zone's rules.
REMINDER_RULES: list[ReminderRule] = []


def date_window_rule(
    *,
    event: str,
    queryset: Callable[[], models.QuerySet],
    date_field: str,
    days_before: int,
    recipients: Callable[[models.Model], Iterable[str]],
    after_days: int | None = None,
) -> ReminderRule:
    """A reminder when the date in `date_field` is at most `days_before` days ahead.

    Due are the objects whose date lies after `today + after_days` and on or before
    `today + days_before`: the whole window, not only its last day, so a job that did not run
    for a few days catches up. `after_days` defaults to 0 (today itself is another rule's
    business), or to no lower bound when `days_before` is 0 or less; a negative value looks
    back (a licence that expired within the last month).
    """
    if after_days is None and days_before > 0:
        after_days = 0

    def due(today: datetime.date):
        window = {f"{date_field}__lte": today + datetime.timedelta(days=days_before)}
        if after_days is not None:
            window[f"{date_field}__gt"] = today + datetime.timedelta(days=after_days)
        for obj in queryset().filter(**window):
            yield obj, f"{getattr(obj, date_field):%Y-%m-%d}"

    return ReminderRule(event=event, due=due, recipients=recipients)


def reminders_send(
    *, today: datetime.date, rules: Iterable[ReminderRule] | None = None
) -> dict[str, int]:
    """Queue every reminder due `today` that has not gone out before; counts per event."""
    counts: dict[str, int] = {}
    for rule in REMINDER_RULES if rules is None else rules:
        counts.setdefault(rule.event, 0)
        for obj, period in rule.due(today):
            for recipient in rule.recipients(obj):
                try:
                    with transaction.atomic():
                        counts[rule.event] += len(
                            outbox.notify(
                                rule.event,
                                obj,
                                [recipient],
                                period=period,
                                language=applicant_language(obj),
                            )
                        )
                except IntegrityError:
                    pass  # reminded already: the unique constraint decided
    return counts


# --- the operating zone's reminders -----------------------------------------------------------
# Windows do not overlap, so a licence gets the 60-day notice, then the 30-day one, each once.
# Looking back is bounded, so switching reminders on does not mail every licence that expired
# or return that fell overdue years ago.
LOOK_BACK_DAYS = 30
OVERDUE_LOOK_BACK_DAYS = 365


def _live_licences() -> models.QuerySet:
    return Enterprise.objects.filter(status__in=EXPIRING_STATUSES).select_related("zone")


def _open_returns() -> models.QuerySet:
    return AnnualReturn.objects.filter(status__in=OPEN_RETURN_STATUSES).select_related("enterprise")


def _return_recipients(annual_return) -> list[str]:
    return enterprise_recipients(annual_return.enterprise)


REMINDER_RULES += [
    date_window_rule(
        event=NotificationEvent.LICENCE_EXPIRING_60,
        queryset=_live_licences,
        date_field="expires_on",
        days_before=60,
        after_days=30,
        recipients=enterprise_recipients,
    ),
    date_window_rule(
        event=NotificationEvent.LICENCE_EXPIRING_30,
        queryset=_live_licences,
        date_field="expires_on",
        days_before=30,
        recipients=enterprise_recipients,
    ),
    # A licence is valid through its expiry day and expired from the day after.
    date_window_rule(
        event=NotificationEvent.LICENCE_EXPIRED,
        queryset=_live_licences,
        date_field="expires_on",
        days_before=-1,
        after_days=-1 - LOOK_BACK_DAYS,
        recipients=enterprise_recipients,
    ),
    date_window_rule(
        event=NotificationEvent.RETURN_DUE_30,
        queryset=_open_returns,
        date_field="due_on",
        days_before=30,
        recipients=_return_recipients,
    ),
    date_window_rule(
        event=NotificationEvent.RETURN_OVERDUE,
        queryset=_open_returns,
        date_field="due_on",
        days_before=-1,
        after_days=-1 - OVERDUE_LOOK_BACK_DAYS,
        recipients=_return_recipients,
    ),
]
