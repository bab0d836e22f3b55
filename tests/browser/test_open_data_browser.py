"""The open data page in headless Chromium: readable on a laptop and a phone, files download."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import (
    CompanyFactory,
    EnterpriseFactory,
    PledgeFactory,
    TargetFactory,
    ZoneFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


@pytest.fixture
def registry():
    zone = ZoneFactory(name="Karachi Technology Zone", slug="karachi", status="operational")
    PledgeFactory(zone=zone, amount=Decimal("350000000"))
    EnterpriseFactory(
        zone=zone,
        company=CompanyFactory(name="Systems Limited (an unusually long company name, Pvt.)"),
        issued_on=datetime.date(2025, 9, 1),
    )
    TargetFactory(name="Private investment pledged in two years")
    return zone


@pytest.mark.parametrize("size", list(SIZES))
def test_open_data_page_fits_and_its_dictionaries_scroll_in_their_box(
    page, registry, screenshot, size
):
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="Open data").click()
    expect(page.get_by_role("heading", name="Open data", level=1)).to_be_visible()
    expect(page.get_by_test_id("dataset-zones")).to_contain_text("Technology zones")

    # Open every data dictionary (native <details>: no script needed).
    for summary in page.locator("details > summary").all():
        summary.click()
    expect(page.locator("details[open]")).to_have_count(page.locator("details").count())
    expect(
        page.get_by_role("table", name="Columns of rollout-report, in file order")
    ).to_be_visible()

    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Each table fits its page or scrolls inside its own .table-wrap box.
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('table.data')].filter(table => {
            const box = table.closest('.table-wrap');
            const fits = table.getBoundingClientRect().right <= window.innerWidth + 1;
            const scrolls = box && getComputedStyle(box).overflowX === 'auto'
                && box.getBoundingClientRect().right <= window.innerWidth + 1;
            return !(fits || scrolls);
        }).length"""
    )
    assert overflowing == 0
    screenshot(page, f"public-open-data-{size}")


def test_a_file_link_downloads_the_csv(page, registry):
    page.goto("/data/")
    with page.expect_download() as info:
        page.get_by_test_id("dataset-zones").get_by_role("link", name="CSV").click()
    download = info.value
    assert download.suggested_filename == "zones.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    assert text.startswith("slug,name,developer")
    assert "Karachi Technology Zone" in text
