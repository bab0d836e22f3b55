"""Import a CSV or XLSX file too large for the admin's upload, with a progress bar.

    manage.py import_records zones programme/data/indonesia-kek-zones.csv
    manage.py import_records companies programme/data/sp500-companies.csv --dry-run

It runs the admin's own resources, so the checks and messages are the same, and it is all or
nothing: every bad row is listed with its row number and reason, and then nothing is kept.
"""

from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import tablib
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from simple_history.models import HistoricalRecords
from tqdm import tqdm

from companies.resources import CompanyResource, InterestRegistrationResource
from investments.resources import PledgeResource
from programme.foreign_formats import (
    FOREIGN_FORMATS,
    ImportStep,
    describe_failures,
    detect_format,
)
from zones.resources import SectorResource, ZoneDeveloperResource, ZoneResource

NATIVE_RESOURCES = {
    "sectors": SectorResource,
    "developers": ZoneDeveloperResource,
    "zones": ZoneResource,
    "companies": CompanyResource,
    "pledges": PledgeResource,
    "registrations": InterestRegistrationResource,
}


def read_dataset(path: Path, encoding: str) -> tablib.Dataset:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return tablib.Dataset().load(path.read_bytes(), format="xlsx")
    if suffix in (".csv", ".txt"):
        # utf-8-sig drops the byte-order mark that spreadsheet programs put before the header.
        try:
            text = path.read_text(encoding=encoding)
        except UnicodeDecodeError as error:
            raise CommandError(
                f"{path.name} is not {encoding} text (byte {error.start}); save it as UTF-8 "
                f"or name its encoding, e.g. --encoding cp1252."
            ) from None
        return tablib.Dataset().load(text, format="csv")
    raise CommandError(f"{path.name}: use a .csv or .xlsx file.")


def with_progress(resource_class, bar):
    """The resource, ticking `bar` once per row whatever the row's outcome."""

    class ProgressResource(resource_class):
        def import_row(self, row, instance_loader, **kwargs):
            try:
                return super().import_row(row, instance_loader, **kwargs)
            finally:
                bar.update(1)

    ProgressResource.__name__ = resource_class.__name__
    return ProgressResource


@contextmanager
def history_user(user):
    """Record `user` as the author of every history row written meanwhile, services included.

    django-simple-history reads the author from the current request, which its middleware
    stores for the duration of a web request; a command has none, so it stands one in.
    """
    if user is None:
        yield
        return
    _request_context(SimpleNamespace(user=user))
    try:
        yield
    finally:
        _request_context(None)


def _request_context(request):
    if request is None:
        del HistoricalRecords.context.request
    else:
        HistoricalRecords.context.request = request


class Command(BaseCommand):
    help = (
        "Import zones, developers, companies, pledges, registrations or sectors from a "
        "CSV/XLSX file, all or nothing. Files in a known foreign layout (the KEK zone list, "
        "the S&P 500 list) are recognised by their headers and mapped onto the registry's columns."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(NATIVE_RESOURCES))
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--format",
            dest="source_format",
            choices=["auto", "native", *sorted(FOREIGN_FORMATS)],
            default="auto",
            help="How to read the columns (default: recognise a foreign file by its headers).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row, then keep nothing."
        )
        parser.add_argument(
            "--user", help="Username the history records the import under (default: nobody)."
        )
        parser.add_argument("--encoding", default="utf-8-sig")

    def handle(self, *args, kind, path, source_format, dry_run, user, encoding, **options):
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        user = self.find_user(user)
        dataset = read_dataset(path, encoding)
        steps = self.plan(kind, dataset, source_format)
        total = sum(len(step.dataset) for step in steps)
        progress = tqdm(total=total, unit="row", desc=path.name, disable=options["verbosity"] == 0)
        failures, summaries = [], []
        with progress, history_user(user), transaction.atomic():
            for step in steps:
                resource = with_progress(step.resource_class, progress)()
                result = resource.import_data(
                    step.dataset,
                    dry_run=False,
                    use_transactions=True,
                    rollback_on_validation_errors=True,
                    user=user,
                    file_name=path.name,
                )
                if result.has_errors() or result.has_validation_errors():
                    failures += describe_failures(step, result)
                    break
                summaries.append((step.label, result.totals))
            if failures or dry_run:
                transaction.set_rollback(True)

        if failures:
            for line in failures:
                self.stderr.write(line)
            raise CommandError(
                f"Nothing was imported from {path.name}: {len(failures)} problem(s) listed above."
            )
        verb = "Checked (dry run, nothing kept)" if dry_run else "Imported"
        for label, totals in summaries:
            self.stdout.write(
                f"{verb} {label}: {totals['new']} new, {totals['update']} updated, "
                f"{totals['skip']} unchanged."
            )
        rows = len(dataset)
        self.stdout.write(self.style.SUCCESS(f"{path.name}: {rows} row(s), all accepted."))

    def find_user(self, username):
        if not username:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named “{username}”.") from None

    def plan(self, kind, dataset, source_format) -> list[ImportStep]:
        if not dataset.headers:
            raise CommandError("The file has no header row.")
        if source_format == "auto":
            foreign = detect_format(dataset.headers)
        elif source_format == "native":
            foreign = None
        else:
            foreign = FOREIGN_FORMATS[source_format]
        if foreign is None:
            return [ImportStep(kind, NATIVE_RESOURCES[kind], dataset)]
        if foreign.kind != kind:
            raise CommandError(
                f"This looks like the {foreign.description} file, which imports as "
                f"{foreign.kind}, not {kind}."
            )
        self.stdout.write(f"Reading the {foreign.description} layout ({foreign.name}).")
        return foreign.to_steps(dataset)
