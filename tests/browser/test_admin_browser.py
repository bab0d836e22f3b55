"""A Data entry clerk adds a zone with its first status step in the real admin, then finds it."""

import pytest

from tests.admin.roles import user_in_role
from tests.factories import ZoneDeveloperFactory
from zones.models import Zone

PASSWORD = "correct-horse-battery"


@pytest.mark.browser
def test_data_entry_adds_a_zone_with_a_status_change_and_finds_it(
    transactional_db, live_server, page, screenshot
):
    user_in_role("Data entry", "clerk", password=PASSWORD)
    ZoneDeveloperFactory(name="TPL Corp", slug="tpl-corp")

    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#programme-dashboard")

    page.goto("/admin/zones/zone/add/")
    page.locator("#id_name").press_sequentially("Quetta Technology Zone")
    assert page.input_value("#id_slug") == "quetta-technology-zone"  # prepopulated as typed
    # The developer is an autocomplete (select2): open it, search, pick.
    page.click(".field-developer .select2-selection")
    page.fill(".select2-search__field", "TPL")
    page.click(".select2-results__option >> text=TPL Corp")
    page.fill("#id_city", "Quetta")
    page.fill("#id_province", "Balochistan")
    page.select_option("#id_new_status", "approved")
    page.fill("#id_status_changed_on", "2026-04-01")
    page.fill("#id_status_note", "Approved by the zones board.")
    page.click("input[name=_save]")

    page.wait_for_selector(".messagelist .success")
    page.fill("#searchbar", "Quetta")
    page.press("#searchbar", "Enter")
    row = page.locator("#result_list tbody tr", has_text="Quetta Technology Zone")
    assert row.count() == 1
    assert "Approved" in row.inner_text()
    screenshot(page, "admin-data-entry-zone-added")

    zone = Zone.objects.get(slug="quetta-technology-zone")
    assert zone.status == "approved"
    step = zone.status_changes.get()
    assert (step.status, step.note, step.changed_by.username) == (
        "approved",
        "Approved by the zones board.",
        "clerk",
    )
