import pytest
from django.contrib.auth.models import Group

from tests.factories import StaffUserFactory


def user_in_role(role, username):
    """A staff user whose only permissions come from the named role group."""
    user = StaffUserFactory(username=username)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def data_entry_user(db):
    return user_in_role("Data entry", "clerk")


@pytest.fixture
def reviewer_user(db):
    return user_in_role("Reviewer", "reviewer")


@pytest.fixture
def second_reviewer_user(db):
    return user_in_role("Reviewer", "reviewer-two")


@pytest.fixture
def analyst_user(db):
    return user_in_role("Analyst", "analyst")


@pytest.fixture
def admin_client_for(client):
    """Log the test client in as `user` (no password round trip, so login throttling stays out)."""

    def login(user):
        client.force_login(user)
        return client

    return login
