import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.factories import ZoneFactory
from zones.services import zone_change_status

pytestmark = pytest.mark.django_db

D = datetime.date


def test_status_history_is_ordered_by_date_and_zone_takes_the_latest_status():
    zone = ZoneFactory(status="proposed")
    zone_change_status(zone=zone, status="proposed", changed_on=D(2025, 1, 1))
    zone_change_status(zone=zone, status="approved", changed_on=D(2025, 3, 1))
    zone_change_status(zone=zone, status="under_development", changed_on=D(2025, 3, 1))
    zone_change_status(zone=zone, status="operational", changed_on=D(2026, 2, 1))

    history = list(zone.status_changes.values_list("status", "changed_on"))
    assert history == [
        ("proposed", D(2025, 1, 1)),
        ("approved", D(2025, 3, 1)),
        ("under_development", D(2025, 3, 1)),
        ("operational", D(2026, 2, 1)),
    ]
    zone.refresh_from_db()
    assert zone.status == "operational"
    assert zone.status_changes.latest().status == zone.status
    assert zone.actual_opening_date == D(2026, 2, 1)


def test_first_recorded_step_may_be_any_status():
    zone = ZoneFactory(status="proposed")
    zone_change_status(zone=zone, status="under_development", changed_on=D(2025, 1, 1))
    assert zone.status == "under_development"


def test_invalid_transition_is_refused_and_nothing_is_written():
    zone = ZoneFactory(status="proposed")
    zone_change_status(zone=zone, status="proposed", changed_on=D(2025, 1, 1))
    with pytest.raises(ValidationError) as error:
        zone_change_status(zone=zone, status="operational", changed_on=D(2025, 2, 1))
    assert "cannot become operational" in str(error.value)
    assert zone.status_changes.count() == 1
    zone.refresh_from_db()
    assert zone.status == "proposed"


def test_cancelled_zone_cannot_move_again():
    zone = ZoneFactory()
    zone_change_status(zone=zone, status="cancelled", changed_on=D(2025, 1, 1))
    with pytest.raises(ValidationError, match="cancellation is final"):
        zone_change_status(zone=zone, status="approved", changed_on=D(2025, 2, 1))


def test_step_dated_before_the_last_one_is_refused():
    zone = ZoneFactory()
    zone_change_status(zone=zone, status="approved", changed_on=D(2025, 5, 1))
    with pytest.raises(ValidationError, match="cannot be dated earlier"):
        zone_change_status(zone=zone, status="under_development", changed_on=D(2025, 4, 1))


def test_unknown_status_is_refused():
    zone = ZoneFactory()
    with pytest.raises(ValidationError):
        zone_change_status(zone=zone, status="opened", changed_on=D(2025, 5, 1))
    assert zone.status_changes.count() == 0
