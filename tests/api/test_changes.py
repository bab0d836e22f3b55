"""GET changes/ and changes/cursor/: order, cursors, visibility, embedded rows, bad input."""

import threading
import time

import pytest
from django.db import connection, transaction

from programme.models import Change
from tests.factories import (
    CompanyFactory,
    ContactFactory,
    IncentiveFactory,
    InterestRegistrationFactory,
    PledgeFactory,
    ZoneFactory,
)

# Transactional: on PostgreSQL the feed serves only what has committed.
pytestmark = pytest.mark.django_db(transaction=True)


def settle(timeout=60):
    """Wait until every entry written is below the feed's watermark.

    On PostgreSQL any transaction in flight on the server (another test process's
    included) holds the watermark back until it ends; SQLite has nothing to wait for.
    """
    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(max(xact_id), 0) < pg_snapshot_xmin(pg_current_snapshot())"
                "::text::bigint FROM programme_change"
            )
            if cursor.fetchone()[0]:
                return
        time.sleep(0.05)
    pytest.fail("the watermark did not pass the entries written")


def read_all(client, cursor=None, page_size=1000):
    """(every change after `cursor`, following `next`; the cursor to resume at)."""
    settle()
    url = f"/api/v1/changes/?page_size={page_size}" + (f"&after={cursor}" if cursor else "")
    changes = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        changes += body["results"]
        cursor, url = body["cursor"], body["next"]
    return changes, cursor


def keys(changes):
    return [(change["resource"], change["id"], change["kind"]) for change in changes]


def test_changes_come_in_the_order_they_were_made(partner_client):
    zone = ZoneFactory()
    company = CompanyFactory()
    zone_id = zone.pk
    zone.delete()
    order = keys(read_all(partner_client)[0])
    assert order.index(("zone", zone_id, "upsert")) < order.index(("company", company.pk, "upsert"))
    assert order.index(("company", company.pk, "upsert")) < order.index(("zone", zone_id, "delete"))


def test_an_upsert_carries_the_row_as_its_list_shows_it(partner_client):
    pledge = PledgeFactory()
    settle()
    changes, _ = read_all(partner_client)
    listed = partner_client.get(f"/api/v1/pledges/{pledge.pk}/").json()
    latest = [c for c in changes if (c["resource"], c["id"]) == ("pledge", pledge.pk)][-1]
    assert latest["data"] == listed
    zone = [c for c in changes if (c["resource"], c["id"]) == ("zone", pledge.zone_id)][-1]
    assert zone["data"]["pledge_count"] == 1


def test_a_delete_carries_no_row_and_names_the_old_id(partner_client):
    zone = ZoneFactory(slug="phoenix")
    old_id = zone.pk
    zone.delete()
    new = ZoneFactory(slug="phoenix", developer=zone.developer)
    changes, _ = read_all(partner_client)
    mirror = {}
    for change in changes:  # what a partner following docs/api.md does
        key = (change["resource"], change["id"])
        if change["data"] is None:
            mirror.pop(key, None)
        else:
            mirror[key] = change["data"]
    assert ("zone", old_id) not in mirror
    assert mirror["zone", new.pk]["slug"] == "phoenix"
    delete = [c for c in changes if c["kind"] == "delete"][-1]
    assert (delete["id"], delete["lookup"], delete["data"]) == (old_id, "phoenix", None)


def test_a_new_partner_starting_from_the_cursor_never_sees_old_deletions(partner_client):
    ZoneFactory(slug="old").delete()
    settle()
    start = partner_client.get("/api/v1/changes/cursor/").json()["cursor"]
    live = ZoneFactory(slug="old")
    changes, _ = read_all(partner_client, cursor=start)
    assert "delete" not in {change["kind"] for change in changes}
    assert ("zone", live.pk, "upsert") in keys(changes)


def test_paging_resumes_exactly_after_the_cursor(partner_client):
    ZoneFactory.create_batch(4)
    everything, _ = read_all(partner_client)
    paged, cursor = read_all(partner_client, page_size=3)
    assert keys(paged) == keys(everything)
    assert len(everything) > 3  # so that there was more than one page
    assert read_all(partner_client, cursor=cursor)[0] == []
    CompanyFactory()
    assert [change["resource"] for change in read_all(partner_client, cursor=cursor)[0]] == [
        "company"
    ]


def test_next_is_null_once_caught_up(partner_client):
    ZoneFactory()
    settle()
    body = partner_client.get("/api/v1/changes/?page_size=1000").json()
    assert body["next"] is None
    assert body["cursor"]


def test_anonymous_callers_see_changes_to_public_resources_only(api_client):
    ZoneFactory()
    PledgeFactory()
    InterestRegistrationFactory()
    resources = {change["resource"] for change in read_all(api_client)[0]}
    assert resources <= {"zone", "developer", "incentive"}
    assert "zone" in resources


def test_no_contact_data_in_the_feed_even_for_staff(staff_client):
    contact = ContactFactory(email="secret@company.example")
    InterestRegistrationFactory(company=contact.company, contact=contact)
    changes, _ = read_all(staff_client)
    assert "secret@company.example" not in str(changes)
    assert {"company", "interest"} <= {change["resource"] for change in changes}


def test_a_rename_reaches_the_rows_that_show_the_name(partner_client):
    pledge = PledgeFactory()
    _, cursor = read_all(partner_client)
    company = pledge.company
    company.name = "Renamed Holdings"
    company.save()
    changes, _ = read_all(partner_client, cursor=cursor)
    shown = {(c["resource"], c["id"]): c["data"] for c in changes}
    assert shown["pledge", pledge.pk]["company"]["name"] == "Renamed Holdings"


@pytest.mark.parametrize(
    "query",
    ("after=not-a-cursor", "after=%00", "after=" + "A" * 200, "after=LTEuLTE", "page_size=0",
     "page_size=1001", "page_size=x"),
)  # fmt: skip
def test_bad_input_is_a_400_naming_the_parameter(partner_client, query):
    response = partner_client.get(f"/api/v1/changes/?{query}")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {query.split("=")[0]}


def test_a_page_of_mixed_changes_costs_a_fixed_number_of_queries(
    partner_client, django_assert_max_num_queries
):
    for _ in range(15):
        InterestRegistrationFactory(zones=[ZoneFactory()])
        PledgeFactory().zone.incentives.add(IncentiveFactory())
    settle()
    # auth (key lookup, last-used stamp), ceiling, entries, then one query per resource
    # plus the zones' three prefetches.
    with django_assert_max_num_queries(14):
        body = partner_client.get("/api/v1/changes/?page_size=1000").json()
    assert len(body["results"]) > 100


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time")
def test_a_transaction_in_flight_holds_back_every_change_made_after_it_began(partner_client):
    """The late-commit case: nothing after the open transaction is served until it ends."""
    settle()
    start = partner_client.get("/api/v1/changes/cursor/").json()["cursor"]
    opened, release = threading.Event(), threading.Event()
    late = {}

    def long_writer():
        try:
            with transaction.atomic():
                late["zone"] = ZoneFactory(slug="late").pk
                opened.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    thread = threading.Thread(target=long_writer)
    thread.start()
    assert opened.wait(timeout=30)
    early = CompanyFactory()  # commits now, after the open transaction began
    body = partner_client.get(f"/api/v1/changes/?after={start}").json()
    assert ("company", early.pk, "upsert") not in keys(body["results"])
    cursor = body["cursor"]
    release.set()
    thread.join()
    changes, _ = read_all(partner_client, cursor=cursor)
    assert {("zone", late["zone"], "upsert"), ("company", early.pk, "upsert")} <= set(keys(changes))


def test_entries_are_only_served_once_committed(partner_client):
    with transaction.atomic():
        ZoneFactory(slug="rolled-back")
        transaction.set_rollback(True)
    assert not Change.objects.filter(lookup="rolled-back").exists()
    assert "rolled-back" not in str(read_all(partner_client)[0])


def test_an_empty_after_reads_from_the_beginning(partner_client):
    ZoneFactory()
    settle()
    response = partner_client.get("/api/v1/changes/?after=")
    assert response.status_code == 200
    assert response.json()["results"]
