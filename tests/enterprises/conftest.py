import datetime

import pytest

from tests.factories import (
    InterestRegistrationFactory,
    StaffUserFactory,
    ZoneFactory,
    accept_registration,
)


@pytest.fixture
def maker(db):
    return StaffUserFactory(username="maker")


@pytest.fixture
def checker(db):
    return StaffUserFactory(username="checker")


@pytest.fixture
def accepted_registration(db, checker):
    """A registration for one operational zone, reviewed, recommended and accepted."""
    registration = InterestRegistrationFactory(
        zones=[ZoneFactory(status="operational")], message="Cloud services for banks"
    )
    accept_registration(registration, accepter=checker)
    registration.refresh_from_db()
    return registration


@pytest.fixture
def issued_on():
    return datetime.date(2025, 9, 1)
