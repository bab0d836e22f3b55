import datetime

import pytest

from companies.services import registration_transition
from tests.factories import InterestRegistrationFactory, StaffUserFactory, ZoneFactory


@pytest.fixture
def maker(db):
    return StaffUserFactory(username="maker")


@pytest.fixture
def checker(db):
    return StaffUserFactory(username="checker")


@pytest.fixture
def accepted_registration(db, checker):
    """A registration for one operational zone, reviewed and accepted."""
    registration = InterestRegistrationFactory(
        zones=[ZoneFactory(status="operational")], message="Cloud services for banks"
    )
    registration_transition(registration=registration, status="under_review", user=checker)
    registration_transition(registration=registration, status="accepted", user=checker)
    return registration


@pytest.fixture
def issued_on():
    return datetime.date(2025, 9, 1)
