"""The review queue in the admin: panel layout, log, two people, ageing, bulk actions."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from companies.models import InterestRegistration
from tests.admin.test_review import messages_of, review_on_change_page, run_action
from tests.factories import InterestRegistrationFactory

pytestmark = pytest.mark.django_db


def change_page(client, registration):
    response = client.get(
        reverse("admin:companies_interestregistration_change", args=(registration.pk,))
    )
    assert response.status_code == 200
    return response.content.decode()


def test_note_label_points_at_the_note_textarea(client, reviewer_user):
    registration = InterestRegistrationFactory(status="under_review")
    client.force_login(reviewer_user)
    body = change_page(client, registration)
    assert '<label for="id_review_note">Note</label>' in body
    assert '<textarea name="note" id="id_review_note"' in body


def test_review_controls_sit_above_save_and_delete(client, staff_user):
    registration = InterestRegistrationFactory(status="under_review")
    client.force_login(staff_user)
    body = change_page(client, registration)
    assert body.index('id="review-panel"') < body.index('name="_save"')
    # Buttons belong to the separate review form, which lies outside the registration form.
    assert 'form="registry-review-form"' in body
    assert body.index('id="registry-review-form"') > body.index("</form>")


def test_a_second_note_is_added_to_the_log_not_written_over_the_first(
    client, reviewer_user, second_reviewer_user
):
    registration = InterestRegistrationFactory(status="received")
    client.force_login(reviewer_user)
    review_on_change_page(client, registration, "under_review", note="First look: complete.")
    review_on_change_page(client, registration, "note", note="Asked about the jobs figure.")
    review_on_change_page(client, registration, "recommend", note="Recommend.")
    client.force_login(second_reviewer_user)
    review_on_change_page(client, registration, "accepted", note="Agreed.")
    registration.refresh_from_db()
    assert registration.status == "accepted"
    notes = list(registration.review_log.values_list("note", flat=True))
    assert notes == [
        "First look: complete.",
        "Asked about the jobs figure.",
        "Recommend.",
        "Agreed.",
    ]
    body = change_page(client, registration)
    for note in notes:
        assert note in body


def test_one_reviewer_alone_cannot_accept_from_the_change_page(client, reviewer_user):
    registration = InterestRegistrationFactory(status="under_review")
    client.force_login(reviewer_user)
    review_on_change_page(client, registration, "recommend")
    response = review_on_change_page(client, registration, "accepted")
    registration.refresh_from_db()
    assert registration.status == "under_review"
    assert any("two-person rule" in message for message in messages_of(response))


def test_too_long_a_note_is_refused_with_a_message(client, reviewer_user):
    registration = InterestRegistrationFactory(status="received")
    client.force_login(reviewer_user)
    response = review_on_change_page(client, registration, "under_review", note="x" * 5001)
    registration.refresh_from_db()
    assert registration.status == "received"
    assert any("at most 5000 characters" in message for message in messages_of(response))


def test_bulk_actions_go_through_the_services(client, reviewer_user, second_reviewer_user):
    registrations = InterestRegistrationFactory.create_batch(2, status="under_review")
    client.force_login(reviewer_user)
    run_action(client, "assign_to_me", registrations, confirm=False)
    run_action(client, "recommend", registrations, note="Both fine.")
    refused = run_action(client, "accept", registrations)
    assert sum("two-person rule" in m for m in messages_of(refused)) == 2
    client.force_login(second_reviewer_user)
    run_action(client, "accept", registrations, note="Agreed.")
    for registration in registrations:
        registration.refresh_from_db()
        assert registration.status == "accepted"
        assert registration.assigned_to == reviewer_user
        assert list(registration.review_log.values_list("action", flat=True)) == [
            "assigned",
            "recommended",
            "accepted",
        ]


def test_queue_shows_days_waiting_in_red_past_the_service_level(
    client, reviewer_user, settings, django_assert_max_num_queries
):
    settings.REVIEW_SLA_DAYS = 10
    late = InterestRegistrationFactory(status="received")
    fresh = InterestRegistrationFactory(status="under_review")
    InterestRegistration.objects.filter(pk=late.pk).update(
        created=timezone.now() - datetime.timedelta(days=15)
    )
    InterestRegistration.objects.filter(pk=fresh.pk).update(
        created=timezone.now() - datetime.timedelta(days=2)
    )
    InterestRegistrationFactory.create_batch(10, status="declined")
    client.force_login(reviewer_user)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("admin:companies_interestregistration_changelist"))
    body = response.content.decode()
    assert "registry-age registry-age-late" in body and "15 days" in body
    assert '<span class="registry-age" title="Service level: 10 days">2 days</span>' in body


def test_mine_filter_lists_what_is_on_my_desk(client, reviewer_user):
    mine = InterestRegistrationFactory(assigned_to=reviewer_user)
    InterestRegistrationFactory()
    client.force_login(reviewer_user)
    response = client.get(
        reverse("admin:companies_interestregistration_changelist") + "?assigned=me"
    )
    assert list(response.context["cl"].result_list) == [mine]


def test_money_in_the_queue_reads_as_us_dollars(client, reviewer_user):
    InterestRegistrationFactory(planned_investment_usd="2500000.00")
    client.force_login(reviewer_user)
    body = client.get(reverse("admin:companies_interestregistration_changelist")).content.decode()
    assert "US$2,500,000" in body and "2500000.00" not in body
