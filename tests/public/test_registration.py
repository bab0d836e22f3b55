"""Submitting the interest form: one registration per submission, safely, and the status link."""

import hashlib
import re
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from companies import views as company_views
from companies.models import Company, Contact, InterestRegistration
from companies.services import registration_transition
from notifications.models import Notification
from tests.factories import InterestRegistrationFactory, StaffUserFactory, ZoneFactory
from tests.public.conftest import fresh_form_token

pytestmark = pytest.mark.django_db

REGISTER = "/register/"
DONE = "/register/done/"


def status_link_from(message):
    match = re.search(r"https?://\S+/registrations/[\w-]+/", message.body)
    assert match, message.body
    return match.group(0)


def zone_link_count():
    return InterestRegistration.zones.through.objects.count()


def test_submission_redirects_to_a_confirmation_with_the_reference(
    client, submit, registration_data, karachi_zone
):
    response = submit(registration_data)

    assert response.status_code == 302
    assert response["Location"] == DONE
    registration = InterestRegistration.objects.get()
    assert registration.channel == "web"
    assert list(registration.zones.all()) == [karachi_zone]
    assert registration.company.name == "Acme Ltd"
    assert registration.contact.email == "ayesha@acme.example"
    assert str(registration.planned_investment_usd) == "2500000.00"
    done = client.get(DONE)
    assert done.status_code == 200
    assert registration.reference in done.text
    assert "Karachi Technology Zone" in done.text


def test_acknowledgement_carries_the_reference_and_status_link_and_staff_are_told(
    client, submit, registration_data, settings
):
    settings.REGISTRY_STAFF_EMAILS = ["desk@authority.example"]
    submit(registration_data)

    registration = InterestRegistration.objects.get()
    acknowledgement, notice = mail.outbox
    assert acknowledgement.to == ["ayesha@acme.example"]
    assert registration.reference in acknowledgement.subject
    assert registration.reference in acknowledgement.body
    assert status_link_from(acknowledgement).endswith(registration.get_absolute_url())
    assert notice.to == ["desk@authority.example"]
    assert registration.reference in notice.body
    assert registration.status_token not in notice.body  # staff do not need the private link


def test_the_status_link_shows_reference_zones_and_status_and_nothing_personal(
    client, submit, registration_data
):
    submit(registration_data)
    link = status_link_from(mail.outbox[0])

    page = Client().get(link)  # another browser: the link alone is enough

    registration = InterestRegistration.objects.get()
    assert page.status_code == 200
    assert registration.reference in page.text
    assert "Karachi Technology Zone" in page.text
    assert "Received" in page.text
    for personal in ("Ayesha", "ayesha@acme.example", "7946"):
        assert personal not in page.text
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in page["Cache-Control"]


def test_the_status_page_follows_the_review(client, registration_data):
    registration = InterestRegistrationFactory()
    registration_transition(
        registration=registration, status="under_review", user=StaffUserFactory()
    )
    page = client.get(registration.get_absolute_url())
    assert 'data-testid="status">Under review<' in page.text


def test_the_status_page_shows_nothing_about_other_registrations(client):
    mine = InterestRegistrationFactory(company__name="Mine Ltd")
    theirs = InterestRegistrationFactory(company__name="Theirs Ltd")
    page = client.get(mine.get_absolute_url())
    assert mine.reference in page.text
    assert theirs.reference not in page.text
    assert "Theirs" not in page.text


@pytest.mark.parametrize("token", ["wrong", "x" * 43, "y" * 5000, "%00", "a%00b", "%C3%A9"])
def test_a_wrong_status_token_is_a_404(client, token):
    InterestRegistrationFactory()
    response = client.get(f"/registrations/{token}/")
    assert response.status_code == 404
    assert "We can’t find that page" in response.text


def test_status_page_query_count(client, django_assert_max_num_queries):
    registration = InterestRegistrationFactory(zones=ZoneFactory.create_batch(5))
    with django_assert_max_num_queries(2):
        response = client.get(registration.get_absolute_url())
    assert response.status_code == 200


def test_company_spellings_are_matched_to_one_company(client, submit, registration_data):
    spellings = ["Acme Ltd", "ACME LIMITED", "Acme (Pvt.) Ltd"]
    for number, spelling in enumerate(spellings):
        response = submit(
            {
                **registration_data,
                "company_name": spelling,
                "contact_email": f"person{number}@acme.example",
            }
        )
        assert response.status_code == 302

    assert Company.objects.count() == 1
    assert Company.objects.get().name == "Acme Ltd"  # the first spelling is kept
    assert InterestRegistration.objects.count() == 3
    assert Contact.objects.count() == 3


def test_a_failure_midway_leaves_no_row(client, registration_data):
    """Company, contact, registration, zone links and an email are written; queueing fails."""
    client.raise_request_exception = False
    token = fresh_form_token(client)
    with mock.patch("notifications.outbox.enqueue", side_effect=RuntimeError("boom")) as last_step:
        response = client.post(REGISTER, {**registration_data, "form_token": token})

    assert last_step.called  # the failure came after every row had been inserted
    assert response.status_code == 500
    assert "Sorry, something went wrong" in response.text
    assert Company.objects.count() == 0
    assert Contact.objects.count() == 0
    assert InterestRegistration.objects.count() == 0
    assert zone_link_count() == 0
    assert Notification.objects.count() == 0
    # The form's token was released, so sending the same page again works.
    retry = client.post(REGISTER, {**registration_data, "form_token": token})
    assert retry.status_code == 302
    assert InterestRegistration.objects.count() == 1


def test_a_failure_after_the_company_is_created_leaves_no_company(client, registration_data):
    client.raise_request_exception = False
    token = fresh_form_token(client)
    with mock.patch("companies.services.contact_match_or_create", side_effect=RuntimeError("boom")):
        response = client.post(REGISTER, {**registration_data, "form_token": token})
    assert response.status_code == 500
    assert Company.objects.count() == 0


def test_a_mail_server_failure_does_not_lose_or_hide_the_registration(
    client, submit, registration_data, settings, free_port
):
    # A real SMTP connection to a port where nothing listens: the transport fails.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port
    response = submit(registration_data)

    assert response.status_code == 302
    registration = InterestRegistration.objects.get()
    emails = Notification.objects.filter(object_id=registration.pk)
    assert emails.count() == 2
    for email in emails:
        assert (email.status, email.attempts) == ("pending", 1)
        assert "Connection refused" in email.last_error or "Errno" in email.last_error
        assert email.next_attempt_at > timezone.now()


def test_the_same_form_sent_twice_makes_one_registration(client, submit, registration_data):
    token = fresh_form_token(client)
    first = submit(registration_data, token=token)
    second = submit(registration_data, token=token)

    assert InterestRegistration.objects.count() == 1
    assert first["Location"] == second["Location"] == DONE
    reference = InterestRegistration.objects.get().reference
    assert reference in client.get(DONE).text
    assert len(mail.outbox) == 2  # one acknowledgement, one staff notice


def test_a_copy_arriving_while_the_first_is_saved_registers_nothing(
    client, submit, registration_data, monkeypatch
):
    monkeypatch.setattr(company_views, "CLAIM_WAIT_SECONDS", 0)
    token = fresh_form_token(client)
    claim_key = "public:register:claim:" + hashlib.sha256(token.encode()).hexdigest()
    cache.set(claim_key, company_views.CLAIM_PENDING)  # the first copy is mid-flight

    response = submit(registration_data, token=token)

    assert response.status_code == 200
    assert "still saving this registration" in response.text
    assert InterestRegistration.objects.count() == 0


def test_the_same_data_from_a_reopened_form_is_not_registered_again(
    client, submit, registration_data
):
    submit(registration_data)
    again = submit(registration_data)  # a fresh page, so a fresh token

    assert InterestRegistration.objects.count() == 1
    assert again["Location"] == DONE


def test_a_repeat_from_another_browser_reveals_nothing_about_the_first(submit, registration_data):
    submit(registration_data)
    stranger = Client()
    response = submit(registration_data, http_client=stranger)

    registration = InterestRegistration.objects.get()
    assert response.status_code == 200
    assert "We already have this registration" in response.text
    assert registration.reference not in response.text
    assert registration.status_token not in response.text
    assert stranger.get(DONE)["Location"] == REGISTER


def test_identical_data_after_the_window_is_a_new_registration(submit, registration_data, settings):
    settings.PUBLIC_DUPLICATE_WINDOW_SECONDS = 0
    submit(registration_data)
    submit(registration_data)
    assert InterestRegistration.objects.count() == 2


def test_different_zones_from_the_same_contact_are_a_new_registration(
    submit, registration_data, lahore_zone
):
    submit(registration_data)
    submit({**registration_data, "zones": [lahore_zone.slug]})
    assert InterestRegistration.objects.count() == 2


@pytest.mark.parametrize("token", ["", "forged-token", "a" * 5000])
def test_a_missing_or_forged_form_token_asks_to_send_again(client, registration_data, token):
    response = client.post(REGISTER, {**registration_data, "form_token": token})

    assert response.status_code == 200
    assert "This copy of the form has expired" in response.text
    assert InterestRegistration.objects.count() == 0
    # The page carries a new valid token and everything typed, so one click sends it.
    new_token = response.context["form_token"]
    assert new_token != token
    resent = client.post(REGISTER, {**registration_data, "form_token": new_token})
    assert resent.status_code == 302


def test_a_filled_honeypot_registers_nothing(submit, registration_data):
    response = submit({**registration_data, "homepage": "http://buy-now.example"})
    assert response.status_code == 200
    assert "looks automated" in response.text
    assert InterestRegistration.objects.count() == 0


def test_errors_are_shown_in_a_summary_and_by_the_field_and_typed_values_kept(
    submit, registration_data
):
    response = submit({**registration_data, "contact_email": "ayesha-at-acme"})

    assert response.status_code == 200
    html = response.text
    assert 'class="error-summary" role="alert"' in html
    assert 'href="#id_contact_email"' in html
    assert 'id="id_contact_email_error"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_contact_email_helptext id_contact_email_error"' in html
    for typed in ("Acme Ltd", "ayesha-at-acme", "+44 20 7946 0000", "2,500,000", "120"):
        assert f'value="{typed}"' in html
    assert "We build payment software." in html
    assert 'value="karachi-technology-zone"' in html
    assert re.search(r'value="karachi-technology-zone"[^>]*checked', html)
    assert re.search(r'value="global"[^>]*checked', html)
    assert re.search(r'<option value="GB" selected>', html)
    assert InterestRegistration.objects.count() == 0


def test_a_zone_is_preselected_from_the_zone_page_link(client, karachi_zone, lahore_zone):
    by_slug = client.get(f"{REGISTER}?zone={karachi_zone.slug}").text
    by_id = client.get(f"{REGISTER}?zone={lahore_zone.pk}").text
    assert re.search(r'value="karachi-technology-zone"[^>]*checked', by_slug)
    assert not re.search(r'value="lahore-technology-park"[^>]*checked', by_slug)
    assert re.search(r'value="lahore-technology-park"[^>]*checked', by_id)


@pytest.mark.parametrize("zone", ["no-such-zone", "9" * 40, "<script>", "\x00", "a\x00b"])
def test_an_unknown_preselected_zone_is_ignored(client, karachi_zone, zone):
    response = client.get(REGISTER, {"zone": zone})
    assert response.status_code == 200
    assert " checked" not in response.text


def test_a_cancelled_zone_is_neither_offered_nor_preselected(client):
    cancelled = ZoneFactory(status="cancelled", slug="closed-zone")
    response = client.get(f"{REGISTER}?zone={cancelled.slug}")
    assert "closed-zone" not in response.text


def test_submissions_are_rate_limited_per_address(client, submit, registration_data, settings):
    # An hour window: django-ratelimit's windows start at a per-address offset, so a minute
    # window could roll over between the posts and let the third through.
    settings.PUBLIC_REGISTRATION_RATE = "2/h"
    bad = {**registration_data, "contact_email": "bad"}  # invalid posts count too
    assert submit(bad).status_code == 200
    assert submit(bad).status_code == 200

    limited = submit(registration_data)

    assert limited.status_code == 429
    assert limited["Retry-After"] == "3600"
    assert "Too many submissions from your connection" in limited.text
    assert InterestRegistration.objects.count() == 0
    assert client.get(REGISTER).status_code == 200  # reading the form is never limited
    other_address = submit(registration_data, REMOTE_ADDR="203.0.113.9")
    assert other_address.status_code == 302


@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
def test_an_oversized_request_is_a_413_page_without_a_traceback(
    client, registration_data, settings, caplog, encoding
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    data = {**registration_data, "message": "x" * 20_000, "form_token": fresh_form_token(client)}
    if encoding == "urlencoded":
        response = client.post(
            REGISTER, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded"
        )
    else:
        response = client.post(REGISTER, data)
    assert response.status_code == 413
    assert "What you sent is too large" in response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert not [record for record in caplog.records if record.exc_info]
    assert InterestRegistration.objects.count() == 0


def test_too_many_zone_values_are_refused_without_a_500(client, registration_data):
    token = fresh_form_token(client)
    response = client.post(
        REGISTER,
        {**registration_data, "zones": [str(n) for n in range(2000)], "form_token": token},
    )
    assert response.status_code == 400  # DATA_UPLOAD_MAX_NUMBER_FIELDS
    assert InterestRegistration.objects.count() == 0


def test_the_form_requires_csrf(registration_data):
    browser = Client(enforce_csrf_checks=True)
    token = fresh_form_token(browser)
    response = browser.post(REGISTER, {**registration_data, "form_token": token})
    assert response.status_code == 403
    assert InterestRegistration.objects.count() == 0


def test_the_confirmation_page_needs_this_browsers_submission(client):
    InterestRegistrationFactory()
    response = client.get(DONE)
    assert response.status_code == 302
    assert response["Location"] == REGISTER


def test_form_page_query_count(client, django_assert_max_num_queries):
    ZoneFactory.create_batch(15)
    with django_assert_max_num_queries(2):  # sectors and zones for the choices
        response = client.get(REGISTER)
    assert response.status_code == 200


def test_confirmation_page_query_count(
    client, submit, registration_data, lahore_zone, django_assert_max_num_queries
):
    submit({**registration_data, "zones": [registration_data["zones"][0], lahore_zone.slug]})
    with django_assert_max_num_queries(3):  # the session, the registration, its zones
        response = client.get(reverse("public:registration-done"))
    assert response.status_code == 200
