"""Zone constraints hold in the database even when forms and full_clean are bypassed."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from tests.factories import ZoneDeveloperFactory, ZoneFactory
from zones.models import Zone, ZoneDeveloper

pytestmark = pytest.mark.django_db


def _refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


@pytest.mark.parametrize(
    "field, value",
    [
        ("latitude", Decimal("90.5")),
        ("latitude", Decimal("-91")),
        ("longitude", Decimal("180.1")),
        ("longitude", Decimal("-200")),
        ("area_hectares", Decimal("0")),
        ("area_hectares", Decimal("-5")),
        ("status", "opened"),
    ],
)
def test_database_refuses_invalid_zone_values(field, value):
    developer = ZoneDeveloperFactory()
    _refused(
        lambda: Zone.objects.create(
            name="Bad", slug="bad", developer=developer, city="X", province="Y", **{field: value}
        )
    )


def test_database_refuses_bad_value_written_by_update():
    zone = ZoneFactory()
    _refused(lambda: Zone.objects.filter(pk=zone.pk).update(latitude=Decimal("123")))


def test_zone_slug_is_unique():
    ZoneFactory(slug="karachi")
    _refused(lambda: ZoneFactory(slug="karachi"))


def test_developer_licence_cannot_expire_before_issue():
    _refused(
        lambda: ZoneDeveloper.objects.create(
            name="D",
            slug="d",
            licence_issued_on="2026-01-01",
            licence_expires_on="2025-12-31",
        )
    )


def test_zone_with_boundary_coordinates_is_accepted():
    zone = ZoneFactory(latitude=Decimal("-90"), longitude=Decimal("180"))
    zone.refresh_from_db()
    assert zone.latitude == Decimal("-90")
