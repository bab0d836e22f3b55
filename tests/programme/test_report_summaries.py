"""Reports read from the summary rows give exactly what the pledge tables give."""

import datetime
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from investments.models import Disbursement, Pledge
from investments.services import disbursement_record, pledge_update
from programme import reports
from programme.reports import ReportFilters, investment_report, pledge_totals, target_progress
from tests.factories import CompanyFactory, PledgeFactory, TargetFactory, ZoneFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def programme():
    """Pledges in every status over two years, with tranches, in two provinces."""
    rng = random.Random(7)
    zones = [ZoneFactory(province="Sindh"), ZoneFactory(province="Punjab"), ZoneFactory()]
    companies = [CompanyFactory(origin=("domestic", "global")[i % 2]) for i in range(5)]
    for _ in range(40):
        pledge = PledgeFactory(
            zone=rng.choice(zones[:2]),
            company=rng.choice(companies),
            amount=D(rng.randint(1, 900) * 1000),
            pledged_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=rng.randint(0, 700)),
        )
        for _ in range(rng.randint(0, 2)):
            disbursement_record(
                pledge=pledge,
                amount=D(rng.randint(1, 100)),
                disbursed_on=pledge.pledged_on + datetime.timedelta(days=rng.randint(0, 200)),
            )
        pledge_update(
            pledge=pledge,
            status=rng.choice(["announced", "committed", "in_progress", "realized", "cancelled"]),
        )
    # Zones of the third kind have no pledges at all, and still show in the reports.
    assert Pledge.objects.filter(zone=zones[2]).count() == 0
    return zones


def from_pledges(monkeypatch, function, *args):
    with monkeypatch.context() as patch:
        patch.setattr(reports, "summaries_answer", lambda filters: False)
        return function(*args)


@pytest.mark.parametrize(
    "scope", ["programme", "one zone", "province", "two zones"], ids=lambda scope: scope
)
def test_investment_report_from_summary_rows_equals_the_pledge_tables(
    programme, monkeypatch, scope
):
    filters = {
        "programme": ReportFilters(),
        "one zone": ReportFilters(zone_ids=(programme[0].pk,)),
        "province": ReportFilters(province="punjab"),
        "two zones": ReportFilters(zone_ids=(programme[1].pk, programme[2].pk)),
    }[scope]

    summarised = investment_report(filters)
    counted = from_pledges(monkeypatch, investment_report, filters)

    assert summarised.totals.pledge_count > 0
    assert summarised == counted
    assert pledge_totals(filters) == from_pledges(monkeypatch, pledge_totals, filters)


def test_the_summary_rows_are_read_instead_of_the_pledges(programme):
    with CaptureQueriesContext(connection) as queries:
        investment_report(ReportFilters())
    pledge_table = Pledge._meta.db_table
    disbursement_table = Disbursement._meta.db_table
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert f'"{pledge_table}"' not in read
    assert f'"{disbursement_table}"' not in read


def test_a_date_range_reads_the_pledges_and_agrees(programme, monkeypatch):
    filters = ReportFilters(date_from=datetime.date(2025, 3, 15), date_to=datetime.date(2026, 2, 1))
    assert not reports.summaries_answer(filters)
    assert investment_report(filters) == from_pledges(monkeypatch, investment_report, filters)


@pytest.mark.parametrize(
    ("metric", "start", "due"),
    [
        ("pledged_usd", datetime.date(2025, 4, 1), datetime.date(2026, 3, 31)),
        ("realized_usd", datetime.date(2025, 1, 1), datetime.date(2026, 12, 31)),
        ("pledged_usd", datetime.date(2025, 4, 2), datetime.date(2026, 3, 31)),
        ("realized_usd", datetime.date(2025, 7, 1), datetime.date(2026, 5, 30)),
    ],
)
def test_target_progress_from_summary_rows_equals_the_pledge_tables(
    programme, monkeypatch, metric, start, due
):
    target = TargetFactory(metric=metric, start_date=start, due_date=due)
    summarised = target_progress(target)
    with monkeypatch.context() as patch:
        patch.setattr(reports, "_whole_quarters", lambda start, end: False)
        counted = target_progress(target)
    assert summarised.current_value > 0
    assert summarised == counted
