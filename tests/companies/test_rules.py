"""Every rule of what a registration may contain, decided by the service (companies.rules).

One table: each row is a submission that breaks one rule, the field the refusal is keyed by,
its code and the words a person reads. The surfaces' own tests
(tests/companies/test_submission_surfaces.py) check that each channel gives these answers.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from companies import rules
from companies.models import Company, Contact, InterestRegistration
from companies.services import registration_submit
from tests.factories import CompanyFactory, ContactFactory, InterestRegistrationFactory, ZoneFactory

pytestmark = pytest.mark.django_db


def valid_submission(**overrides):
    data = {
        "company_name": "Acme Ltd",
        "origin": "domestic",
        "country": "PK",
        "zones": [ZoneFactory(name="Karachi Technology Zone")],
        "contact_name": "Ayesha Khan",
        "contact_email": "ayesha@acme.example",
        "contact_phone": "+92 21 1234567",
        "planned_investment_usd": Decimal("2500000"),
        "planned_jobs": 120,
        "message": "Data-centre hall.",
    }
    data.update(overrides)
    return data


def cancelled_zone():
    return {"zones": [ZoneFactory(name="Gwadar Tech Park", status="cancelled")]}


def suspended_zone_is_open():
    return {"zones": [ZoneFactory(status="suspended")]}


def zones(n):
    return lambda: {"zones": ZoneFactory.create_batch(n)}


REFUSED = [
    # (case, overrides, field, code, words)
    ("no zone", lambda: {"zones": []}, "zones", "required", "Choose at least one zone."),
    ("21 zones", zones(21), "zones", "too_many", "Choose at most 20 zones"),
    ("cancelled zone", cancelled_zone, "zones", "zone_closed", "Gwadar Tech Park (cancelled)"),
    (
        "domestic outside Pakistan",
        lambda: {"origin": "domestic", "country": "GB"},
        "country",
        "domestic_outside_programme_country",
        "A domestic company is registered in Pakistan",
    ),
    (
        "company name without letters",
        lambda: {"company_name": "!!! ???"},
        "company_name",
        "no_letters",
        "letters or digits",
    ),
    (
        "negative investment",
        lambda: {"planned_investment_usd": Decimal("-1")},
        "planned_investment_usd",
        "negative",
        "cannot be negative",
    ),
    (
        "investment over the limit",
        lambda: {"planned_investment_usd": rules.MAX_PLANNED_INVESTMENT_USD + 1},
        "planned_investment_usd",
        "too_large",
        "at most USD 100,000,000,000",
    ),
    ("negative jobs", lambda: {"planned_jobs": -1}, "planned_jobs", "negative", "negative"),
    (
        "jobs over the limit",
        lambda: {"planned_jobs": rules.MAX_PLANNED_JOBS + 1},
        "planned_jobs",
        "too_large",
        "at most 10,000,000",
    ),
    (
        "message too long",
        lambda: {"message": "m" * (rules.MAX_MESSAGE_LENGTH + 1)},
        "message",
        "too_long",
        "5,000 characters",
    ),
]


@pytest.mark.parametrize(
    ("overrides", "field", "code", "words"),
    [case[1:] for case in REFUSED],
    ids=[case[0] for case in REFUSED],
)
def test_the_service_refuses_each_broken_rule_by_field_and_saves_nothing(
    overrides, field, code, words
):
    with pytest.raises(ValidationError) as refused:
        registration_submit(**valid_submission(**overrides()))
    errors = refused.value.error_dict
    assert list(errors) == [field]
    assert [error.code for error in errors[field]] == [code]
    assert words in " ".join(refused.value.message_dict[field])
    assert Company.objects.count() == 0
    assert InterestRegistration.objects.count() == 0


ACCEPTED = [
    ("exactly 20 zones", zones(20)),
    ("a suspended zone is still open", suspended_zone_is_open),
    ("global company abroad", lambda: {"origin": "global", "country": "GB"}),
    ("global company at home", lambda: {"origin": "global", "country": "PK"}),
    ("no amounts", lambda: {"planned_investment_usd": None, "planned_jobs": None}),
    (
        "amounts at the limits",
        lambda: {
            "planned_investment_usd": rules.MAX_PLANNED_INVESTMENT_USD,
            "planned_jobs": rules.MAX_PLANNED_JOBS,
            "message": "m" * rules.MAX_MESSAGE_LENGTH,
        },
    ),
]


@pytest.mark.parametrize("overrides", [case[1] for case in ACCEPTED], ids=[c[0] for c in ACCEPTED])
def test_the_service_accepts_what_no_rule_forbids(overrides):
    registration = registration_submit(**valid_submission(**overrides()))
    assert registration.pk is not None


def test_every_broken_rule_is_reported_at_once():
    data = valid_submission(origin="domestic", country="US", planned_jobs=-3, message="m" * 6000)
    with pytest.raises(ValidationError) as refused:
        registration_submit(**data)
    assert set(refused.value.error_dict) == {"country", "planned_jobs", "message"}


def test_the_programme_country_is_a_setting(settings):
    settings.PROGRAMME_COUNTRY = "ID"
    with pytest.raises(ValidationError) as refused:
        registration_submit(**valid_submission(origin="domestic", country="PK"))
    assert "registered in Indonesia" in refused.value.message_dict["country"][0]
    assert registration_submit(**valid_submission(origin="domestic", country="ID")).pk


def test_a_duplicate_company_joins_the_existing_one_and_changes_nothing_staff_hold():
    company = CompanyFactory(
        name="Acme Ltd", origin="domestic", country="PK", website="https://acme.example"
    )
    contact = ContactFactory(
        company=company, name="Ayesha Khan", email="ayesha@acme.example", phone="+92 21 5550000"
    )
    registration = registration_submit(
        **valid_submission(
            company_name="ACME LIMITED",
            website="https://evil.example",
            contact_name="URGENT pay at evil.example",
            contact_email="AYESHA@acme.example",
            contact_phone="+1 555 0100",
        )
    )
    assert Company.objects.count() == 1
    assert Contact.objects.count() == 1
    assert (registration.company, registration.contact) == (company, contact)
    company.refresh_from_db()
    contact.refresh_from_db()
    assert (company.name, company.website) == ("Acme Ltd", "https://acme.example")
    assert (contact.name, contact.phone) == ("Ayesha Khan", "+92 21 5550000")
    # What was submitted is kept with the registration for the reviewer.
    assert registration.submitted_company_name == "ACME LIMITED"
    assert registration.submitted_contact_name == "URGENT pay at evil.example"
    assert registration.submitted_contact_phone == "+1 555 0100"


def test_staff_entry_for_a_chosen_company_is_judged_on_that_company():
    abroad = CompanyFactory(origin="domestic", country="GB")
    with pytest.raises(ValidationError) as refused:
        registration_submit(company=abroad, zones=[ZoneFactory()], channel="staff", planned_jobs=5)
    assert "registered in Pakistan" in refused.value.message_dict["country"][0]


def test_staff_entry_refuses_a_contact_of_another_company():
    other_contact = ContactFactory()
    with pytest.raises(ValidationError) as refused:
        registration_submit(
            company=CompanyFactory(), contact=other_contact, zones=[ZoneFactory()], channel="staff"
        )
    assert "contact of another company" in refused.value.message_dict["contact"][0]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("planned_jobs", rules.MAX_PLANNED_JOBS + 1),
        ("planned_investment_usd", rules.MAX_PLANNED_INVESTMENT_USD + 1),
        ("message", "m" * (rules.MAX_MESSAGE_LENGTH + 1)),
    ],
)
def test_the_database_refuses_the_limits_to_any_writer(field, value):
    registration = InterestRegistrationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        InterestRegistration.objects.filter(pk=registration.pk).update(**{field: value})
