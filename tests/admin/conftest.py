import pytest

from tests.admin.roles import user_in_role


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
