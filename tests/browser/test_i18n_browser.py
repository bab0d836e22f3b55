"""The public site in Urdu in headless Chromium: right to left, nothing wider than the screen,
every form field labelled, at desktop and phone width (issue 16, ADR 0705)."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import ZoneFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": (1366, 900), "phone": (390, 844)}

UNLABELLED_FIELDS = """
() => [...document.querySelectorAll("main form input, main form select, main form textarea")]
  .filter((field) => field.type !== "hidden" && !field.closest(".hp-field"))
  .filter((field) => !(field.labels && [...field.labels].some((l) => l.textContent.trim())))
  .map((field) => field.name || field.id)
"""


@pytest.fixture
def zones(live_server):
    ZoneFactory(
        name="Karachi Technology Zone", slug="karachi-technology-zone", status="operational"
    )
    ZoneFactory(
        name="Lahore Technology Park",
        slug="lahore-technology-park",
        city="Lahore",
        province="Punjab",
        status="under_development",
    )


def in_urdu(page, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "ur", "url": live_server.url}])


def assert_fits(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_home_page_in_urdu_fits(page, live_server, zones, screenshot, viewport):
    width, height = VIEWPORTS[viewport]
    page.set_viewport_size({"width": width, "height": height})
    in_urdu(page, live_server)
    page.goto("/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "ur")
    expect(html).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "پاکستان کے ٹیکنالوجی زونز میں اپنا کاروبار قائم کریں"
    )
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert_fits(page, width)
    screenshot(page, f"i18n-home-ur-{viewport}")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_zone_page_in_urdu_fits_with_its_stepper_mirrored(
    page, live_server, zones, screenshot, viewport
):
    width, height = VIEWPORTS[viewport]
    page.set_viewport_size({"width": width, "height": height})
    in_urdu(page, live_server)
    page.goto("/zones/lahore-technology-park/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    steps = page.locator(".stepper li")
    first, last = steps.first.bounding_box(), steps.last.bounding_box()
    # Right to left: the first stage of the rollout is on the right.
    assert first["x"] > last["x"]
    assert_fits(page, width)
    screenshot(page, f"i18n-zone-ur-{viewport}")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_register_form_in_urdu_fits_and_labels_every_field(
    page, live_server, zones, screenshot, viewport
):
    width, height = VIEWPORTS[viewport]
    page.set_viewport_size({"width": width, "height": height})
    in_urdu(page, live_server)
    page.goto("/register/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert page.evaluate(UNLABELLED_FIELDS) == []
    expect(page.get_by_label("کمپنی کا نام")).to_be_visible()
    assert_fits(page, width)
    screenshot(page, f"i18n-register-ur-{viewport}")

    # Sent empty: the errors are in Urdu, and the page still fits.
    page.get_by_role("button", name="رجسٹریشن بھیجیں").click()
    expect(page.locator(".error-summary")).to_contain_text("آپ کے جوابات میں کچھ مسائل ہیں")
    assert page.evaluate(UNLABELLED_FIELDS) == []
    assert_fits(page, width)
    screenshot(page, f"i18n-register-errors-ur-{viewport}")


def test_the_switch_changes_language_on_the_same_page_without_script(page, live_server, zones):
    page.goto("/zones/karachi-technology-zone/")
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    page.get_by_role("button", name="اردو").click()
    expect(page).to_have_url(re.compile(r"/zones/karachi-technology-zone/$"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(re.compile(r"/zones/karachi-technology-zone/$"))
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
