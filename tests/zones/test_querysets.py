import pytest

from tests.factories import ZoneFactory
from zones.models import Zone

pytestmark = pytest.mark.django_db


def test_count_by_status_lists_every_status():
    ZoneFactory(status="operational")
    ZoneFactory(status="operational")
    ZoneFactory(status="proposed")
    counts = Zone.objects.count_by_status()
    assert counts["operational"] == 2
    assert counts["proposed"] == 1
    assert counts["cancelled"] == 0
    assert set(counts) == {
        "proposed",
        "approved",
        "under_development",
        "operational",
        "suspended",
        "cancelled",
    }
