"""The change log: what each kind of write records, in the writer's own transaction."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from investments.services import disbursement_record
from programme.models import Change, Tombstone
from tests.factories import (
    CompanyFactory,
    IncentiveFactory,
    InterestRegistrationFactory,
    PledgeFactory,
    SectorFactory,
    ZoneFactory,
    ZoneStatusChangeFactory,
)

pytestmark = pytest.mark.django_db


def logged(since=0):
    """{(resource, id, kind)} of the entries written after sequence number `since`."""
    return set(Change.objects.filter(seq__gt=since).values_list("resource", "object_id", "kind"))


def mark():
    return Change.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def backdate(*instances):
    for instance in instances:
        type(instance).objects.filter(pk=instance.pk).update(
            updated=timezone.now() - datetime.timedelta(days=3)
        )


def updated_recently(instance):
    instance.refresh_from_db(fields=["updated"])
    return instance.updated > timezone.now() - datetime.timedelta(minutes=1)


def test_a_save_logs_an_upsert_with_the_slug_partners_know():
    zone = ZoneFactory(slug="karachi-tz")
    entry = Change.objects.filter(resource="zone", object_id=zone.pk).last()
    assert (entry.kind, entry.lookup) == ("upsert", "karachi-tz")


def test_a_delete_logs_a_delete_naming_the_old_id_and_a_tombstone():
    zone = ZoneFactory(slug="gone")
    zone_id, before = zone.pk, mark()
    zone.delete()
    assert ("zone", zone_id, "delete") in logged(before)
    assert Tombstone.objects.filter(resource="zone", object_id=str(zone_id)).exists()


def test_a_zone_recreated_with_the_same_slug_is_a_new_id_in_the_log():
    old = ZoneFactory(slug="phoenix")
    old_id = old.pk
    old.delete()
    new = ZoneFactory(slug="phoenix", developer=old.developer)
    entries = list(
        Change.objects.filter(resource="zone", lookup="phoenix").values_list("object_id", "kind")
    )
    assert entries[-2:] == [(old_id, "delete"), (new.pk, "upsert")]
    assert new.pk != old_id


def test_the_entry_is_rolled_back_with_the_change():
    before = mark()
    with pytest.raises(IntegrityError), transaction.atomic():
        ZoneFactory(slug="doomed")
        ZoneFactory(slug="doomed")  # unique slug: the whole transaction goes
    assert logged(before) == set()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="transaction ids are PostgreSQL's")
def test_on_postgresql_each_entry_records_its_transaction():
    with transaction.atomic():
        first = ZoneFactory()
        second = CompanyFactory()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_xact_id()::text::bigint")
            xact_id = cursor.fetchone()[0]
    ids = set(
        Change.objects.filter(object_id__in=(first.pk, second.pk)).values_list("xact_id", flat=True)
    )
    assert ids == {xact_id}


def test_a_deleted_pledge_changes_its_zone_and_company_and_bumps_their_updated():
    pledge = PledgeFactory()
    zone, company = pledge.zone, pledge.company
    backdate(zone, company)
    before = mark()
    pledge_id = pledge.pk
    pledge.delete()
    assert logged(before) == {
        ("pledge", pledge_id, "delete"),
        ("zone", zone.pk, "upsert"),
        ("company", company.pk, "upsert"),
    }
    assert updated_recently(zone) and updated_recently(company)


def test_a_pledge_moved_to_another_zone_changes_both_zones():
    pledge = PledgeFactory()
    old_zone, new_zone = pledge.zone, ZoneFactory()
    before = mark()
    pledge.zone = new_zone
    pledge.save()
    assert {("zone", old_zone.pk, "upsert"), ("zone", new_zone.pk, "upsert")} <= logged(before)


def test_a_disbursement_changes_its_pledge_zone_and_company():
    pledge = PledgeFactory(status="committed")
    backdate(pledge, pledge.zone, pledge.company)
    before = mark()
    disbursement_record(
        pledge=pledge, amount=Decimal("10.00"), disbursed_on=datetime.date(2026, 6, 1)
    )
    assert {
        ("pledge", pledge.pk, "upsert"),
        ("zone", pledge.zone_id, "upsert"),
        ("company", pledge.company_id, "upsert"),
    } <= logged(before)
    assert updated_recently(pledge.zone) and updated_recently(pledge.company)


def test_a_registration_changes_its_companys_count():
    company = CompanyFactory()
    before = mark()
    registration = InterestRegistrationFactory(company=company)
    assert {("interest", registration.pk, "upsert"), ("company", company.pk, "upsert")} <= logged(
        before
    )


def test_a_rollout_step_changes_its_zone():
    zone = ZoneFactory()
    backdate(zone)
    before = mark()
    ZoneStatusChangeFactory(zone=zone)
    assert ("zone", zone.pk, "upsert") in logged(before)
    assert updated_recently(zone)


def test_renaming_a_company_changes_the_pledges_and_registrations_showing_its_name():
    pledge = PledgeFactory()
    company = pledge.company
    registration = InterestRegistrationFactory(company=company)
    unrelated = PledgeFactory()
    before = mark()
    company.name = "Renamed Ltd"
    company.save()
    assert logged(before) == {
        ("company", company.pk, "upsert"),
        ("pledge", pledge.pk, "upsert"),
        ("interest", registration.pk, "upsert"),
    }
    assert ("pledge", unrelated.pk, "upsert") not in logged(before)


def test_a_save_that_changes_nothing_shown_elsewhere_logs_only_the_row():
    pledge = PledgeFactory()
    company = pledge.company
    before = mark()
    company.website = "https://example.com"
    company.save()
    assert logged(before) == {("company", company.pk, "upsert")}


def test_renaming_a_zone_changes_its_pledges_and_registrations():
    pledge = PledgeFactory()
    zone = pledge.zone
    registration = InterestRegistrationFactory(zones=[zone])
    before = mark()
    zone.name = "Renamed Zone"
    zone.save()
    assert {("pledge", pledge.pk, "upsert"), ("interest", registration.pk, "upsert")} <= logged(
        before
    )


def test_renaming_a_developer_changes_its_zones():
    zone = ZoneFactory()
    before = mark()
    developer = zone.developer
    developer.name = "New Name"
    developer.save()
    assert logged(before) == {("developer", developer.pk, "upsert"), ("zone", zone.pk, "upsert")}


def test_renaming_a_sector_changes_its_zones_and_companies():
    sector = SectorFactory()
    zone, company = ZoneFactory(), CompanyFactory(sector=sector)
    zone.sectors.add(sector)
    before = mark()
    sector.name = "Renamed sector"
    sector.save()
    assert logged(before) == {("zone", zone.pk, "upsert"), ("company", company.pk, "upsert")}


def test_deleting_a_sector_changes_the_companies_that_lose_it():
    sector = SectorFactory()
    company, zone = CompanyFactory(sector=sector), ZoneFactory()
    zone.sectors.add(sector)
    before = mark()
    sector.delete()
    assert logged(before) == {("zone", zone.pk, "upsert"), ("company", company.pk, "upsert")}


def test_linking_an_incentive_changes_the_zone_and_the_incentives_count():
    zone, incentive = ZoneFactory(), IncentiveFactory()
    before = mark()
    zone.incentives.add(incentive)
    assert logged(before) == {("zone", zone.pk, "upsert"), ("incentive", incentive.pk, "upsert")}
    before = mark()
    incentive.zones.clear()
    assert logged(before) == {("zone", zone.pk, "upsert"), ("incentive", incentive.pk, "upsert")}


def test_changing_an_incentives_slug_changes_the_zones_showing_it():
    zone, incentive = ZoneFactory(), IncentiveFactory()
    zone.incentives.add(incentive)
    before = mark()
    incentive.slug = "new-slug"
    incentive.save()
    assert ("zone", zone.pk, "upsert") in logged(before)


def test_deleting_a_zone_changes_registrations_incentives_and_its_developer():
    zone, incentive = ZoneFactory(), IncentiveFactory()
    zone.incentives.add(incentive)
    registration = InterestRegistrationFactory(zones=[zone, ZoneFactory()])
    before = mark()
    zone_id, developer_id = zone.pk, zone.developer_id
    zone.delete()
    assert logged(before) == {
        ("zone", zone_id, "delete"),
        ("interest", registration.pk, "upsert"),
        ("incentive", incentive.pk, "upsert"),
        ("developer", developer_id, "upsert"),
    }


def test_deleting_a_registration_changes_its_pledges_and_company():
    registration = InterestRegistrationFactory()
    pledge = PledgeFactory(company=registration.company, registration=registration)
    before = mark()
    registration_id = registration.pk
    registration.delete()
    assert logged(before) == {
        ("interest", registration_id, "delete"),
        ("pledge", pledge.pk, "upsert"),
        ("company", registration.company_id, "upsert"),
    }


def test_the_database_refuses_an_entry_of_an_unknown_kind():
    with pytest.raises(IntegrityError), transaction.atomic():
        Change.objects.create(resource="zone", object_id=1, kind="rename")


def test_the_database_refuses_an_entry_of_an_unknown_resource():
    with pytest.raises(IntegrityError), transaction.atomic():
        Change.objects.create(resource="contact", object_id=1, kind="upsert")
