"""generate_data's operating zone keeps every rule the services keep (COPY on PostgreSQL)."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from enterprises.fiscal import fiscal_year_bounds
from enterprises.models import AnnualReturn, Enterprise, Plot
from tests.scale.test_generate_data import TINY, _Null

pytestmark = pytest.mark.django_db

OPERATING = {"enterprises": 120, "plots": 300, "returns": 400}


def generate(**options):
    call_command("generate_data", no_progress=True, stdout=_Null(), **{**TINY, **options})


def test_generated_operating_zone_obeys_the_rules():
    generate(**OPERATING)

    assert Enterprise.objects.count() == 120
    assert Plot.objects.count() == 300
    assert AnnualReturn.objects.count() == 400
    for enterprise in Enterprise.objects.all():
        enterprise.full_clean()
    assert Enterprise.objects.expired().exists()

    held = Plot.objects.exclude(status="vacant").select_related("enterprise")
    assert held.exists() and Plot.objects.filter(status="vacant").exists()
    today = datetime.date(2026, 10, 31)
    for plot in held:
        assert plot.enterprise.zone_id == plot.zone_id
        assert plot.enterprise.status == "licensed"
        assert plot.enterprise.expires_on > today

    for annual_return in AnnualReturn.objects.select_related("enterprise"):
        annual_return.full_clean()
        _, year_end = fiscal_year_bounds(annual_return.fiscal_year)
        assert year_end >= annual_return.enterprise.issued_on
    assert AnnualReturn.objects.filter(employees_women__gt=F("employees_total")).count() == 0
    assert AnnualReturn.objects.overdue().exists()
    assert AnnualReturn.objects.with_compliance().filter(filed_late=True).exists()


def test_flush_removes_the_operating_zone_too():
    generate(**OPERATING)
    call_command("generate_data", flush=True, no_progress=True, stdout=_Null())
    assert not Enterprise.objects.exists()
    assert not Plot.objects.exists()
    assert not AnnualReturn.objects.exists()


def test_enterprises_need_zones_and_companies():
    with pytest.raises(CommandError, match="need --zones and --companies"):
        call_command("generate_data", enterprises=5, no_progress=True, stdout=_Null())


def test_scale_l_has_the_operating_zone_of_issue_11():
    from programme.management.commands.generate_data import SCALES

    assert {key: SCALES["L"][key] for key in OPERATING} == {
        "enterprises": 20_000,
        "plots": 60_000,
        "returns": 100_000,
    }
