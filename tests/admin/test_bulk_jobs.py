"""Admin imports and exports above the size thresholds run on a worker (core.bulk).

Imports: checked by a worker, confirmed by the person who uploaded them, applied all or nothing
by a worker, attributed to that person. Exports: the file waits on the job's page. Every job
page and action is a 404 to anyone but its owner (and superusers).
"""

import csv
import datetime
import io
import threading

import pytest
from django import forms
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core import bulk
from core.choices import BulkJobStatus
from core.models import BulkJob
from tests.admin.test_import import ZONE_HEADER, csv_format_index
from tests.factories import CompanyFactory, StaffUserFactory, ZoneDeveloperFactory
from zones.models import Zone

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_thresholds(settings):
    settings.BULK_IMPORT_ROWS = 2
    settings.BULK_EXPORT_ROWS = 2


@pytest.fixture
def developer():
    return ZoneDeveloperFactory(slug="tpl-corp")


def zone_rows(count, developer="tpl-corp", start=0):
    return "".join(
        f"zone-{n},Zone {n},{developer},Karachi,Sindh,PK,,,approved\n"
        for n in range(start, start + count)
    )


def upload_zones(client, text, name="zones.csv"):
    return client.post(
        reverse("admin:zones_zone_import"),
        {
            "import_file": SimpleUploadedFile(name, text.encode(), "text/csv"),
            "format": csv_format_index(Zone),
        },
    )


def job_page(job):
    return reverse("admin:core_bulkjob_change", args=[job.pk])


def action(job, name):
    return reverse(f"admin:core_bulkjob_{name}", args=[job.pk])


def bulk_tasks():
    return DBTaskResult.objects.filter(task_path="core.bulk.run_bulk_job")


# --- imports ------------------------------------------------------------------------------


def test_a_large_file_is_checked_by_a_worker_confirmed_then_applied(
    client, data_entry_user, developer, run_tasks
):
    client.force_login(data_entry_user)
    response = upload_zones(client, ZONE_HEADER + zone_rows(3))
    job = BulkJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job_page(job)
    assert (job.status, job.rows_total, job.user) == (BulkJobStatus.QUEUED, 3, data_entry_user)
    assert not Zone.objects.exists()

    waiting = client.get(job_page(job)).content.decode()
    assert 'http-equiv="refresh"' in waiting  # the page follows the worker
    assert '<label for="job-progress">0 of 3 rows</label>' in waiting

    run_tasks()
    job.refresh_from_db()
    assert job.status == BulkJobStatus.READY
    assert job.totals == {"new": 3}
    assert not Zone.objects.exists()  # the check is a dry run
    checked = client.get(job_page(job)).content.decode()
    assert "Confirm import" in checked and 'http-equiv="refresh"' not in checked

    assert client.post(action(job, "confirm")).status_code == 302
    run_tasks()
    job.refresh_from_db()
    assert job.status == BulkJobStatus.DONE
    assert (job.rows_done, job.percent_done, bytes(job.source)) == (3, 100, b"")
    zones = Zone.objects.order_by("slug")
    assert [zone.slug for zone in zones] == ["zone-0", "zone-1", "zone-2"]
    # Attributed to the person who uploaded, as an import in the request is.
    assert all(zone.history.first().history_user == data_entry_user for zone in zones)
    assert all(zone.status_changes.get().changed_by == data_entry_user for zone in zones)
    assert LogEntry.objects.filter(user=data_entry_user).count() == 3


def test_a_file_at_the_threshold_is_still_imported_in_the_request(
    client, data_entry_user, developer
):
    client.force_login(data_entry_user)
    response = upload_zones(client, ZONE_HEADER + zone_rows(2))
    assert response.status_code == 200
    assert response.context["confirm_form"] is not None
    assert not BulkJob.objects.exists()


def test_bad_rows_are_listed_with_their_line_numbers_and_nothing_is_imported(
    client, data_entry_user, developer, run_tasks
):
    client.force_login(data_entry_user)
    upload_zones(
        client,
        ZONE_HEADER
        + zone_rows(2)
        + "no-city,No City,tpl-corp,,Sindh,PK,,,approved\n"
        + "zone-0,Zone again,tpl-corp,Karachi,Sindh,PK,,,approved\n",
    )
    run_tasks()
    job = BulkJob.objects.get()
    assert job.status == BulkJobStatus.REFUSED
    assert job.error_count == 2
    assert [error["row"] for error in job.errors] == [3, 4]
    page = client.get(job_page(job)).content.decode()
    assert "Nothing was imported: 2 rows were refused." in page
    assert "Line number: 3 – city: This field cannot be blank." in page
    assert "Duplicate: row 1 of this file already has “zone-0”." in page
    assert "Confirm import" not in page

    tasks = bulk_tasks().count()
    response = client.post(action(job, "confirm"))
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert messages[-1] == "This import was not waiting for confirmation."
    assert bulk_tasks().count() == tasks
    assert not Zone.objects.exists()


def test_a_file_that_fails_when_applied_keeps_nothing(
    client, data_entry_user, developer, run_tasks
):
    """The data changed between the check and the confirmation."""
    other = ZoneDeveloperFactory(slug="other-corp")
    client.force_login(data_entry_user)
    upload_zones(client, ZONE_HEADER + zone_rows(2) + zone_rows(1, "other-corp", start=5))
    run_tasks()
    other.delete()
    job = BulkJob.objects.get(status=BulkJobStatus.READY)
    client.post(action(job, "confirm"))
    run_tasks()
    job.refresh_from_db()
    assert job.status == BulkJobStatus.REFUSED
    assert job.errors[0]["row"] == 3
    assert "other-corp" in job.errors[0]["messages"][0]
    assert not Zone.objects.exists()


def test_confirming_twice_applies_once(client, data_entry_user, developer, run_tasks):
    client.force_login(data_entry_user)
    upload_zones(client, ZONE_HEADER + zone_rows(3))
    run_tasks()
    job = BulkJob.objects.get()
    before = bulk_tasks().count()
    client.post(action(job, "confirm"))
    client.post(action(job, "confirm"))
    assert bulk_tasks().count() == before + 1
    # A duplicated task (a replayed queue row) finds the job taken and does nothing.
    bulk.run_bulk_job.enqueue(job.pk)
    assert run_tasks() == 2
    assert Zone.objects.count() == 3
    assert LogEntry.objects.count() == 3


def test_a_queued_or_checked_job_can_be_cancelled_and_then_does_nothing(
    client, data_entry_user, developer, run_tasks
):
    client.force_login(data_entry_user)
    upload_zones(client, ZONE_HEADER + zone_rows(3))
    job = BulkJob.objects.get()
    client.post(action(job, "cancel"))
    run_tasks()
    job.refresh_from_db()
    assert job.status == BulkJobStatus.CANCELLED
    assert bytes(job.source) == b""  # the uploaded file is not kept
    response = client.post(action(job, "cancel"))
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert messages[-1] == "This job has started or finished; it cannot be cancelled."
    assert not Zone.objects.exists()


def test_an_unreadable_file_fails_with_a_reason_on_the_job(data_entry_user, run_tasks):
    from core.export_formats import EXPORT_FORMATS

    xlsx = next(fmt for fmt in EXPORT_FORMATS if fmt.__name__.upper().startswith("XLSX"))
    job = bulk.queue_import(
        user=data_entry_user,
        model=Zone,
        resource_class=_zone_import_resource(),
        format_class=xlsx,
        encoding="",
        file_name="zones.xlsx",
        data=b"not a spreadsheet",
        rows=3,
    )
    run_tasks()
    job.refresh_from_db()
    assert job.status == BulkJobStatus.FAILED
    assert job.message.startswith("The worker stopped:")


def test_finished_jobs_are_forgotten_after_the_keeping_period(
    settings, data_entry_user, developer, run_tasks, client
):
    settings.BULK_JOB_KEEP_DAYS = 7
    client.force_login(data_entry_user)
    upload_zones(client, ZONE_HEADER + zone_rows(3), name="old.csv")
    run_tasks()
    old = BulkJob.objects.get()
    BulkJob.objects.filter(pk=old.pk).update(
        status=BulkJobStatus.DONE, finished=timezone.now() - datetime.timedelta(days=8)
    )
    upload_zones(client, ZONE_HEADER + zone_rows(3), name="new.csv")
    run_tasks()
    assert list(BulkJob.objects.values_list("file_name", flat=True)) == ["new.csv"]


def _confirmed_job(client, user, run_tasks):
    client.force_login(user)
    upload_zones(client, ZONE_HEADER + zone_rows(3))
    run_tasks()
    job = BulkJob.objects.get(status=BulkJobStatus.READY)
    client.post(action(job, "confirm"))
    return job


def test_a_job_whose_worker_died_is_failed_by_send_reminders(
    settings, client, data_entry_user, developer, run_tasks
):
    settings.BULK_JOB_STALE_MINUTES = 60
    job = _confirmed_job(client, data_entry_user, run_tasks)
    assert bulk._claim(job.pk).status == BulkJobStatus.APPLYING  # a worker took it, then died
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    job.refresh_from_db()
    assert job.status == BulkJobStatus.APPLYING  # a live worker's job is left alone
    assert "lost their worker" not in out.getvalue()

    BulkJob.objects.filter(pk=job.pk).update(
        heartbeat=timezone.now() - datetime.timedelta(minutes=61)
    )
    call_command("send_reminders", stdout=out)
    job.refresh_from_db()
    assert (job.status, job.message) == (BulkJobStatus.FAILED, bulk.ABANDONED_MESSAGE)
    assert job.finished is not None and bytes(job.source) == b""
    assert "1 background import(s)/export(s) lost their worker." in out.getvalue()
    page = client.get(job_page(job)).content.decode()
    assert "nothing was kept" in page and 'http-equiv="refresh"' not in page
    # The task, run late, finds the job no longer waiting.
    assert bulk.run(job.pk) == "not waiting"
    assert not Zone.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has one writer: nobody can fail it mid-way"
)
def test_an_import_given_up_while_its_worker_still_runs_keeps_nothing(
    monkeypatch, client, data_entry_user, developer, run_tasks
):
    job = _confirmed_job(client, data_entry_user, run_tasks)
    original_tick = bulk.ProgressReporter.tick

    def tick_then_give_up(reporter):
        original_tick(reporter)
        if reporter.done == 2:
            # What fail_abandoned does from cron while this worker is slow, not dead.
            other = connections.create_connection("default")
            try:
                with other.cursor() as cursor:
                    cursor.execute(
                        "UPDATE core_bulkjob SET status = 'failed' WHERE id = %s", [job.pk]
                    )
            finally:
                other.close()

    monkeypatch.setattr(bulk.ProgressReporter, "tick", tick_then_give_up)
    assert bulk.run(job.pk) == BulkJobStatus.FAILED
    assert not Zone.objects.exists()  # its owner was told nothing was kept
    assert not LogEntry.objects.exists()


# --- exports ------------------------------------------------------------------------------


def export_companies(client, query=""):
    url = reverse("admin:companies_company_export") + query
    every_field = {
        name: "on"
        for name, field in client.get(url).context["form"].fields.items()
        if isinstance(field, forms.BooleanField)
    }
    return client.post(url, {**every_field, "format": "0"})


def test_a_large_export_is_written_by_a_worker_and_downloaded_from_its_page(
    settings, client, analyst_user, run_tasks
):
    settings.BULK_EXPORT_ROWS = 1
    for name in ("Alpha Ltd", "Alpine Ltd", "Beta Ltd"):
        CompanyFactory(name=name)
    client.force_login(analyst_user)
    # The changelist's search goes with the export: two of the three companies.
    response = export_companies(client, "?q=Alp")
    job = BulkJob.objects.get()
    assert response["Location"] == job_page(job)
    assert (job.kind, job.rows_total) == ("export", 2)
    assert client.get(action(job, "download")).status_code == 404  # not written yet

    run_tasks()
    job.refresh_from_db()
    assert job.status == BulkJobStatus.DONE
    page = client.get(job_page(job)).content.decode()
    assert action(job, "download") in page
    download = client.get(action(job, "download"))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="Company-')
    rows = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert sorted(row["name"] for row in rows) == ["Alpha Ltd", "Alpine Ltd"]


def test_a_small_export_is_still_a_download_in_the_request(client, analyst_user):
    CompanyFactory(name="Alpha Ltd")
    client.force_login(analyst_user)
    response = export_companies(client)
    assert response.status_code == 200
    assert "Alpha Ltd" in response.content.decode("utf-8-sig")
    assert not BulkJob.objects.exists()


# --- who sees what ------------------------------------------------------------------------


@pytest.fixture
def someone_elses_job(developer, data_entry_user, client, run_tasks):
    client.force_login(data_entry_user)
    upload_zones(client, ZONE_HEADER + zone_rows(3))
    run_tasks()
    client.logout()
    return BulkJob.objects.get()


@pytest.mark.parametrize("name", ["change", "confirm", "cancel", "download"])
def test_another_staff_members_job_is_a_404(client, someone_elses_job, name):
    client.force_login(StaffUserFactory(username="nosy"))
    url = job_page(someone_elses_job) if name == "change" else action(someone_elses_job, name)
    response = client.get(url) if name in ("change", "download") else client.post(url)
    assert response.status_code == 404
    someone_elses_job.refresh_from_db()
    assert someone_elses_job.status == BulkJobStatus.READY


def test_the_list_shows_only_ones_own_jobs_and_a_superuser_all(client, someone_elses_job):
    changelist = reverse("admin:core_bulkjob_changelist")
    client.force_login(StaffUserFactory(username="nosy"))
    assert list(client.get(changelist).context["cl"].result_list) == []
    client.force_login(StaffUserFactory(username="boss", is_superuser=True))
    assert list(client.get(changelist).context["cl"].result_list) == [someone_elses_job]
    assert client.get(job_page(someone_elses_job)).status_code == 200


def test_signed_out_visitors_are_sent_to_sign_in(client, someone_elses_job):
    response = client.get(job_page(someone_elses_job))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_confirm_and_cancel_refuse_get(client, data_entry_user, someone_elses_job):
    client.force_login(data_entry_user)
    assert client.get(action(someone_elses_job, "confirm")).status_code == 405
    assert client.get(action(someone_elses_job, "cancel")).status_code == 405


def test_a_job_cannot_be_added_or_changed_by_hand(client, data_entry_user, someone_elses_job):
    client.force_login(StaffUserFactory(username="boss", is_superuser=True))
    assert client.get(reverse("admin:core_bulkjob_add")).status_code == 403
    assert client.get(job_page(someone_elses_job) + "../delete/").status_code == 403


def test_the_database_refuses_more_rows_done_than_the_job_has(someone_elses_job):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        BulkJob.objects.filter(pk=someone_elses_job.pk).update(rows_done=4)


# --- progress while the worker's transaction is open (PostgreSQL) -------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has one writer: progress shows at the end"
)
def test_progress_is_visible_to_other_connections_before_the_import_commits(
    settings, developer, data_entry_user
):
    settings.BULK_IMPORT_ROWS = 10
    rows = 300
    text = ZONE_HEADER + zone_rows(rows)
    job = bulk.queue_import(
        user=data_entry_user,
        model=Zone,
        resource_class=_zone_import_resource(),
        format_class=_csv_format(),
        encoding="utf-8-sig",
        file_name="zones.csv",
        data=text.encode(),
        rows=rows,
    )
    seen: list[int] = []
    stop = threading.Event()

    def watch():
        watcher = connections.create_connection("default")
        try:
            while not stop.is_set():
                with watcher.cursor() as cursor:
                    cursor.execute("SELECT rows_done FROM core_bulkjob WHERE id = %s", [job.pk])
                    seen.append(cursor.fetchone()[0])
                stop.wait(0.005)
        finally:
            watcher.close()

    thread = threading.Thread(target=watch)
    thread.start()
    try:
        bulk.run(job.pk)  # the check, a dry run inside one transaction that rolls back
    finally:
        stop.set()
        thread.join()
    job.refresh_from_db()
    assert job.status == BulkJobStatus.READY
    partial = {value for value in seen if 0 < value < rows}
    assert partial, f"no progress seen between 0 and {rows}: {sorted(set(seen))[:10]}"
    assert seen == sorted(seen)
    assert not Zone.objects.exists()


def _zone_import_resource():
    from django.contrib import admin

    return admin.site._registry[Zone].get_import_resource_classes(None)[0]


def _csv_format():
    from django.contrib import admin

    return next(
        fmt for fmt in admin.site._registry[Zone].get_import_formats() if fmt.__name__ == "CSV"
    )
