from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from companies.models import Company, Contact, InterestRegistration
from companies.services import (
    registration_recommend,
    registration_submit,
    registration_transition,
)
from tests.factories import InterestRegistrationFactory, StaffUserFactory, ZoneFactory

pytestmark = pytest.mark.django_db


def submit(**overrides):
    data = {
        "company_name": "Acme Ltd",
        "origin": "domestic",
        "country": "PK",
        "zones": [ZoneFactory()],
        "contact_name": "Ayesha Khan",
        "contact_email": "ayesha@acme.example",
        "planned_investment_usd": Decimal("2500000"),
        "planned_jobs": 120,
    }
    data.update(overrides)
    return registration_submit(**data)


def test_submission_creates_company_contact_and_registration(run_tasks):
    registration = submit()
    run_tasks()
    assert registration.company.name == "Acme Ltd"
    assert registration.contact.email == "ayesha@acme.example"
    assert registration.channel == "web"
    assert registration.status == "received"
    assert registration.zones.count() == 1
    acknowledgement = next(m for m in mail.outbox if "ayesha@acme.example" in m.to)
    assert registration.reference in acknowledgement.body
    assert registration.status_token in acknowledgement.body


def test_spellings_of_one_company_give_one_company():
    for name in ("Acme Ltd", "ACME LIMITED", "Acme (Pvt.) Ltd"):
        submit(company_name=name)
    assert Company.objects.count() == 1
    assert InterestRegistration.objects.count() == 3
    assert Contact.objects.count() == 1


def test_no_zone_is_refused_and_nothing_is_saved():
    with pytest.raises(ValidationError):
        submit(zones=[])
    assert Company.objects.count() == 0


def test_invalid_email_saves_nothing():
    with pytest.raises(ValidationError):
        submit(contact_email="not-an-email")
    assert Company.objects.count() == 0
    assert InterestRegistration.objects.count() == 0


def test_negative_investment_saves_nothing():
    with pytest.raises(ValidationError):
        submit(planned_investment_usd=Decimal("-1"))
    assert InterestRegistration.objects.count() == 0
    assert Company.objects.count() == 0


def test_review_moves_forward_and_records_the_reviewer():
    reviewer = StaffUserFactory()
    registration = InterestRegistrationFactory()
    registration_transition(registration=registration, status="under_review", user=reviewer)
    registration_recommend(registration=registration, user=StaffUserFactory())
    registration_transition(
        registration=registration, status="accepted", user=reviewer, note="Strong case"
    )
    registration.refresh_from_db()
    assert registration.status == "accepted"
    assert registration.reviewer == reviewer
    assert registration.reviewed_at is not None
    assert registration.review_note == "Strong case"


def test_registration_cannot_skip_review():
    registration = InterestRegistrationFactory()
    with pytest.raises(ValidationError, match="cannot move"):
        registration_transition(
            registration=registration, status="accepted", user=StaffUserFactory()
        )
    registration.refresh_from_db()
    assert registration.status == "received"


def test_maker_cannot_accept_own_staff_entry():
    maker = StaffUserFactory()
    registration = InterestRegistrationFactory(
        channel="staff", submitted_by=maker, status="under_review", recommended_by=maker
    )
    with pytest.raises(ValidationError, match="maker-checker"):
        registration_transition(registration=registration, status="accepted", user=maker)
    registration_transition(registration=registration, status="accepted", user=StaffUserFactory())
    registration.refresh_from_db()
    assert registration.status == "accepted"
