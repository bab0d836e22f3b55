from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command

from companies.models import Company
from investments.models import Pledge
from zones.models import Incentive, Zone

pytestmark = pytest.mark.django_db


def row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_seed_demo_twice_changes_no_table():
    call_command("seed_demo", verbosity=0)
    first = row_counts()
    call_command("seed_demo", verbosity=0)
    assert row_counts() == first


def test_seed_demo_builds_the_programme_of_the_article():
    call_command("seed_demo", verbosity=0)
    karachi = Zone.objects.get(slug="tpl-technology-zone-karachi")
    assert karachi.developer.name == "TPL Corp."
    assert karachi.city == "Karachi"
    assert Zone.objects.count() == 12
    assert len(set(Zone.objects.values_list("province", flat=True))) >= 5
    assert len(set(Zone.objects.values_list("status", flat=True))) >= 5
    assert Company.objects.filter(origin="global").count() == 10
    assert Company.objects.filter(origin="domestic").count() == 50
    assert set(Pledge.objects.values_list("currency", flat=True)) == {"PKR", "USD"}
    pledged = Pledge.objects.active().totals()["pledged_usd"]
    assert Decimal("1e9") <= pledged <= Decimal("2e9")
    # Every zone's current status is the last step of its history.
    for zone in Zone.objects.all():
        assert zone.status_changes.latest().status == zone.status


def test_invented_records_say_they_are_illustrative():
    call_command("seed_demo", verbosity=0)
    assert not Company.objects.exclude(description__startswith="Illustrative").exists()
    others = Zone.objects.exclude(slug="tpl-technology-zone-karachi")
    assert not others.exclude(description__startswith="Illustrative").exists()


def test_the_demo_incentives_have_urdu_names_and_descriptions():
    call_command("seed_demo", verbosity=0)
    assert Incentive.objects.count() == 3
    assert not Incentive.objects.filter(name_ur="").exists()
    assert not Incentive.objects.filter(description_ur="").exists()
