"""The zone map in headless Chromium: it fits a desktop and a phone, and its markers navigate."""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.factories import CompanyFactory, PledgeFactory, TargetFactory, ZoneFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": (1366, 900), "phone": (390, 844)}


@pytest.fixture
def zones(live_server):
    karachi = ZoneFactory(
        name="Karachi Technology Zone", slug="karachi-technology-zone", status="operational"
    )
    ZoneFactory(
        name="Lahore Technology Park",
        slug="lahore-technology-park",
        city="Lahore",
        province="Punjab",
        latitude=Decimal("31.5204"),
        longitude=Decimal("74.3587"),
        status="approved",
    )
    ZoneFactory(name="Gwadar Digital Zone", slug="gwadar", latitude=None, longitude=None)
    for number in range(4):
        PledgeFactory(
            zone=karachi,
            company=CompanyFactory(name=f"A rather long company name number {number} Ltd"),
            amount=Decimal("1234567890"),
        )
    TargetFactory(
        name="Zones opened by 2020",
        metric="zones_operational",
        target_value=Decimal("50"),
        start_date=datetime.date(2019, 1, 1),
        due_date=datetime.date(2020, 12, 31),
    )
    return karachi


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize(
    ("name", "url"),
    [("home", "/"), ("zones", "/zones/"), ("zone", "/zones/karachi-technology-zone/")],
)
def test_the_map_fits_and_its_markers_navigate(page, zones, screenshot, viewport, name, url):
    width, height = VIEWPORTS[viewport]
    page.set_viewport_size({"width": width, "height": height})
    page.goto(url)
    if name == "zones":
        # The catalogue folds its map away under a summary; opening it needs no script.
        page.get_by_text("Show the zones of this page on a map").click()
    svg = page.locator("svg.zone-map-svg")
    expect(svg).to_be_visible()
    assert svg.bounding_box()["width"] > 200
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"zone-map-{name}-{viewport}")
    marker = page.locator('a.map-marker[href="/zones/karachi-technology-zone/"]')
    marker.scroll_into_view_if_needed()
    marker.click()
    expect(page).to_have_url(re.compile(r"/zones/karachi-technology-zone/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Karachi Technology Zone")


def test_on_a_phone_key_facts_come_before_the_pledges(page, zones, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/zones/karachi-technology-zone/")
    facts = page.locator("aside.key-facts").bounding_box()
    pledges = page.locator("#pledges-title").bounding_box()
    assert facts["y"] < pledges["y"]
    # Every pledge's amount is on screen, not cut off to the right.
    amount = page.locator("td.num").first.bounding_box()
    assert amount["x"] + amount["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "zone-map-zone-phone-pledges")
