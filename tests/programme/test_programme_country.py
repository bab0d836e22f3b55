"""Targets and headline figures count the programme's own zones, not imported foreign ones."""

from decimal import Decimal

import pytest
from django.urls import reverse

from programme.reports import programme_summary, target_progress
from tests.factories import TargetFactory, ZoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def zones_at_home_and_abroad():
    ZoneFactory.create_batch(2, country="PK", status="operational", name="Karachi Zone")
    ZoneFactory.create_batch(3, country="ID", status="operational", name="Batang KEK")


def test_zones_operational_target_counts_only_the_programme_country(zones_at_home_and_abroad):
    target = TargetFactory(metric="zones_operational", target_value=Decimal("12"))
    progress = target_progress(target)
    assert progress.current_value == 2
    assert progress.percent_reached == Decimal("16.7")


def test_headline_zone_figures_count_only_the_programme_country(zones_at_home_and_abroad):
    summary = programme_summary()
    assert summary.zone_count == 2
    assert summary.zones_by_status["operational"] == 2


def test_programme_country_is_a_setting(zones_at_home_and_abroad, settings):
    settings.PROGRAMME_COUNTRY = "ID"
    assert programme_summary().zone_count == 3


def test_home_page_features_only_the_programme_zones(zones_at_home_and_abroad, client):
    body = client.get(reverse("public:home")).content.decode()
    assert "Karachi Zone" in body
    assert "Batang KEK" not in body
