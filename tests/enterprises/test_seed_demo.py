"""The demo's operating picture: believable, illustrative and the same on a second run."""

import pytest
from django.core.management import call_command

from enterprises.models import AnnualReturn, Enterprise, LicenceEvent, Plot

pytestmark = pytest.mark.django_db


def test_seed_demo_licenses_enterprises_with_plots_and_two_years_of_returns():
    call_command("seed_demo", verbosity=0)

    licensed = Enterprise.objects.in_force()
    assert licensed.count() >= 10
    assert not licensed.exclude(zone__status="operational").exists()
    assert LicenceEvent.objects.filter(kind="issued").count() == licensed.count()
    # Every licence came through maker-checker.
    assert not Enterprise.objects.filter(approved_by=None).exists()

    occupancy = Plot.objects.occupancy()
    assert 0 < occupancy["occupancy_pct"] < 100
    assert occupancy["occupied_count"] and occupancy["allocated_count"]
    assert not Plot.objects.exclude(note__startswith="Illustrative").exists()

    years = set(AnnualReturn.objects.values_list("fiscal_year", flat=True))
    assert years == {"2024-25", "2025-26"}
    compliance = AnnualReturn.objects.with_compliance()
    assert compliance.filter(filed_late=True).exists()
    assert compliance.filter(is_overdue=True).exists()
    assert AnnualReturn.objects.filter(status="returned").exists()

    def counts():
        return [model.objects.count() for model in (Enterprise, Plot, AnnualReturn, LicenceEvent)]

    before = counts()
    call_command("seed_demo", verbosity=0)
    assert counts() == before
