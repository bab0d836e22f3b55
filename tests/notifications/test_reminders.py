"""The periodic reminder job: each reminder once, however often the job runs."""

import datetime

import pytest
from django.core.management import call_command
from django.db import IntegrityError

from notifications import reminders
from notifications.choices import NotificationEvent
from notifications.models import Notification
from notifications.outbox import notify
from tests.factories import ZoneFactory
from zones.models import Zone

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 28)


@pytest.fixture
def expiring_rule(monkeypatch):
    """A rule of the kind the enterprises app adds, on a date every zone has."""
    rule = reminders.date_window_rule(
        event=NotificationEvent.LICENCE_EXPIRING_30,
        queryset=lambda: Zone.objects.all(),
        date_field="target_opening_date",
        days_before=30,
        recipients=lambda zone: ["developer@zone.example", "desk@authority.example"],
    )
    monkeypatch.setattr(reminders, "REMINDER_RULES", [rule])
    return rule


def test_objects_inside_the_window_are_reminded_once_per_recipient(expiring_rule):
    due = ZoneFactory(target_opening_date=TODAY + datetime.timedelta(days=30))
    ZoneFactory(target_opening_date=TODAY + datetime.timedelta(days=31))  # not yet
    ZoneFactory(target_opening_date=TODAY)  # past the window: another rule's business

    counts = reminders.reminders_send(today=TODAY)

    assert counts == {"licence_expiring_30": 2}
    assert sorted(Notification.objects.values_list("object_id", "recipient", "period")) == [
        (due.pk, "desk@authority.example", f"{due.target_opening_date:%Y-%m-%d}"),
        (due.pk, "developer@zone.example", f"{due.target_opening_date:%Y-%m-%d}"),
    ]


def test_running_the_job_again_sends_nothing_twice(expiring_rule):
    ZoneFactory(target_opening_date=TODAY + datetime.timedelta(days=10))
    reminders.reminders_send(today=TODAY)
    again = reminders.reminders_send(today=TODAY)
    next_day = reminders.reminders_send(today=TODAY + datetime.timedelta(days=1))

    assert again == next_day == {"licence_expiring_30": 0}
    assert Notification.objects.count() == 2


def test_a_new_date_is_a_new_reminder(expiring_rule):
    zone = ZoneFactory(target_opening_date=TODAY + datetime.timedelta(days=10))
    reminders.reminders_send(today=TODAY)
    zone.target_opening_date += datetime.timedelta(days=365)  # renewed for a year
    zone.save()
    reminders.reminders_send(today=TODAY + datetime.timedelta(days=365))
    assert Notification.objects.count() == 4


def test_the_database_refuses_a_second_reminder_for_the_same_period():
    zone = ZoneFactory()
    notify("licence_expired", zone, ["a@example.org"], period="2026-11-28")
    with pytest.raises(IntegrityError):
        notify("licence_expired", zone, ["a@example.org"], period="2026-11-28")


def test_the_command_runs_twice_safely(expiring_rule, capsys):
    ZoneFactory(target_opening_date=TODAY + datetime.timedelta(days=5))
    call_command("send_reminders", "--date", "2026-11-28")
    call_command("send_reminders", "--date", "2026-11-28")
    output = capsys.readouterr().out
    assert "2 reminder(s) queued for 2026-11-28" in output
    assert "0 reminder(s) queued for 2026-11-28" in output
    assert Notification.objects.count() == 2
