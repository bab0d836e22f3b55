"""The trust pages and the form's consent box in headless Chromium, at desktop and phone width."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import ZoneFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    ("/privacy/", "Privacy notice", "trust-privacy"),
    ("/accessibility/", "Accessibility statement", "trust-accessibility"),
    ("/contact/", "Contact us", "trust-contact"),
]
VIEWPORTS = [({"width": 1366, "height": 900}, ""), ({"width": 390, "height": 844}, "-phone")]


@pytest.mark.parametrize(("viewport", "suffix"), VIEWPORTS, ids=["desktop", "phone"])
def test_trust_pages_fit_the_screen_and_are_linked_from_the_footer(
    page, screenshot, viewport, suffix
):
    page.set_viewport_size(viewport)
    for path, heading, name in PAGES:
        page.goto("/")
        page.locator(".site-footer").get_by_role("link", name=heading.split()[0]).click()
        expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
        assert page.url.endswith(path)
        # Nothing wider than the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], path
        screenshot(page, f"{name}{suffix}")


def test_consent_box_has_a_label_and_is_required(page, screenshot):
    ZoneFactory(name="Karachi Technology Zone", slug="karachi-technology-zone")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/register/")
    consent = page.get_by_label("I have read the privacy notice")
    expect(consent).not_to_be_checked()
    expect(consent).to_have_attribute("name", "consent")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("button", name="Send registration").click()
    summary = page.locator(".error-summary")
    expect(summary.get_by_role("link", name="Consent: Tick the box")).to_be_visible()
    summary.get_by_role("link", name="Consent: Tick the box").click()
    expect(page.get_by_label("I have read the privacy notice")).to_be_focused()
    page.get_by_label("I have read the privacy notice").check()
    expect(page.get_by_label("I have read the privacy notice")).to_be_checked()
    screenshot(page, "trust-consent-phone")

    page.get_by_role("link", name="Read the privacy notice").click()
    expect(page.get_by_role("heading", name="Privacy notice", level=1)).to_be_visible()


def test_confirmation_at_phone_width_shows_a_status_link_that_works(
    page, screenshot, settings, live_server
):
    settings.SITE_URL = live_server.url  # the link must point at the server the browser uses
    zone = ZoneFactory(name="Karachi Technology Zone", slug="karachi-technology-zone")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/register/?zone={zone.slug}")
    page.get_by_label("Company name").fill("Acme Ltd")
    page.get_by_label("Global", exact=True).check()
    page.get_by_label("Country of registration").select_option("GB")
    page.get_by_label("Your full name").fill("Ayesha Khan")
    page.get_by_label("Email address").fill("ayesha@acme.example")
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Send registration").click()

    expect(page.get_by_role("heading", name="Registration received")).to_be_visible()
    kept = page.get_by_label("The link to keep")
    expect(kept).to_have_value(re.compile(r"^http\S+/registrations/[\w-]+/$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "trust-confirmation-phone")

    reference = page.get_by_test_id("reference").inner_text()
    page.get_by_test_id("status-link").click()
    expect(page.get_by_role("heading", name=reference)).to_be_visible()
    assert "ayesha" not in page.content().lower()
