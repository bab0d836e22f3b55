import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from core.bulk import fail_abandoned
from enterprises.services import returns_open_due
from notifications.outbox import requeue_stalled
from notifications.reminders import reminders_send


class Command(BaseCommand):
    help = (
        "Open the annual returns of the fiscal year that ended, queue the reminders due today "
        "(licences expiring or expired, returns due or overdue) and re-queue emails and "
        "webhooks whose task was lost, and fail background imports and exports whose worker died. "
        "Safe to run as often as you like."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            help="Act as if today were this date (YYYY-MM-DD); default: today.",
        )

    def handle(self, *args, date=None, **options):
        today = date or timezone.localdate()
        # Returns fall due without anyone opening them: the year's return exists from 1 July.
        opened = returns_open_due(today=today)
        self.stdout.write(f"{len(opened)} annual return(s) opened for the last fiscal year.")
        counts = reminders_send(today=today)
        total = sum(counts.values())
        for event, count in sorted(counts.items()):
            self.stdout.write(f"{event}: {count}")
        requeued = requeue_stalled()
        self.stdout.write(f"{total} reminder(s) queued for {today:%Y-%m-%d}; {requeued} re-queued.")
        abandoned = fail_abandoned()
        if abandoned:
            self.stdout.write(f"{abandoned} background import(s)/export(s) lost their worker.")
