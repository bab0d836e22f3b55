"""A visitor in headless Chromium: browse to a zone, register interest, follow the status link."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail
from playwright.sync_api import expect

from companies.models import InterestRegistration
from tests.factories import (
    CompanyFactory,
    IncentiveFactory,
    PledgeFactory,
    SectorFactory,
    TargetFactory,
    ZoneFactory,
    ZoneStatusChangeFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ZONE_LABEL = "Karachi Technology Zone — Karachi, Sindh (Under development)"


@pytest.fixture
def programme(settings, live_server):
    # The acknowledgement's link must point at the server the browser is using.
    settings.SITE_URL = live_server.url
    software = SectorFactory(name="Software", slug="software")
    zone = ZoneFactory(
        name="Karachi Technology Zone",
        slug="karachi-technology-zone",
        status="under_development",
        area_hectares=Decimal("21.50"),
        description="A technology park on Shahrah-e-Faisal (illustrative demo description).",
    )
    zone.sectors.add(software, SectorFactory(name="Fintech", slug="fintech"))
    zone.incentives.add(
        IncentiveFactory(name="Corporate-tax waiver", duration_years=10),
        IncentiveFactory(
            name="Duty-free imports of equipment and building material",
            kind="customs_exemption",
            duration_years=None,
        ),
    )
    ZoneStatusChangeFactory(zone=zone, status="approved", changed_on=datetime.date(2025, 2, 1))
    ZoneStatusChangeFactory(
        zone=zone,
        status="under_development",
        changed_on=datetime.date(2025, 8, 15),
        note="Construction of the first block began.",
    )
    for name, status in [
        ("Lahore Technology Park", "approved"),
        ("Islamabad Software Zone", "operational"),
        ("Peshawar Digital Zone", "proposed"),
    ]:
        ZoneFactory(name=name, status=status).sectors.add(software)
    PledgeFactory(
        company=CompanyFactory(name="Global Systems Inc", origin="global", country="US"),
        zone=zone,
        amount=Decimal("350000000"),
        status="committed",
    )
    PledgeFactory(zone=zone, amount=Decimal("120000000"))
    TargetFactory(name="Private investment pledged in two years")
    return zone


def fill_form(page, *, email):
    page.get_by_label("Company name").fill("Acme Ltd")
    page.get_by_label("Global", exact=True).check()
    page.get_by_label("Country of registration").select_option("GB")
    page.get_by_label("Sector (optional)").select_option("software")
    page.get_by_label("Website (optional)").fill("https://acme.example")
    page.get_by_label("Your full name").fill("Ayesha Khan")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Phone number (optional)").fill("+44 20 7946 0000")
    page.get_by_label("Planned investment in US dollars (optional)").fill("2,500,000")
    page.get_by_label("Jobs you expect to create (optional)").fill("120")
    page.get_by_label("Anything else we should know? (optional)").fill("Payments software.")
    page.get_by_label("I have read the privacy notice").check()


def test_visitor_browses_to_a_zone_registers_and_follows_the_status_link(
    page, programme, screenshot, run_tasks
):
    page.goto("/")
    expect(
        page.get_by_role("heading", name="Set up in Pakistan’s technology zones")
    ).to_be_visible()
    expect(page.locator(".stat-value").nth(2)).to_have_text("US$470.0 million")
    screenshot(page, "public-home")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Zones").click()
    expect(page.get_by_role("heading", name="Technology zones", exact=True)).to_be_visible()
    screenshot(page, "public-zone-list")
    page.get_by_role("link", name="Karachi Technology Zone").click()
    expect(page.get_by_role("heading", name="Karachi Technology Zone", level=1)).to_be_visible()
    expect(page.get_by_text("Construction of the first block began.")).to_be_visible()
    screenshot(page, "public-zone")

    page.locator(".cta-panel").get_by_role("link", name="Register interest").click()
    expect(page.get_by_label(ZONE_LABEL)).to_be_checked()
    screenshot(page, "public-form")
    fill_form(page, email="ayesha@acme.example")
    page.get_by_role("button", name="Send registration").click()

    expect(page.get_by_role("heading", name="Registration received")).to_be_visible()
    reference = page.get_by_test_id("reference").inner_text()
    assert re.fullmatch(r"TZR-[A-Z2-9]{4}-[A-Z2-9]{4}", reference)
    assert InterestRegistration.objects.get().reference == reference
    screenshot(page, "public-confirmation")

    run_tasks()  # the worker sends the queued emails
    acknowledgement = next(m for m in mail.outbox if m.to == ["ayesha@acme.example"])
    assert reference in acknowledgement.body
    status_link = re.search(r"http\S+/registrations/[\w-]+/", acknowledgement.body).group(0)
    assert status_link.startswith(programme_url(page))
    page.goto(status_link)
    expect(page.get_by_role("heading", name=reference)).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("Received")
    expect(page.get_by_role("link", name="Karachi Technology Zone")).to_be_visible()
    assert "ayesha" not in page.content().lower()
    screenshot(page, "public-status")


def programme_url(page):
    match = re.match(r"https?://[^/]+", page.url)
    return match.group(0)


def test_a_bad_email_keeps_every_typed_value_and_is_easy_to_fix(page, programme, screenshot):
    page.goto("/register/?zone=karachi-technology-zone")
    fill_form(page, email="ayesha-at-acme")
    page.get_by_role("button", name="Send registration").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # screen readers announce it first
    expect(summary.get_by_role("link")).to_have_text(re.compile("Email address: Enter an email"))
    email = page.get_by_label("Email address")
    expect(email).to_have_attribute("aria-invalid", "true")
    screenshot(page, "public-form-error")

    expect(page.get_by_label("Company name")).to_have_value("Acme Ltd")
    expect(page.get_by_label("Global", exact=True)).to_be_checked()
    expect(page.get_by_label("Country of registration")).to_have_value("GB")
    expect(page.get_by_label("Sector (optional)")).to_have_value("software")
    expect(page.get_by_label("Website (optional)")).to_have_value("https://acme.example")
    expect(page.get_by_label("Your full name")).to_have_value("Ayesha Khan")
    expect(email).to_have_value("ayesha-at-acme")
    expect(page.get_by_label("Phone number (optional)")).to_have_value("+44 20 7946 0000")
    expect(page.get_by_label("Planned investment in US dollars (optional)")).to_have_value(
        "2,500,000"
    )
    expect(page.get_by_label("Jobs you expect to create (optional)")).to_have_value("120")
    expect(page.get_by_label("Anything else we should know? (optional)")).to_have_value(
        "Payments software."
    )
    expect(page.get_by_label(ZONE_LABEL)).to_be_checked()
    assert InterestRegistration.objects.count() == 0

    summary.get_by_role("link").click()  # the summary takes the visitor to the field
    expect(email).to_be_focused()
    email.fill("ayesha@acme.example")
    page.get_by_role("button", name="Send registration").click()
    expect(page.get_by_role("heading", name="Registration received")).to_be_visible()
    assert InterestRegistration.objects.count() == 1


def test_the_site_is_usable_by_keyboard_and_on_a_phone(page, programme, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "public-home-phone")
    page.goto("/zones/karachi-technology-zone/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "public-zone-phone")
