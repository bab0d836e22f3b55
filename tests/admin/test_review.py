"""Reviewing interest registrations in the admin: actions, change-page buttons, maker-checker."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.factories import InterestRegistrationFactory, StaffUserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:companies_interestregistration_changelist"


def run_action(client, action, registrations, note="", confirm=True):
    data = {
        "action": action,
        ACTION_CHECKBOX_NAME: [registration.pk for registration in registrations],
        "index": "0",
    }
    if confirm:
        data.update({"confirm_review": "yes", "note": note})
    return client.post(reverse(CHANGELIST), data, follow=confirm)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def review_on_change_page(client, registration, status, note=""):
    return client.post(
        reverse("admin:companies_interestregistration_review", args=(registration.pk,)),
        {"status": status, "note": note},
        follow=True,
    )


def test_action_first_asks_for_a_note_then_moves_the_registrations(client, reviewer_user):
    registrations = InterestRegistrationFactory.create_batch(2)
    client.force_login(reviewer_user)

    confirmation = run_action(client, "mark_under_review", registrations, confirm=False)
    assert confirmation.status_code == 200
    assert "“Move to under review” for these registrations?" in confirmation.content.decode()
    for registration in registrations:
        registration.refresh_from_db()
        assert registration.status == "received"

    response = run_action(client, "mark_under_review", registrations, note="Complete file.")
    assert response.status_code == 200
    for registration in registrations:
        registration.refresh_from_db()
        assert registration.status == "under_review"
        assert registration.reviewer == reviewer_user
        assert registration.reviewed_at is not None
        assert registration.review_note == "Complete file."


def test_invalid_transition_is_refused_with_the_services_message(client, reviewer_user):
    registration = InterestRegistrationFactory(status="received")
    client.force_login(reviewer_user)
    response = run_action(client, "accept", [registration])
    registration.refresh_from_db()
    assert registration.status == "received"
    assert any(
        f"Registration {registration.reference} is received; it cannot move to" in message
        for message in messages_of(response)
    )


def test_one_refused_registration_does_not_stop_the_others(
    client, reviewer_user, second_reviewer_user
):
    ready = InterestRegistrationFactory(status="under_review", recommended_by=second_reviewer_user)
    declined = InterestRegistrationFactory(status="declined")
    client.force_login(reviewer_user)
    response = run_action(client, "accept", [ready, declined])
    ready.refresh_from_db()
    declined.refresh_from_db()
    assert (ready.status, declined.status) == ("accepted", "declined")
    assert any("cannot move" in message for message in messages_of(response))


def test_maker_cannot_accept_the_registration_they_entered(
    client, reviewer_user, second_reviewer_user
):
    registration = InterestRegistrationFactory(
        status="under_review",
        channel="staff",
        submitted_by=reviewer_user,
        recommended_by=StaffUserFactory(),
    )
    client.force_login(reviewer_user)
    response = review_on_change_page(client, registration, "accepted")
    registration.refresh_from_db()
    assert registration.status == "under_review"
    assert any("maker-checker" in message for message in messages_of(response))

    client.force_login(second_reviewer_user)
    review_on_change_page(client, registration, "accepted", note="Checked by a second pair.")
    registration.refresh_from_db()
    assert registration.status == "accepted"
    assert registration.reviewer == second_reviewer_user


def test_maker_may_still_decline(client, reviewer_user):
    registration = InterestRegistrationFactory(
        status="under_review", channel="staff", submitted_by=reviewer_user
    )
    client.force_login(reviewer_user)
    review_on_change_page(client, registration, "declined", note="Out of scope.")
    registration.refresh_from_db()
    assert (registration.status, registration.review_note) == ("declined", "Out of scope.")


def test_change_page_offers_only_the_next_review_steps(client, reviewer_user):
    registration = InterestRegistrationFactory(status="under_review")
    client.force_login(reviewer_user)
    response = client.get(
        reverse("admin:companies_interestregistration_change", args=(registration.pk,))
    )
    assert response.status_code == 200
    assert response.context["review_steps"] == [
        ("recommend", "Recommend for acceptance"),
        ("information_requested", "Request information"),
        ("accepted", "Accept"),
        ("declined", "Decline"),
    ]
    assert 'value="accepted"' in response.content.decode()


def test_review_view_refuses_unknown_steps_and_get(client, reviewer_user):
    registration = InterestRegistrationFactory(status="received")
    client.force_login(reviewer_user)
    url = reverse("admin:companies_interestregistration_review", args=(registration.pk,))
    assert client.get(url).status_code == 405
    response = review_on_change_page(client, registration, "withdrawn")
    registration.refresh_from_db()
    assert registration.status == "received"
    assert any("not a review step" in message for message in messages_of(response))


def test_review_of_a_missing_registration_is_404(client, reviewer_user):
    client.force_login(reviewer_user)
    response = client.post(
        reverse("admin:companies_interestregistration_review", args=(999999,)),
        {"status": "under_review"},
    )
    assert response.status_code == 404


def test_data_entry_cannot_review(client, data_entry_user):
    registration = InterestRegistrationFactory(status="received")
    client.force_login(data_entry_user)
    response = client.post(
        reverse("admin:companies_interestregistration_review", args=(registration.pk,)),
        {"status": "under_review"},
    )
    assert response.status_code == 403
    changelist = client.get(reverse(CHANGELIST))
    assert "mark_under_review" not in changelist.content.decode()
    run_action(client, "mark_under_review", [registration])
    registration.refresh_from_db()
    assert registration.status == "received"
