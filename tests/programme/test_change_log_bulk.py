"""generate_data writes around the signals; its rows still reach the change log."""

from io import StringIO

import pytest
from django.core.management import call_command

from companies.models import Company, InterestRegistration
from investments.models import Pledge
from programme.models import Change
from tests.factories import ZoneFactory
from zones.models import Zone

pytestmark = pytest.mark.django_db

TINY = {"zones": 3, "companies": 10, "pledges": 30, "registrations": 8}


def logged(resource, kind="upsert"):
    return set(
        Change.objects.filter(resource=resource, kind=kind).values_list("object_id", flat=True)
    )


def test_generated_rows_are_logged_as_upserts_with_their_lookup():
    call_command("generate_data", no_progress=True, stdout=StringIO(), **TINY)
    assert logged("pledge") == set(Pledge.objects.values_list("pk", flat=True))
    assert logged("company") == set(Company.objects.values_list("pk", flat=True))
    assert logged("interest") == set(InterestRegistration.objects.values_list("pk", flat=True))
    zone = Zone.objects.first()
    assert Change.objects.filter(resource="zone", object_id=zone.pk, lookup=zone.slug).exists()


def test_a_flush_logs_a_delete_for_every_generated_row_and_spares_the_rest():
    real_zone = ZoneFactory()
    call_command("generate_data", no_progress=True, stdout=StringIO(), **TINY)
    generated_pledges = set(Pledge.objects.values_list("pk", flat=True))
    generated_zones = set(Zone.objects.exclude(pk=real_zone.pk).values_list("pk", flat=True))
    call_command("generate_data", "--flush", no_progress=True, stdout=StringIO())
    assert logged("pledge", "delete") == generated_pledges
    assert logged("zone", "delete") == generated_zones
    assert Zone.objects.filter(pk=real_zone.pk).exists()
