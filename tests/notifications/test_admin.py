"""Staff see what was sent, and why not, and can send a failed item again."""

import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import Notification
from notifications.outbox import notify
from tests.factories import InterestRegistrationFactory, StaffUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed_email(settings, run_tasks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9
    settings.NOTIFICATION_RETRY_DELAYS = []
    registration = InterestRegistrationFactory(status="under_review")
    (notification,) = notify(
        "registration_accepted",
        registration,
        ["ayesha@acme.example"],
        context={"registration": registration},
    )
    run_tasks()
    notification.refresh_from_db()
    assert notification.status == "failed"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return notification


def test_a_failed_email_is_listed_with_its_error(client, staff_user, failed_email):
    client.force_login(staff_user)
    page = client.get(reverse("admin:notifications_notification_changelist") + "?status=failed")
    assert page.status_code == 200
    assert "ayesha@acme.example" in page.text
    assert "Connection refused" in page.text or "Errno" in page.text


def test_the_retry_action_sends_it_once(client, staff_user, failed_email, run_tasks):
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:notifications_notification_changelist"),
        {"action": "retry_selected", "_selected_action": [failed_email.pk]},
        follow=True,
    )
    assert "1 item(s) queued to be sent again" in response.text
    run_tasks()
    failed_email.refresh_from_db()
    assert failed_email.status == "sent"
    assert [m.to for m in mail.outbox] == [["ayesha@acme.example"]]


def test_a_view_only_role_cannot_retry(client, failed_email):
    from django.contrib.auth.models import Group

    analyst = StaffUserFactory()
    analyst.groups.add(Group.objects.get(name="Analyst"))
    client.force_login(analyst)
    url = reverse("admin:notifications_notification_changelist")
    assert client.get(url).status_code == 200
    client.post(url, {"action": "retry_selected", "_selected_action": [failed_email.pk]})
    failed_email.refresh_from_db()
    assert failed_email.status == "failed"


def test_the_registration_page_shows_its_notifications(client, failed_email):
    from django.contrib.auth.models import Group

    reviewer = StaffUserFactory()
    reviewer.groups.add(Group.objects.get(name="Reviewer"))
    client.force_login(reviewer)
    registration = failed_email.concerns
    page = client.get(
        reverse("admin:companies_interestregistration_change", args=[registration.pk])
    )
    assert page.status_code == 200
    assert "notifications sent about this record" in page.text.lower()
    assert "Registration accepted" in page.text
    assert Notification.objects.filter(object_id=registration.pk).count() == 1


def test_a_registration_entered_in_the_admin_queues_the_staff_notice(client, staff_user, settings):
    from tests.factories import CompanyFactory, ZoneFactory

    settings.REGISTRY_STAFF_EMAILS = ["desk@authority.example"]
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:companies_interestregistration_add"),
        {"company": CompanyFactory().pk, "contact": "", "zones": [ZoneFactory().pk]},
    )
    assert response.status_code == 302
    (notice,) = Notification.objects.all()
    assert (notice.event, notice.recipient) == (
        "registration_received_staff",
        "desk@authority.example",
    )
