"""Incremental sync: `updated_since` on every list, and the deletions feed (tombstones)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from investments.services import disbursement_record
from programme.models import Tombstone
from tests.factories import (
    CompanyFactory,
    IncentiveFactory,
    InterestRegistrationFactory,
    PledgeFactory,
    ZoneDeveloperFactory,
    ZoneFactory,
)

pytestmark = pytest.mark.django_db

LISTS = ("zones", "developers", "incentives", "companies", "interests", "pledges", "deletions")


def backdate(instance, days=3):
    """Pretend a row was last changed `days` ago (auto_now stamps cannot be set otherwise)."""
    type(instance).objects.filter(pk=instance.pk).update(
        updated=timezone.now() - datetime.timedelta(days=days)
    )


def ids(response, key="id"):
    assert response.status_code == 200, response.content
    return {row[key] for row in response.json()["results"]}


@pytest.fixture
def since():
    return (timezone.now() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize("path", LISTS)
def test_every_list_takes_updated_since(partner_client, path, since):
    assert partner_client.get(f"/api/v1/{path}/?updated_since={since}").status_code == 200


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("value", ("yesterday", "2026-13-01", "2026-01-01T25:00", "%00"))
def test_invalid_updated_since_is_a_400(partner_client, path, value):
    response = partner_client.get(f"/api/v1/{path}/?updated_since={value}")
    assert response.status_code == 400
    assert "updated_since" in response.json()["errors"]


def test_pledges_changed_since_yesterday(partner_client, since):
    old, recent = PledgeFactory(), PledgeFactory()
    backdate(old)
    assert ids(partner_client.get(f"/api/v1/pledges/?updated_since={since}")) == {recent.pk}


def test_a_date_means_its_midnight(partner_client):
    old, recent = PledgeFactory(), PledgeFactory()
    backdate(old, days=3)
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    assert ids(partner_client.get(f"/api/v1/pledges/?updated_since={yesterday}")) == {recent.pk}


def test_an_offset_in_the_timestamp_is_honoured(partner_client):
    pledge = PledgeFactory()
    backdate(pledge, days=0)  # updated "now"
    in_an_hour = (timezone.now() + datetime.timedelta(hours=1)).astimezone(
        datetime.timezone(datetime.timedelta(hours=5))
    )
    stamp = in_an_hour.isoformat(timespec="seconds").replace("+", "%2B")
    assert ids(partner_client.get(f"/api/v1/pledges/?updated_since={stamp}")) == set()


def test_a_disbursement_counts_as_a_change_to_its_pledge(partner_client, since):
    pledge = PledgeFactory(status="committed")
    backdate(pledge)
    disbursement_record(
        pledge=pledge, amount=Decimal("1000.00"), disbursed_on=datetime.date(2026, 6, 1)
    )
    backdate(pledge)  # even if the pledge row's own stamp stayed old
    assert ids(partner_client.get(f"/api/v1/pledges/?updated_since={since}")) == {pledge.pk}


def test_a_new_pledge_counts_as_a_change_to_its_zone_and_company(partner_client, since):
    zone, company, untouched = ZoneFactory(), CompanyFactory(), ZoneFactory()
    old_pledge = PledgeFactory(zone=untouched)
    for instance in (zone, company, untouched, old_pledge, old_pledge.company):
        backdate(instance)
    PledgeFactory(zone=zone, company=company)
    assert ids(partner_client.get(f"/api/v1/zones/?updated_since={since}"), "slug") == {zone.slug}
    assert company.pk in ids(partner_client.get(f"/api/v1/companies/?updated_since={since}"))


def test_updated_since_on_developers_incentives_and_interests(partner_client, since):
    old_developer, new_developer = ZoneDeveloperFactory(), ZoneDeveloperFactory()
    old_incentive, new_incentive = IncentiveFactory(), IncentiveFactory()
    old_interest, new_interest = InterestRegistrationFactory(), InterestRegistrationFactory()
    for instance in (old_developer, old_incentive, old_interest):
        backdate(instance)
    developers = ids(partner_client.get(f"/api/v1/developers/?updated_since={since}"), "slug")
    assert new_developer.slug in developers
    assert old_developer.slug not in developers
    assert ids(partner_client.get(f"/api/v1/incentives/?updated_since={since}"), "slug") == {
        new_incentive.slug
    }
    assert ids(partner_client.get(f"/api/v1/interests/?updated_since={since}"), "reference") == {
        new_interest.reference
    }


def test_paging_through_changes_in_a_stable_order(partner_client, since):
    """ordering=updated with the id as tie-breaker: no row is skipped or repeated."""
    pledges = PledgeFactory.create_batch(7)
    seen, url = [], f"/api/v1/pledges/?updated_since={since}&ordering=updated&page_size=3"
    while url:
        body = partner_client.get(url).json()
        seen.extend(row["id"] for row in body["results"])
        url = body["next"]
    assert sorted(seen) == sorted(p.pk for p in pledges)
    assert len(seen) == len(set(seen))


# --- deletions ----------------------------------------------------------------------


def test_deleting_a_pledge_leaves_a_tombstone_partners_can_fetch(partner_client, since):
    pledge = PledgeFactory()
    pledge_id = pledge.pk
    pledge.delete()
    body = partner_client.get(f"/api/v1/deletions/?updated_since={since}").json()
    assert [(row["resource"], row["object_id"]) for row in body["results"]] == [
        ("pledge", str(pledge_id))
    ]
    assert partner_client.get(f"/api/v1/pledges/{pledge_id}/").status_code == 404


def test_tombstones_carry_the_slug_or_reference_partners_know(partner_client):
    zone = ZoneFactory(slug="to-be-removed")
    registration = InterestRegistrationFactory(zones=[ZoneFactory()])
    reference = registration.reference
    zone.delete()
    registration.delete()
    rows = partner_client.get("/api/v1/deletions/?ordering=deleted_at").json()["results"]
    assert {(row["resource"], row["lookup"]) for row in rows} == {
        ("zone", "to-be-removed"),
        ("interest", reference),
    }


def test_deletions_can_be_filtered_by_resource(partner_client):
    PledgeFactory().delete()
    IncentiveFactory().delete()
    rows = partner_client.get("/api/v1/deletions/?resource=incentive").json()["results"]
    assert [row["resource"] for row in rows] == ["incentive"]
    both = partner_client.get("/api/v1/deletions/?resource__in=incentive,pledge").json()
    assert both["count"] == 2
    assert partner_client.get("/api/v1/deletions/?resource=contact").status_code == 400


def test_old_deletions_drop_out_of_the_window(partner_client, since):
    PledgeFactory().delete()
    Tombstone.objects.update(deleted_at=timezone.now() - datetime.timedelta(days=5))
    assert partner_client.get(f"/api/v1/deletions/?updated_since={since}").json()["count"] == 0


def test_anonymous_callers_see_only_deletions_of_public_resources(api_client):
    PledgeFactory().delete()
    CompanyFactory().delete()
    ZoneFactory(slug="gone").delete()
    rows = api_client.get("/api/v1/deletions/").json()["results"]
    assert [(row["resource"], row["lookup"]) for row in rows] == [("zone", "gone")]


def test_staff_see_every_deletion(staff_client):
    PledgeFactory().delete()
    CompanyFactory().delete()
    assert staff_client.get("/api/v1/deletions/").json()["count"] == 2


def test_untracked_models_leave_no_tombstone(db):
    from tests.factories import ContactFactory

    ContactFactory().delete()
    assert not Tombstone.objects.filter(resource="contact").exists()
    assert Tombstone.objects.filter(resource="company").count() == 0


@pytest.mark.parametrize(
    "value",
    (
        "2026-01-01T00:00:00-19:47",  # ISO allows it; PostgreSQL's offsets stop at ±15:59
        "0001-01-01T00:00:00%2B10:00",  # one hour before year 1 in UTC
        "0001-01-01",
    ),
)
def test_edge_of_range_timestamps_are_answered_not_crashed_on(partner_client, value):
    response = partner_client.get(f"/api/v1/pledges/?updated_since={value}")
    assert response.status_code in (200, 400)
