import pytest
from django.db import IntegrityError, transaction

from companies.models import Company, Contact, InterestRegistration
from tests.factories import CompanyFactory, ContactFactory, InterestRegistrationFactory

pytestmark = pytest.mark.django_db


def _refused(write):
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def test_two_spellings_of_one_company_cannot_both_be_stored():
    CompanyFactory(name="Acme Ltd")
    _refused(lambda: Company.objects.create(name="ACME LIMITED", origin="domestic", country="PK"))


def test_normalized_name_is_kept_in_step_with_the_name():
    company = CompanyFactory(name="Acme (Pvt.) Ltd")
    assert company.normalized_name == "acme"
    company.name = "Acme Software Ltd"
    company.save()
    assert Company.objects.get(pk=company.pk).normalized_name == "acme software"


@pytest.mark.parametrize("changes", [{"origin": "foreign"}, {"size": "huge"}])
def test_database_refuses_invalid_company_values(changes):
    company = CompanyFactory()
    _refused(lambda: Company.objects.filter(pk=company.pk).update(**changes))


def test_contact_email_is_unique_per_company_whatever_its_case():
    contact = ContactFactory(email="ceo@acme.example")
    _refused(
        lambda: Contact.objects.create(
            company=contact.company, name="Again", email="CEO@Acme.example"
        )
    )


@pytest.mark.parametrize(
    "changes",
    [{"status": "approved"}, {"channel": "fax"}, {"planned_investment_usd": -1}],
)
def test_database_refuses_invalid_registration_values(changes):
    registration = InterestRegistrationFactory()
    _refused(lambda: InterestRegistration.objects.filter(pk=registration.pk).update(**changes))


def test_registration_reference_is_unique():
    first = InterestRegistrationFactory()
    second = InterestRegistrationFactory()
    _refused(
        lambda: InterestRegistration.objects.filter(pk=second.pk).update(reference=first.reference)
    )


def test_registration_gets_a_readable_reference_and_a_long_private_token():
    registration = InterestRegistrationFactory()
    assert registration.reference.startswith("TZR-")
    assert len(registration.reference) == 13
    assert len(registration.status_token) >= 40
