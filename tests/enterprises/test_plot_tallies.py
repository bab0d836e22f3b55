"""Plot tallies follow every plot write, and the rollout report reads them."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enterprises import summaries
from enterprises.models import Plot
from enterprises.services import plot_allocate, plot_create, plot_occupy, plot_release
from programme import reports
from programme.reports import ReportFilters, rollout_report
from tests.factories import EnterpriseFactory, PlotFactory, ZoneFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def plots():
    zones = [ZoneFactory(status="operational", name=name) for name in ("Beta", "Alpha")]
    enterprise = EnterpriseFactory(zone=zones[0])
    made = [
        plot_create(zone=zones[index % 2], number=f"A-{index}", area_m2=D(1000 + index))
        for index in range(6)
    ]
    plot_allocate(plot=made[0], enterprise=enterprise, lease_starts_on=datetime.date(2026, 1, 1))
    plot_allocate(plot=made[2], enterprise=enterprise, lease_starts_on=datetime.date(2026, 1, 1))
    plot_occupy(plot=made[2], occupied_on=datetime.date(2026, 3, 1))
    return zones, enterprise, made


def from_rows(monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(reports, "reading_as_of", lambda: True)
        # As if reading a past day: every section reads its base rows. No as_of is set,
        # so those rows are the live registry and the figures must agree.
        return rollout_report(ReportFilters())


def test_the_rollout_report_from_tallies_equals_the_plots(plots, monkeypatch):
    summarised = rollout_report(ReportFilters())
    assert [row.zone_name for row in summarised.operating_by_zone] == ["Alpha", "Beta"]
    beta = summarised.operating_by_zone[1]
    assert (beta.plot_count, beta.allocated_plot_count, beta.occupied_plot_count) == (3, 1, 1)
    assert beta.total_area_m2 == D("3006.00")
    assert summarised.operating_by_zone == from_rows(monkeypatch).operating_by_zone


def test_the_programme_rollout_reads_no_plot(plots):
    with CaptureQueriesContext(connection) as queries:
        rollout_report(ReportFilters())
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert f'"{Plot._meta.db_table}"' not in read


def test_every_plot_write_keeps_them_in_step(plots):
    zones, _enterprise, made = plots
    assert summaries.verify() == []
    plot_release(plot=made[0])
    assert summaries.verify() == []
    moved = Plot.objects.get(pk=made[1].pk)
    moved.zone = zones[0]
    moved.area_m2 = D("50.00")
    moved.save()
    assert summaries.verify() == []
    Plot.objects.get(pk=made[3].pk).delete()
    PlotFactory(zone=zones[1], area_m2=D("12.5"))
    assert summaries.verify() == []


def test_verify_names_a_stale_row_and_repair_mends_it(plots):
    zones = plots[0]
    # What a writer bypassing the signals leaves behind.
    Plot.objects.filter(zone=zones[1]).update(area_m2=D("1"))
    found = summaries.verify()
    assert found and all("plots" in difference.describe() for difference in found)
    assert summaries.verify(repair=True) == found
    assert summaries.verify() == []
