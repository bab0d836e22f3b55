"""The registration tallies follow every kind of write, and the companies report reads them."""

import datetime
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from companies import summaries
from companies.models import InterestRegistration
from companies.services import registration_transition, registration_withdraw
from core import tallies
from core.models import Tally, TallyMember
from programme import reports
from programme.reports import (
    ReportFilters,
    companies_report,
    investment_funnel,
    programme_summary,
)
from tests.factories import (
    CompanyFactory,
    InterestRegistrationFactory,
    SectorFactory,
    StaffUserFactory,
    ZoneFactory,
    accept_registration,
)

pytestmark = pytest.mark.django_db
D = Decimal


def assert_in_step():
    assert summaries.verify() == []


@pytest.fixture
def interest():
    """Registrations in several statuses, for one or two zones, by companies of both origins."""
    rng = random.Random(11)
    zones = [ZoneFactory(province="Sindh"), ZoneFactory(province="Punjab"), ZoneFactory()]
    sectors = [SectorFactory(name="Software"), SectorFactory(name="Fintech")]
    companies = [
        CompanyFactory(origin=("domestic", "global")[i % 2], sector=(*sectors, None)[i % 3])
        for i in range(6)
    ]
    registrations = []
    for _ in range(18):
        registration = InterestRegistrationFactory(
            company=rng.choice(companies),
            zones=rng.sample(zones[:2], rng.randint(1, 2)),
            planned_investment_usd=rng.choice([None, D(rng.randint(1, 90) * 10_000)]),
        )
        registrations.append(registration)
    for registration in registrations[:5]:
        accept_registration(registration)
    registration_transition(
        registration=registrations[6], status="under_review", user=StaffUserFactory()
    )
    return zones, sectors, companies, registrations


def from_base_rows(monkeypatch, function, *args):
    with monkeypatch.context() as patch:
        patch.setattr(reports, "summaries_answer", lambda filters: False)
        return function(*args)


def test_the_tallies_count_each_company_once(interest):
    _zones, _sectors, _companies, registrations = interest
    assert_in_step()
    every = tallies.totals(summaries.BY_STATUS)[summaries.ALL_STATUSES]
    assert every.count == len(registrations)
    assert every.members == len({registration.company_id for registration in registrations})
    assert every.amount == sum(r.planned_investment_usd or 0 for r in registrations)
    assert tallies.totals(summaries.BY_STATUS)["accepted"].count == 5


def test_the_companies_report_from_tallies_equals_the_base_rows(interest, monkeypatch):
    filters = ReportFilters()
    summarised = companies_report(filters)
    counted = from_base_rows(monkeypatch, companies_report, filters)
    assert summarised.totals.company_count > 0
    assert any(sector.sector == "" for sector in summarised.by_sector)
    assert summarised == counted
    assert investment_funnel(filters) == from_base_rows(monkeypatch, investment_funnel, filters)
    summary = programme_summary()
    assert summary.registrations_by_status["accepted"] == 5
    assert summary == from_base_rows(monkeypatch, programme_summary)


def test_the_programme_reports_read_no_registration(interest):
    with CaptureQueriesContext(connection) as queries:
        companies_report(ReportFilters())
        investment_funnel(ReportFilters())
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert f'"{InterestRegistration._meta.db_table}"' not in read
    assert f'"{InterestRegistration.zones.through._meta.db_table}"' not in read


def test_zone_filters_and_date_ranges_still_read_the_registrations(interest, monkeypatch):
    zones = interest[0]
    for filters in (
        ReportFilters(zone_ids=(zones[0].pk,)),
        ReportFilters(date_from=datetime.date(2020, 1, 1)),
    ):
        assert not reports._tallies_answer(filters)
        assert companies_report(filters) == from_base_rows(monkeypatch, companies_report, filters)


def test_every_kind_of_write_keeps_them_in_step(interest, monkeypatch):
    zones, sectors, _companies, registrations = interest
    first, second, third = registrations[7], registrations[8], registrations[9]

    registration_withdraw(registration=first, user=StaffUserFactory())
    assert_in_step()
    second.planned_investment_usd = D("123.45")
    second.save()
    assert_in_step()

    second.zones.add(zones[2])
    second.zones.remove(zones[0])
    assert_in_step()
    zones[1].registrations.add(third)
    zones[1].registrations.remove(second)
    assert_in_step()
    zones[0].registrations.clear()
    assert_in_step()

    # A company moving origin or sector moves its registrations' company with it.
    company = third.company
    company.origin = "global" if company.origin == "domestic" else "domestic"
    company.sector = sectors[1] if company.sector != sectors[1] else sectors[0]
    company.save()
    assert_in_step()

    # Deletes the ORM does with an UPDATE or a cascade, without save signals.
    sectors[0].delete()
    assert_in_step()
    zones[2].delete()
    assert_in_step()
    registrations[10].delete()
    assert_in_step()

    assert companies_report(ReportFilters()) == from_base_rows(
        monkeypatch, companies_report, ReportFilters()
    )


def test_verify_finds_and_repair_fixes_a_stale_tally(interest):
    Tally.objects.filter(scope=summaries.BY_STATUS, key=summaries.ALL_STATUSES).update(members=0)
    TallyMember.objects.filter(scope=summaries.BY_ZONE).first().delete()
    found = summaries.verify()
    assert {difference.table for difference in found} == {"tally", "tally member"}
    assert summaries.verify(repair=True) == found
    assert_in_step()


def test_a_new_registration_for_a_company_counts_it_once(interest):
    zones, _sectors, companies, _registrations = interest
    company = companies[0]
    before = tallies.totals(summaries.BY_STATUS)[summaries.ALL_STATUSES]
    already = InterestRegistration.objects.filter(company=company).exists()
    InterestRegistrationFactory(company=company, zones=[zones[0]])
    after = tallies.totals(summaries.BY_STATUS)[summaries.ALL_STATUSES]
    assert after.count == before.count + 1
    assert after.members == before.members + (0 if already else 1)
    newcomer = CompanyFactory()
    InterestRegistrationFactory(company=newcomer, zones=[zones[0]])
    assert tallies.totals(summaries.BY_STATUS)[summaries.ALL_STATUSES].members == (
        after.members + 1
    )
    assert_in_step()
