"""The review queue's rules, in the services: log, two-person acceptance, information requests."""

import pytest
from django.core.exceptions import ValidationError

from companies.models import ReviewLogEntry
from companies.services import (
    registration_add_note,
    registration_assign,
    registration_recommend,
    registration_transition,
)
from tests.factories import InterestRegistrationFactory, StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officers():
    return StaffUserFactory(username="first"), StaffUserFactory(username="second")


def test_every_step_is_appended_to_the_log_never_overwritten(officers):
    first, second = officers
    registration = InterestRegistrationFactory()
    registration_transition(registration=registration, status="under_review", user=first, note="A")
    registration_add_note(registration=registration, user=first, note="Called the company.")
    registration_recommend(registration=registration, user=first, note="B")
    registration_transition(registration=registration, status="accepted", user=second, note="C")
    log = list(registration.review_log.values_list("action", "user__username", "note"))
    assert log == [
        ("under_review", "first", "A"),
        ("note", "first", "Called the company."),
        ("recommended", "first", "B"),
        ("accepted", "second", "C"),
    ]
    accepted = registration.review_log.get(action="accepted")
    assert (accepted.from_status, accepted.to_status) == ("under_review", "accepted")


def test_acceptance_needs_a_recommendation_first(officers):
    first, _ = officers
    registration = InterestRegistrationFactory(status="under_review")
    with pytest.raises(ValidationError, match="has not been recommended"):
        registration_transition(registration=registration, status="accepted", user=first)
    registration.refresh_from_db()
    assert registration.status == "under_review"
    assert not ReviewLogEntry.objects.exists()


def test_the_recommender_cannot_also_accept(officers):
    first, second = officers
    registration = InterestRegistrationFactory(status="under_review")
    registration_recommend(registration=registration, user=first)
    with pytest.raises(ValidationError, match="two-person rule"):
        registration_transition(registration=registration, status="accepted", user=first)
    registration_transition(registration=registration, status="accepted", user=second)
    registration.refresh_from_db()
    assert (registration.status, registration.recommended_by, registration.reviewer) == (
        "accepted",
        first,
        second,
    )


def test_recommending_twice_or_out_of_review_is_refused(officers):
    first, second = officers
    received = InterestRegistrationFactory(status="received")
    with pytest.raises(ValidationError, match="only a registration under review"):
        registration_recommend(registration=received, user=first)
    registration = InterestRegistrationFactory(status="under_review")
    registration_recommend(registration=registration, user=first)
    with pytest.raises(ValidationError, match="already recommended"):
        registration_recommend(registration=registration, user=second)


def test_information_request_goes_back_to_review_and_needs_a_fresh_recommendation(officers):
    first, second = officers
    registration = InterestRegistrationFactory(status="under_review")
    registration_recommend(registration=registration, user=first)
    registration_transition(
        registration=registration, status="information_requested", user=second, note="Plans?"
    )
    registration.refresh_from_db()
    assert registration.status == "information_requested"
    assert registration.recommended_by is None
    with pytest.raises(ValidationError, match="cannot move"):
        registration_transition(registration=registration, status="accepted", user=second)
    registration_transition(registration=registration, status="under_review", user=second)
    with pytest.raises(ValidationError, match="has not been recommended"):
        registration_transition(registration=registration, status="accepted", user=second)


def test_assignment_is_logged_and_only_staff_can_be_assigned(officers):
    first, second = officers
    registration = InterestRegistrationFactory()
    registration_assign(registration=registration, officer=second, user=first)
    registration.refresh_from_db()
    assert registration.assigned_to == second
    assert registration.review_log.get().note == "Assigned to second."
    with pytest.raises(ValidationError, match="not a staff member"):
        registration_assign(registration=registration, officer=UserFactory(), user=first)
    # Assigning to the same officer again records nothing new.
    registration_assign(registration=registration, officer=second, user=first)
    assert registration.review_log.count() == 1


def test_an_empty_note_is_refused(officers):
    registration = InterestRegistrationFactory()
    with pytest.raises(ValidationError):
        registration_add_note(registration=registration, user=officers[0], note="  ")
    assert not ReviewLogEntry.objects.exists()
