"""Trust and contact: the privacy, accessibility and contact pages, consent, the status link."""

import re

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from companies.models import InterestRegistration

pytestmark = pytest.mark.django_db

PAGES = {
    "public:privacy": ["Privacy notice", "What the interest form collects", "Who sees it"],
    "public:accessibility": ["Accessibility statement", "WCAG", "2.2", "AA", "Known limits"],
    "public:contact": ["Contact us"],
}


@pytest.fixture
def authority(settings):
    settings.AUTHORITY_NAME = "Zones Authority of Testland"
    settings.AUTHORITY_EMAIL = "help@authority.example"
    settings.AUTHORITY_PHONE = "+92 51 1112223"
    settings.AUTHORITY_ADDRESS = "1 Test Avenue, Islamabad"
    settings.CONTACT_RETENTION_DAYS = 180
    return settings


@pytest.mark.parametrize(("name", "words"), PAGES.items())
def test_trust_pages_are_public_and_say_what_they_should(client, authority, name, words):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    for word in words:
        assert word in html
    assert "help@authority.example" in html  # everyone can be reached from every page


def test_contact_page_gives_the_authority_details_from_the_settings(client, authority):
    html = client.get(reverse("public:contact")).content.decode()
    assert "Zones Authority of Testland" in html
    assert 'href="mailto:help@authority.example"' in html
    assert 'href="tel:+92511112223"' in html
    assert "1 Test Avenue, Islamabad" in html


def test_privacy_notice_states_the_retention_setting_and_what_is_never_published(client, authority):
    html = client.get(reverse("public:privacy")).content.decode()
    assert '<strong data-testid="retention-days">180 days</strong>' in html
    assert "Never published:" in html
    assert "never contact names, email addresses, phone numbers or messages" in html


def test_authority_details_are_escaped(client, settings):
    settings.AUTHORITY_ADDRESS = "<script>alert(1)</script>"
    html = client.get(reverse("public:contact")).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_every_page_footer_links_the_trust_pages(client):
    html = client.get(reverse("public:zone-list")).content.decode()
    for name in ("public:privacy", "public:accessibility", "public:contact"):
        assert f'href="{reverse(name)}"' in html


def test_trust_pages_show_no_contact_personal_data(client, submit, registration_data):
    assert submit(registration_data).status_code == 302
    for name in PAGES:
        html = client.get(reverse(name)).content.decode()
        for personal in ("Ayesha", "ayesha@acme.example", "7946", "payment software"):
            assert personal not in html


def test_favicon_ico_redirects_permanently_to_the_svg_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == f"{django_settings.STATIC_URL}img/favicon.svg"
    assert (django_settings.BASE_DIR / "static" / "img" / "favicon.svg").is_file()


# --- consent on the form ----------------------------------------------------------------


def test_form_has_an_unticked_consent_box_whose_label_links_the_privacy_notice(client):
    html = client.get(reverse("public:register")).content.decode()
    box = re.search(r'<input type="checkbox" name="consent"[^>]*>', html).group(0)
    assert "checked" not in box
    assert 'id="id_consent"' in box
    assert 'aria-describedby="id_consent_helptext"' in box
    assert '<label for="id_consent">' in html
    assert f'href="{reverse("public:privacy")}"' in html


def test_without_consent_nothing_is_saved_and_everything_typed_is_kept(submit, registration_data):
    data = {key: value for key, value in registration_data.items() if key != "consent"}
    response = submit(data)

    assert response.status_code == 200
    assert InterestRegistration.objects.count() == 0
    form = response.context["form"]
    assert [error.code for error in form.errors.as_data()["consent"]] == ["required"]
    html = response.content.decode()
    assert 'href="#id_consent"' in html  # the summary links to the box
    assert 'id="id_consent_error"' in html
    for kept in ('value="Acme Ltd"', 'value="ayesha@acme.example"', "We build payment software."):
        assert kept in html
    assert 'value="karachi-technology-zone"' in html
    assert re.search(r'value="karachi-technology-zone"[^>]*checked', html)


def test_web_registration_records_when_consent_was_given(submit, registration_data):
    assert submit(registration_data).status_code == 302
    assert InterestRegistration.objects.get().consented_at is not None


# --- the status link on the confirmation page ---------------------------------------------


def test_confirmation_shows_the_status_link_which_then_works(
    client, submit, registration_data, settings
):
    settings.SITE_URL = "https://zones.example/"
    assert submit(registration_data).status_code == 302
    registration = InterestRegistration.objects.get()

    response = client.get(reverse("public:registration-done"))
    html = response.content.decode()
    expected = f"https://zones.example/registrations/{registration.status_token}/"
    assert f'href="{expected}"' in html
    assert f'value="{expected}"' in html
    assert "Bookmark it" in html
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]

    status_page = client.get(registration.get_absolute_url())
    assert status_page.status_code == 200
    assert registration.reference in status_page.content.decode()


def test_another_browser_sees_no_status_link(client, submit, registration_data):
    assert submit(registration_data).status_code == 302
    token = InterestRegistration.objects.get().status_token
    stranger = Client().get(reverse("public:registration-done"))
    assert stranger.status_code == 302
    assert token not in stranger.content.decode()
