"""Emails to a company go out in the language its people used the public form in.

The registration keeps that language; the decision on it, the licence that follows and the
annual returns' reviews are written in it. Registrations from the API and the admin (which run
in English) get English, and staff are always told in English.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from rest_framework.test import APIClient

from companies.models import InterestRegistration
from companies.services import registration_transition
from enterprises import services
from notifications.choices import NotificationEvent
from notifications.models import Notification
from notifications.services import applicant_language
from partners.models import PartnerKey
from tests.factories import (
    AnnualReturnFactory,
    EnterpriseFactory,
    SectorFactory,
    ZoneFactory,
    accept_registration,
)
from tests.public.conftest import fresh_form_token

pytestmark = pytest.mark.django_db

URDU_LETTERS = re.compile(r"[\u0600-\u06FF]")


@pytest.fixture
def form_data():
    SectorFactory(slug="software", name="Software")
    zone = ZoneFactory(slug="karachi-technology-zone", status="operational")
    return {
        "company_name": "Acme Ltd",
        "origin": "global",
        "country": "GB",
        "sector": "software",
        "contact_name": "Ayesha Khan",
        "contact_email": "ayesha@acme.example",
        "zones": [zone.slug],
        "planned_investment_usd": "2,500,000",
        "planned_jobs": "120",
        "consent": "on",
    }


def submit_form(client, data, language=None):
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post("/register/", {**data, "form_token": fresh_form_token(client)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return InterestRegistration.objects.get()


def decline(registration, user):
    registration_transition(registration=registration, status="under_review", user=user)
    registration_transition(registration=registration, status="declined", user=user)


def email_of(event, obj):
    return Notification.objects.get(
        event=event, content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    )


def test_a_registration_made_in_urdu_keeps_its_language(client, form_data):
    assert submit_form(client, form_data, language="ur").language == "ur"


def test_a_registration_made_in_english_keeps_english(client, form_data):
    registration = submit_form(client, form_data)
    assert registration.language.startswith("en")


def test_the_acceptance_of_an_urdu_registration_is_written_in_urdu(client, form_data):
    registration = submit_form(client, form_data, language="ur")
    accept_registration(registration)

    accepted = email_of(NotificationEvent.REGISTRATION_ACCEPTED, registration)
    assert accepted.subject == f"رجسٹریشن {registration.reference} منظور کر لی گئی ہے"
    assert 'lang="ur" dir="rtl"' in accepted.body_html
    assert URDU_LETTERS.search(accepted.body_text)


def test_the_decline_of_an_urdu_registration_is_written_in_urdu(client, form_data, admin_user):
    registration = submit_form(client, form_data, language="ur")
    decline(registration, admin_user)

    declined = email_of(NotificationEvent.REGISTRATION_DECLINED, registration)
    assert declined.subject == f"رجسٹریشن {registration.reference} پر فیصلہ"
    assert "اگر آپ کے منصوبے بدلیں تو آپ دوبارہ رجسٹریشن کر سکتے ہیں۔" in declined.body_text


def test_the_decision_on_an_english_registration_stays_english(client, form_data, admin_user):
    registration = submit_form(client, form_data)
    decline(registration, admin_user)

    declined = email_of(NotificationEvent.REGISTRATION_DECLINED, registration)
    assert declined.subject == f"Decision on registration {registration.reference}"
    assert not URDU_LETTERS.search(declined.body_html)


def test_a_partner_registration_stays_english_whatever_the_partner_asks(form_data, db):
    _, raw = PartnerKey.objects.create_key(name="Board of Investment")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    body = {**form_data, "planned_investment_usd": "2500000.00", "planned_jobs": 120}
    response = client.post(
        "/api/v1/interests/",
        body,
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-1",
        HTTP_ACCEPT_LANGUAGE="ur",
    )
    assert response.status_code == 201, response.content
    registration = InterestRegistration.objects.get()
    assert not registration.language.startswith("ur")

    accept_registration(registration)
    accepted = email_of(NotificationEvent.REGISTRATION_ACCEPTED, registration)
    assert accepted.subject == f"Registration {registration.reference} has been accepted"


def test_the_licence_and_the_return_reviews_follow_the_registration(
    accepted_registration, maker, checker
):
    InterestRegistration.objects.filter(pk=accepted_registration.pk).update(language="ur")
    accepted_registration.refresh_from_db()
    enterprise = services.enterprise_apply_from_registration(registration=accepted_registration)
    services.enterprise_recommend(enterprise=enterprise, user=maker)
    services.enterprise_approve(enterprise=enterprise, user=checker)
    enterprise = services.enterprise_issue_licence(
        enterprise=enterprise,
        user=checker,
        issued_on=datetime.date(2025, 9, 1),
        expires_on=datetime.date(2030, 8, 31),
    )
    licence = email_of(NotificationEvent.LICENCE_ISSUED, enterprise)
    assert URDU_LETTERS.search(licence.subject)
    assert 'lang="ur" dir="rtl"' in licence.body_html

    annual_return = AnnualReturnFactory(enterprise=enterprise)
    annual_return = services.return_submit(
        annual_return=annual_return,
        employees_total=40,
        employees_women=12,
        employees_foreign=2,
        exports_usd=Decimal("100000"),
        domestic_sales=Decimal("50000"),
        investment=Decimal("250000"),
        submitted_on=datetime.date(2026, 8, 1),
    )
    services.return_send_back(annual_return=annual_return, user=checker, note="Jobs missing")
    returned = email_of(NotificationEvent.RETURN_RETURNED, annual_return)
    assert URDU_LETTERS.search(returned.subject)
    assert "Jobs missing" in returned.body_text  # what the reviewer typed, as typed


def test_an_enterprise_without_a_registration_is_written_to_in_english():
    enterprise = EnterpriseFactory(registration=None)
    assert applicant_language(enterprise) is None
    assert applicant_language(AnnualReturnFactory(enterprise=enterprise)) is None


def test_staff_see_the_language_on_the_registration_page(client, form_data, admin_client):
    registration = submit_form(client, form_data, language="ur")
    page = admin_client.get(f"/admin/companies/interestregistration/{registration.pk}/change/")
    assert page.status_code == 200
    assert "emails written in" in page.content.decode().lower()
    assert ">Urdu<" in page.content.decode()
