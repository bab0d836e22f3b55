"""Licences, plots and annual returns tell their people and partners, through the outbox."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import call_command
from django.db import transaction

from enterprises import services
from enterprises.models import AnnualReturn
from notifications import reminders
from notifications.choices import NotificationEvent, WebhookEventType
from notifications.models import Notification, WebhookDelivery, WebhookEndpoint
from partners.models import PartnerKey
from tests.factories import (
    AnnualReturnFactory,
    ContactFactory,
    EnterpriseFactory,
    PlotFactory,
    StaffUserFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def endpoint():
    """A partner endpoint for the operating zone's events (never called: tasks not run)."""
    key, _ = PartnerKey.objects.create_key(name="Statistics office")
    return WebhookEndpoint.objects.create(
        partner_key=key,
        url="https://partner.example/hooks",
        event_types=[WebhookEventType.ENTERPRISE_LICENCE_CHANGED, WebhookEventType.PLOT_CHANGED],
    )


@pytest.fixture
def approved(accepted_registration, maker, checker):
    enterprise = services.enterprise_apply_from_registration(registration=accepted_registration)
    services.enterprise_recommend(enterprise=enterprise, user=maker)
    return services.enterprise_approve(enterprise=enterprise, user=checker)


def issue(enterprise, checker):
    return services.enterprise_issue_licence(
        enterprise=enterprise, user=checker, issued_on=D(2025, 9, 1), expires_on=D(2030, 8, 31)
    )


def events_for(obj):
    return list(
        Notification.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        )
        .order_by("pk")
        .values_list("event", "recipient")
    )


def test_issuing_a_licence_emails_the_registration_contact_and_tells_partners(
    approved, checker, endpoint, run_tasks
):
    enterprise = issue(approved, checker)
    contact = enterprise.registration.contact

    assert events_for(enterprise) == [(NotificationEvent.LICENCE_ISSUED, contact.email)]
    (delivery,) = WebhookDelivery.objects.filter(endpoint=endpoint)
    data = delivery.payload["data"]
    assert delivery.event_type == WebhookEventType.ENTERPRISE_LICENCE_CHANGED
    assert data["event"] == "issued"
    assert data["licence_number"] == enterprise.licence_number
    assert data["expires_on"] == "2030-08-31"
    assert contact.email not in str(delivery.payload)  # never personal data

    WebhookDelivery.objects.all().delete()  # its task then finds nothing to send
    run_tasks()
    (email,) = [m for m in mail.outbox if enterprise.licence_number in m.subject]
    assert email.to == [contact.email]
    assert enterprise.licence_number in email.body
    assert "31 August 2030" in email.body


def test_suspension_carries_its_reason_and_a_renewal_reaches_partners_only(
    approved, checker, endpoint
):
    enterprise = issue(approved, checker)
    services.enterprise_suspend(
        enterprise=enterprise, user=checker, suspended_on=D(2026, 1, 5), reason="Unpaid lease"
    )
    suspension = Notification.objects.get(event=NotificationEvent.LICENCE_SUSPENDED)
    assert "Unpaid lease" in suspension.body_text

    services.enterprise_reinstate(enterprise=enterprise, user=checker, reinstated_on=D(2026, 2, 1))
    services.enterprise_renew(
        enterprise=enterprise, user=checker, expires_on=D(2035, 8, 31), renewed_on=D(2026, 3, 1)
    )
    assert [event for event, _ in events_for(enterprise)] == [
        NotificationEvent.LICENCE_ISSUED,
        NotificationEvent.LICENCE_SUSPENDED,
    ]
    kinds = [
        d.payload["data"]["event"]
        for d in WebhookDelivery.objects.filter(endpoint=endpoint).order_by("pk")
    ]
    assert kinds == ["issued", "suspended", "reinstated", "renewed"]


def test_a_step_that_fails_queues_nothing(approved, checker, endpoint):
    enterprise = issue(approved, checker)
    before = (Notification.objects.count(), WebhookDelivery.objects.count())
    with pytest.raises(RuntimeError), transaction.atomic():
        services.enterprise_suspend(
            enterprise=enterprise, user=checker, suspended_on=D(2026, 1, 5), reason="Audit"
        )
        raise RuntimeError("the request failed after the step")
    assert (Notification.objects.count(), WebhookDelivery.objects.count()) == before


def test_without_a_registration_the_company_contacts_are_told():
    enterprise = EnterpriseFactory(status="approved", licence_number=None, issued_on=None,
                                   expires_on=None)  # fmt: skip
    first = ContactFactory(company=enterprise.company, email="ceo@acme.example")
    second = ContactFactory(company=enterprise.company, email="ops@acme.example")
    issue(enterprise, StaffUserFactory())
    assert sorted(r for _, r in events_for(enterprise)) == sorted([first.email, second.email])


def test_returned_and_accepted_returns_are_emailed_with_the_note():
    enterprise = EnterpriseFactory()
    ContactFactory(company=enterprise.company, email="finance@acme.example")
    annual_return = services.return_file(
        enterprise=enterprise,
        fiscal_year="2025-26",
        employees_total=40,
        employees_women=12,
        employees_foreign=2,
        exports_usd=Decimal("100000"),
        domestic_sales=Decimal("5000"),
        investment=Decimal("20000"),
        submitted_on=D(2026, 9, 1),
    )
    assert not Notification.objects.exists()  # a submission is not announced to the filer
    reviewer = StaffUserFactory()
    services.return_send_back(annual_return=annual_return, user=reviewer, note="Exports in PKR?")
    services.return_submit(
        annual_return=annual_return,
        employees_total=40,
        employees_women=12,
        employees_foreign=2,
        exports_usd=Decimal("90000"),
        domestic_sales=Decimal("5000"),
        investment=Decimal("20000"),
        submitted_on=D(2026, 9, 8),
    )
    services.return_accept(annual_return=annual_return, user=reviewer)

    sent = Notification.objects.filter(
        content_type=ContentType.objects.get_for_model(annual_return), object_id=annual_return.pk
    ).order_by("pk")
    assert [n.event for n in sent] == [
        NotificationEvent.RETURN_RETURNED,
        NotificationEvent.RETURN_ACCEPTED,
    ]
    assert "Exports in PKR?" in sent[0].body_text
    assert "2025-26" in sent[1].subject


def test_every_plot_change_reaches_partners(endpoint):
    enterprise = EnterpriseFactory()
    plot = PlotFactory(zone=enterprise.zone)
    services.plot_allocate(plot=plot, enterprise=enterprise, lease_starts_on=D(2026, 1, 1))
    services.plot_release(plot=plot)
    plot.delete()
    states = [
        (d.payload["data"]["status"], d.payload["data"]["deleted"])
        for d in WebhookDelivery.objects.filter(event_type="plot.changed").order_by("pk")
    ]
    assert states == [
        ("vacant", False),
        ("allocated", False),
        ("vacant", False),
        ("vacant", True),
    ]


# --- reminders --------------------------------------------------------------------------------


def test_a_licence_is_reminded_at_60_and_30_days_and_when_it_expired_each_once():
    enterprise = EnterpriseFactory(expires_on=D(2027, 3, 31))
    ContactFactory(company=enterprise.company, email="ceo@acme.example")

    def run(day):
        return {k: v for k, v in reminders.reminders_send(today=day).items() if v}

    assert run(D(2027, 1, 15)) == {}  # 75 days ahead: nothing yet
    assert run(D(2027, 1, 31)) == {"licence_expiring_60": 1}
    assert run(D(2027, 2, 10)) == {}
    assert run(D(2027, 3, 5)) == {"licence_expiring_30": 1}
    assert run(D(2027, 3, 31)) == {}  # valid through its expiry day
    assert run(D(2027, 4, 1)) == {"licence_expired": 1}
    assert run(D(2027, 4, 2)) == {}
    assert [event for event, _ in events_for(enterprise)] == [
        NotificationEvent.LICENCE_EXPIRING_60,
        NotificationEvent.LICENCE_EXPIRING_30,
        NotificationEvent.LICENCE_EXPIRED,
    ]


def test_licences_that_expired_long_ago_are_not_mailed_when_reminders_start():
    old = EnterpriseFactory(expires_on=D(2026, 1, 31))
    ContactFactory(company=old.company)
    counts = reminders.reminders_send(today=D(2026, 12, 5))
    assert counts["licence_expired"] == 0


def test_a_revoked_licence_gets_no_expiry_reminders():
    enterprise = EnterpriseFactory(status="revoked", expires_on=D(2027, 1, 31))
    ContactFactory(company=enterprise.company)
    counts = reminders.reminders_send(today=D(2027, 1, 10))
    assert sum(counts.values()) == 0


def test_an_open_return_is_reminded_before_and_after_its_due_date():
    annual_return = AnnualReturnFactory(due_on=D(2026, 10, 28))
    ContactFactory(company=annual_return.enterprise.company)
    assert reminders.reminders_send(today=D(2026, 10, 1))["return_due_30"] == 1
    assert reminders.reminders_send(today=D(2026, 10, 28))["return_overdue"] == 0
    assert reminders.reminders_send(today=D(2026, 10, 29))["return_overdue"] == 1
    assert reminders.reminders_send(today=D(2026, 11, 29))["return_overdue"] == 0


def test_the_job_opens_the_returns_of_the_year_that_ended_once(capsys, settings):
    settings.ANNUAL_RETURN_DUE_DAYS = 120
    owing = EnterpriseFactory(issued_on=D(2025, 9, 1), expires_on=D(2030, 8, 31))
    ContactFactory(company=owing.company)
    EnterpriseFactory(issued_on=D(2026, 8, 1), expires_on=D(2030, 8, 31))  # licensed after it
    EnterpriseFactory(issued_on=D(2024, 1, 1), expires_on=D(2026, 3, 31))  # lapsed before
    EnterpriseFactory(status="revoked")

    call_command("send_reminders", "--date", "2026-10-01")
    call_command("send_reminders", "--date", "2026-10-02")

    (opened,) = AnnualReturn.objects.all()
    assert (opened.enterprise, opened.fiscal_year, opened.due_on) == (
        owing,
        "2025-26",
        D(2026, 10, 28),
    )
    output = capsys.readouterr().out
    assert "1 annual return(s) opened" in output and "0 annual return(s) opened" in output
    # Opened on 1 October, due on 28 October: the 30-day reminder went out with it, once.
    assert Notification.objects.filter(event=NotificationEvent.RETURN_DUE_30).count() == 1


def test_in_a_leap_year_the_year_ending_today_is_not_yet_owed():
    EnterpriseFactory(issued_on=D(2025, 9, 1), expires_on=D(2035, 8, 31))
    assert services.returns_open_due(today=D(2028, 6, 30))[0].fiscal_year == "2026-27"
    assert services.returns_open_due(today=D(2028, 7, 1))[0].fiscal_year == "2027-28"
