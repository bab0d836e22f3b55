"""Emails go through the outbox: queued with the change, sent by a worker, never lost."""

import datetime
import time

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from companies.services import registration_submit, registration_transition
from notifications import outbox
from notifications.choices import NotificationEvent
from notifications.models import Notification
from notifications.services import registration_status_changed_notify
from tests.factories import (
    InterestRegistrationFactory,
    StaffUserFactory,
    ZoneFactory,
    accept_registration,
)

pytestmark = pytest.mark.django_db


def submit(**overrides):
    data = {
        "company_name": "Acme Ltd",
        "origin": "domestic",
        "country": "PK",
        "zones": [ZoneFactory()],
        "contact_name": "Ayesha Khan",
        "contact_email": "ayesha@acme.example",
        "message": "We make payments software.",
    }
    data.update(overrides)
    return registration_submit(**data)


def test_a_rolled_back_registration_queues_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        submit()
        assert Notification.objects.count() == 2  # queued inside the transaction...
        raise RuntimeError("the request failed after the registration was saved")

    assert Notification.objects.count() == 0  # ...and gone with it
    assert DBTaskResult.objects.count() == 0


def test_a_committed_registration_queues_one_task_per_email(settings):
    settings.REGISTRY_STAFF_EMAILS = ["desk@authority.example", "head@authority.example"]
    registration = submit()

    emails = Notification.objects.filter(object_id=registration.pk)
    assert sorted(emails.values_list("event", "recipient")) == [
        ("registration_received", "ayesha@acme.example"),
        ("registration_received_staff", "desk@authority.example"),
        ("registration_received_staff", "head@authority.example"),
    ]
    assert set(emails.values_list("status", flat=True)) == {"pending"}
    assert DBTaskResult.objects.filter(status="READY").count() == 3
    assert mail.outbox == []  # nothing is sent inside the request


def test_the_acknowledgement_carries_nothing_the_submitter_typed(run_tasks):
    """The address is unverified: a spoofed name or message must not reach its inbox."""
    registration = submit(
        company_name="URGENT pay now at evil.example",
        contact_name="URGENT: your account is suspended, pay at http://evil.example/pay",
        message="Click http://evil.example",
        contact_email="victim@example.org",
    )
    run_tasks()

    acknowledgement = next(m for m in mail.outbox if m.to == ["victim@example.org"])
    html = acknowledgement.alternatives[0].content
    for text in (acknowledgement.subject, acknowledgement.body, html):
        assert "evil.example" not in text
        assert "URGENT" not in text
    assert registration.reference in acknowledgement.body
    assert registration.get_absolute_url() in html
    assert acknowledgement.body.startswith("Thank you")  # a generic greeting


def test_staff_are_told_the_details(run_tasks, settings):
    settings.REGISTRY_STAFF_EMAILS = ["desk@authority.example"]
    registration = submit()
    run_tasks()

    notice = next(m for m in mail.outbox if m.to == ["desk@authority.example"])
    assert "Acme Ltd" in notice.body
    assert registration.reference in notice.subject
    assert f"/admin/companies/interestregistration/{registration.pk}/change/" in notice.body
    assert registration.status_token not in notice.body


@pytest.mark.parametrize(
    ("status", "subject_words"),
    [("accepted", "has been accepted"), ("declined", "Decision on registration")],
)
def test_a_decision_is_sent_to_the_contact(run_tasks, status, subject_words):
    registration = InterestRegistrationFactory(status="under_review")
    if status == "accepted":
        accept_registration(registration)
    else:
        registration_transition(registration=registration, status=status, user=StaffUserFactory())
    run_tasks()

    (email,) = mail.outbox
    assert email.to == [registration.contact.email]
    assert subject_words in email.subject
    assert registration.reference in email.subject
    record = Notification.objects.get(event=f"registration_{status}")
    assert record.concerns == registration
    assert record.status == "sent"
    assert record.sent_at is not None


def test_moving_to_under_review_emails_nobody(run_tasks):
    registration = InterestRegistrationFactory()
    registration_transition(
        registration=registration, status="under_review", user=StaffUserFactory()
    )
    run_tasks()
    assert mail.outbox == []


def test_information_requested_is_mapped_by_its_status_value(run_tasks):
    """The review's "information requested" step, once it exists, sends the question."""
    registration = InterestRegistrationFactory(status="under_review")
    registration.status = "information_requested"
    registration_status_changed_notify(
        registration=registration,
        previous_status="under_review",
        note="How many square metres of office space do you need?",
    )
    run_tasks()

    (email,) = mail.outbox
    assert "more information" in email.subject
    assert "How many square metres" in email.body
    assert Notification.objects.get().event == "registration_information_requested"


def test_a_refused_transition_queues_nothing():
    registration = InterestRegistrationFactory(status="received")
    with pytest.raises(Exception, match="cannot move"):
        registration_transition(registration=registration, status="accepted", user=None)
    assert Notification.objects.count() == 0


def test_mail_server_down_then_refusing_then_accepting_loses_nothing_and_sends_once(
    start_mail_server, run_tasks, settings
):
    settings.REGISTRY_STAFF_EMAILS = ["desk@authority.example"]
    settings.NOTIFICATION_RETRY_DELAYS = [1] * 10
    first = submit(contact_email="one@acme.example")
    second = submit(company_name="Beta Ltd", contact_email="two@beta.example")

    run_tasks()  # nothing listens on the port: every first attempt is refused
    pending = Notification.objects.filter(status="pending", attempts=1)
    assert pending.count() == 4
    assert all("refused" in n.last_error.lower() for n in pending)

    server = start_mail_server(refuse=2)  # back, but turns away the next two messages
    deadline = time.monotonic() + 15
    while Notification.objects.exclude(status="sent").exists() and time.monotonic() < deadline:
        time.sleep(0.3)  # retries are due a second after each failure
        run_tasks()

    assert Notification.objects.filter(status="sent").count() == 4
    assert server.recipients() == sorted(
        ["one@acme.example", "two@beta.example", "desk@authority.example", "desk@authority.example"]
    )
    # 4 refused connections, 2 refused messages, 4 accepted: every email once, none twice.
    assert sum(Notification.objects.values_list("attempts", flat=True)) == 10
    for registration in (first, second):
        assert Notification.objects.filter(object_id=registration.pk, status="sent").count() == 2


def test_retries_wait_longer_each_time(start_mail_server, run_tasks, settings):
    settings.NOTIFICATION_RETRY_DELAYS = [60, 300]
    submit()
    before = timezone.now()
    run_tasks()
    notification = Notification.objects.get(event="registration_received")
    assert notification.attempts == 1
    assert notification.next_attempt_at >= before + datetime.timedelta(seconds=60)
    # The retry's task waits for its time: a worker running now finds nothing to do.
    waiting = DBTaskResult.objects.filter(status="READY").get(args_kwargs__args=[notification.pk])
    assert waiting.run_after == notification.next_attempt_at
    assert run_tasks() == 0


def test_after_the_last_retry_the_email_waits_failed_with_its_error(run_tasks, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # discard port: refused
    settings.NOTIFICATION_RETRY_DELAYS = [0, 0]
    submit()
    run_tasks()

    for notification in Notification.objects.all():
        assert notification.status == "failed"
        assert notification.attempts == 3
        assert notification.last_error
        assert notification.sent_at is None


def test_two_tasks_for_one_email_send_it_once(run_tasks):
    submit()
    notification = Notification.objects.get(event="registration_received")
    outbox.deliver_notification.enqueue(notification.pk)  # a duplicate task
    outbox.deliver_notification.enqueue(notification.pk)
    run_tasks()
    assert [m.to for m in mail.outbox].count(["ayesha@acme.example"]) == 1


def test_a_stalled_email_is_requeued_and_sent(run_tasks):
    """A worker killed mid-send leaves the email claimed; after its lease another takes it."""
    submit()
    DBTaskResult.objects.all().delete()  # the tasks are lost with the worker
    Notification.objects.update(
        status="sending",
        attempts=1,
        locked_until=timezone.now() - datetime.timedelta(seconds=1),
        next_attempt_at=timezone.now() - datetime.timedelta(minutes=10),
    )
    assert outbox.requeue_stalled() == 2
    run_tasks()
    assert Notification.objects.filter(status="sent").count() == 2
    assert len(mail.outbox) == 2


def test_notify_refuses_an_unknown_event():
    with pytest.raises(ValueError):
        outbox.notify("no_such_event", None, ["a@example.org"])


def test_every_event_renders_text_html_and_a_subject():
    from types import SimpleNamespace

    obj = SimpleNamespace(
        pk=None,
        reference="TZR-ABCD-EFGH",
        licence_number="TZL-0001",
        expires_on=datetime.date(2027, 1, 31),
        due_on=datetime.date(2026, 12, 31),
        fiscal_year="2025-26",
        zone=SimpleNamespace(name="Karachi Technology Zone"),
    )
    for event in NotificationEvent:
        rendered = {
            kind: outbox.render_to_string(
                f"emails/{event}.{kind}",
                {
                    "object": obj,
                    "registration": obj,
                    "endpoint": SimpleNamespace(url="https://partner.example/hook"),
                    "company": SimpleNamespace(name="Acme"),
                },
            )
            for kind in ("subject.txt", "txt", "html")
        }
        assert rendered["subject.txt"].strip(), event
        assert "Technology Zones Authority" in rendered["txt"], event
        assert rendered["html"].lstrip().startswith("<!DOCTYPE html>"), event
    assert "TZL-0001" in outbox.render_to_string("emails/licence_expiring_30.txt", {"object": obj})
    assert "31 January 2027" in outbox.render_to_string(
        "emails/licence_expiring_30.txt", {"object": obj}
    )


def test_a_mistyped_staff_address_does_not_undo_the_registration(settings, caplog):
    settings.REGISTRY_STAFF_EMAILS = ["not an address", "desk@authority.example"]
    registration = submit()
    assert registration.pk
    assert sorted(Notification.objects.values_list("recipient", flat=True)) == [
        "ayesha@acme.example",
        "desk@authority.example",
    ]
    assert "invalid address 'not an address'" in caplog.text
