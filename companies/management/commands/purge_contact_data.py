from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from companies.services import contact_data_purge


class Command(BaseCommand):
    help = (
        "Remove the contact's personal data (name, email, phone, message) from registrations "
        "declined or withdrawn more than CONTACT_RETENTION_DAYS ago, history included. "
        "Contacts still used by another registration are kept. Safe to run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what would be removed and change nothing.",
        )
        parser.add_argument(
            "--days",
            type=int,
            help="Retention in days instead of CONTACT_RETENTION_DAYS.",
        )

    def handle(self, *args, dry_run=False, days=None, **options):
        try:
            result = contact_data_purge(retention_days=days, dry_run=dry_run)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        retention = settings.CONTACT_RETENTION_DAYS if days is None else days
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"Registrations closed before {result.cutoff:%Y-%m-%d %H:%M %Z} "
            f"(retention {retention} days):"
        )
        self.stdout.write(f"{result.registrations} registration(s) {verb} cleared")
        self.stdout.write(f"{result.history_rows} history row(s) {verb} cleared")
        self.stdout.write(f"{result.contacts_deleted} contact(s) {verb} deleted")
        self.stdout.write(
            f"{result.contacts_kept} contact(s) kept: still used by an open or recent registration"
        )
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
