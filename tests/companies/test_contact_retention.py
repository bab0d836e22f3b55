"""Contact data of declined and withdrawn registrations is removed after the retention period."""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from companies.models import Company, Contact, InterestRegistration
from companies.services import contact_data_purge
from tests.factories import CompanyFactory, ContactFactory, InterestRegistrationFactory

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 12, 1, 12, 0))
LONG_AGO = NOW - datetime.timedelta(days=400)
RECENTLY = NOW - datetime.timedelta(days=30)


@pytest.fixture(autouse=True)
def retention(settings):
    settings.CONTACT_RETENTION_DAYS = 365


def closed(status, *, on, contact=None, company=None, **fields):
    """A registration that reached `status` on the given day, with personal data typed in."""
    company = company or (contact.company if contact else CompanyFactory())
    registration = InterestRegistrationFactory(
        company=company,
        contact=contact or ContactFactory(company=company, name="Ayesha Khan"),
        status="received",
        submitted_contact_name="Ayesha Khan",
        submitted_contact_phone="+92 21 1234567",
        message="Call me on my mobile.",
        **fields,
    )
    registration.status = status
    registration.reviewed_at = on
    registration.save()  # a second history row, as a real review step leaves
    return registration


def personal_data(registration):
    registration.refresh_from_db()
    return (
        registration.submitted_contact_name,
        registration.submitted_contact_phone,
        registration.message,
    )


def purge(**kwargs):
    return contact_data_purge(now=NOW, **kwargs)


@pytest.mark.parametrize("status", ["declined", "withdrawn"])
def test_old_closed_registration_loses_its_contact_data(status):
    registration = closed(status, on=LONG_AGO)
    contact_pk = registration.contact_id

    result = purge()

    assert (result.registrations, result.contacts_deleted) == (1, 1)
    assert personal_data(registration) == ("", "", "")
    assert registration.contact is None
    assert not Contact.objects.filter(pk=contact_pk).exists()
    assert registration.contact_data_purged_at == NOW
    # What is not personal stays: the company, the decision and its reference.
    assert registration.status == status
    assert Company.objects.filter(pk=registration.company_id).exists()


def test_recently_declined_registration_is_kept():
    registration = closed("declined", on=RECENTLY)

    result = purge()

    assert result.registrations == 0
    assert personal_data(registration) == ("Ayesha Khan", "+92 21 1234567", "Call me on my mobile.")
    assert registration.contact is not None


@pytest.mark.parametrize("status", ["received", "under_review", "accepted"])
def test_open_and_accepted_registrations_are_kept_however_old(status):
    registration = closed(status, on=LONG_AGO)

    assert purge().registrations == 0
    assert personal_data(registration)[0] == "Ayesha Khan"
    assert registration.contact is not None


def test_a_contact_still_used_by_a_live_registration_is_kept():
    contact = ContactFactory(name="Ayesha Khan", email="ayesha@acme.example")
    old = closed("declined", on=LONG_AGO, contact=contact)
    live = InterestRegistrationFactory(company=contact.company, contact=contact, status="accepted")

    result = purge()

    assert (result.registrations, result.contacts_deleted, result.contacts_kept) == (1, 0, 1)
    contact.refresh_from_db()
    assert contact.email == "ayesha@acme.example"
    assert personal_data(old) == ("", "", "")  # what was typed on the old one still goes
    live.refresh_from_db()
    assert live.contact_id == contact.pk


def test_a_contact_shared_only_by_expired_registrations_is_deleted():
    contact = ContactFactory()
    closed("declined", on=LONG_AGO, contact=contact)
    closed("withdrawn", on=LONG_AGO, contact=contact)

    result = purge()

    assert (result.registrations, result.contacts_deleted) == (2, 1)
    assert not Contact.objects.filter(pk=contact.pk).exists()


def test_the_history_keeps_no_personal_data():
    registration = closed("declined", on=LONG_AGO)
    assert registration.history.count() >= 2

    result = purge()

    assert result.history_rows == registration.history.count()
    for row in registration.history.all():
        typed = (row.submitted_contact_name, row.submitted_contact_phone, row.message)
        assert typed == ("", "", "")
        assert row.contact_id is None
    assert registration.history.count() == result.history_rows  # the purge adds no row


def test_a_dry_run_changes_nothing():
    registration = closed("declined", on=LONG_AGO)
    contact_pk = registration.contact_id

    result = purge(dry_run=True)

    assert (result.registrations, result.contacts_deleted) == (1, 1)
    assert personal_data(registration)[0] == "Ayesha Khan"
    assert registration.contact_data_purged_at is None
    assert Contact.objects.filter(pk=contact_pk).exists()
    assert registration.history.filter(submitted_contact_name="Ayesha Khan").exists()


def test_a_second_run_finds_nothing_more_to_do():
    closed("declined", on=LONG_AGO)
    assert purge().registrations == 1
    assert purge().registrations == 0


def test_a_closed_registration_without_a_decision_date_is_dated_by_its_last_change():
    registration = closed("declined", on=None)
    InterestRegistration.objects.filter(pk=registration.pk).update(updated=LONG_AGO)

    assert purge().registrations == 1
    assert personal_data(registration) == ("", "", "")


def test_the_retention_period_comes_from_the_setting(settings):
    registration = closed("declined", on=RECENTLY)
    settings.CONTACT_RETENTION_DAYS = 7

    assert purge().registrations == 1
    assert personal_data(registration)[0] == ""


def test_a_negative_retention_is_refused():
    with pytest.raises(ValidationError):
        purge(retention_days=-1)


def test_the_command_reports_counts_and_honours_dry_run():
    registration = closed("declined", on=timezone.now() - datetime.timedelta(days=400))
    out = StringIO()

    call_command("purge_contact_data", "--dry-run", stdout=out)

    assert "1 registration(s) would be cleared" in out.getvalue()
    assert "Dry run: nothing was changed." in out.getvalue()
    assert personal_data(registration)[0] == "Ayesha Khan"

    out = StringIO()
    call_command("purge_contact_data", stdout=out)
    assert "1 registration(s) were cleared" in out.getvalue()
    assert "1 contact(s) were deleted" in out.getvalue()
    assert personal_data(registration)[0] == ""


def test_the_command_refuses_a_negative_retention_without_a_traceback():
    with pytest.raises(CommandError, match="zero or more days"):
        call_command("purge_contact_data", "--days", "-3", stdout=StringIO())
