"""Reminders found by a periodic job: licences about to expire, returns about to fall due.

A rule names an event, finds the objects due on a day (each with the occurrence it is about,
e.g. the expiry date) and says who is told. `reminders_send` may run any number of times a
day: the database's unique (event, object, recipient, period) lets each reminder out once.
The enterprises app adds its rules to REMINDER_RULES.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import IntegrityError, models, transaction

from . import outbox


@dataclass(frozen=True)
class ReminderRule:
    """Which objects to remind about on a given day, and whom."""

    event: str
    # today → (object, period) pairs; the period names the occurrence (a date, a fiscal year).
    due: Callable[[datetime.date], Iterable[tuple[models.Model, str]]]
    recipients: Callable[[models.Model], Iterable[str]]


REMINDER_RULES: list[ReminderRule] = []


def date_window_rule(
    *,
    event: str,
    queryset: Callable[[], models.QuerySet],
    date_field: str,
    days_before: int,
    recipients: Callable[[models.Model], Iterable[str]],
) -> ReminderRule:
    """A reminder `days_before` the date in `date_field` (0: on or after the date itself).

    Objects whose date is anywhere from today up to `days_before` days ahead are due, not only
    those exactly `days_before` ahead: a job that did not run for a few days catches up.
    """

    def due(today: datetime.date):
        latest = today + datetime.timedelta(days=days_before)
        if days_before:
            window = {f"{date_field}__gt": today, f"{date_field}__lte": latest}
        else:
            window = {f"{date_field}__lte": today}
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
                            outbox.notify(rule.event, obj, [recipient], period=period)
                        )
                except IntegrityError:
                    pass  # reminded already: the unique constraint decided
    return counts
