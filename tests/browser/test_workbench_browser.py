"""Each admin page staff use, as a person sees it at 1366×900 and on a 390×844 phone.

For every page: no horizontal page overflow, no panel drawn over another, every label attached
to a field that exists, and a screenshot in artifacts/screenshots/. Then the two flows: a
registration reviewed by two people, and the KEK zone list imported from the browser.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from companies.models import InterestRegistration
from investments.models import Pledge
from tests.admin.roles import user_in_role
from tests.admin.test_import import KEK_FILE
from tests.factories import (
    CompanyFactory,
    ContactFactory,
    InterestRegistrationFactory,
    PledgeFactory,
    StaffUserFactory,
    TargetFactory,
    ZoneFactory,
    date_writes_since,
)
from zones.models import Zone

PASSWORD = "correct-horse-battery"
VIEWPORTS = {"desktop": (1366, 900), "phone": (390, 844)}

# Blocks that must never be drawn over one another (nested ones are skipped).
BLOCKS = (
    "#header, .breadcrumbs, #nav-sidebar, #content-main > .module, .registry-panel, "
    "#changelist-filter, #changelist .results, .submit-row, fieldset.module, "
    ".inline-group, #review-panel, .object-tools, #toolbar, .paginator, .actions"
)

PAGE_CHECKS = """
(blocks) => {
  const doc = document.documentElement;
  const problems = [];
  if (doc.scrollWidth > doc.clientWidth + 1) {
    problems.push(`page is ${doc.scrollWidth}px wide in a ${doc.clientWidth}px window`);
  }
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && style.visibility !== "hidden" && style.display !== "none";
  };
  const els = [...document.querySelectorAll(blocks)].filter(visible);
  for (let i = 0; i < els.length; i++) {
    for (let j = i + 1; j < els.length; j++) {
      const a = els[i], b = els[j];
      if (a.contains(b) || b.contains(a)) continue;
      const ra = a.getBoundingClientRect(), rb = b.getBoundingClientRect();
      const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
      const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
      if (w > 2 && h > 2) {
        const size = `${Math.round(w)}×${Math.round(h)}`;
        problems.push(`${a.id || a.className} overlaps ${b.id || b.className} (${size})`);
      }
    }
  }
  for (const label of document.querySelectorAll("label[for]")) {
    if (!document.getElementById(label.htmlFor)) {
      problems.push(`label "${label.textContent.trim()}" points at missing #${label.htmlFor}`);
    }
  }
  for (const note of document.querySelectorAll(".timezonewarning")) {
    if (visible(note) && !note.closest(".datetime")) {
      problems.push(`a date field says "${note.textContent.trim()}"`);
    }
  }
  for (const h of document.querySelectorAll("h1, h2")) {
    if (visible(h) && h.getBoundingClientRect().height > 200) {
      const tall = Math.round(h.getBoundingClientRect().height);
      problems.push(`heading "${h.textContent.trim()}" is ${tall}px tall`);
    }
  }
  return problems;
}
"""


def log_in(page, username):
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#programme-dashboard")


def check_page(page, screenshot, url, name):
    for label, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        response = page.goto(url)
        assert response.status == 200, url
        problems = page.evaluate(PAGE_CHECKS, BLOCKS)
        screenshot(page, f"workbench-{name}-{label}")
        assert problems == [], f"{url} at {width}px: {problems}"


@pytest.fixture
def programme(transactional_db):
    superuser = StaffUserFactory(username="officer", is_superuser=True)
    superuser.set_password(PASSWORD)
    superuser.save()
    zone = ZoneFactory(name="TPL Technology Zone Karachi", status="under_development", country="PK")
    company = CompanyFactory(name="Northwind Cloud Services Inc.")
    ContactFactory(company=company)
    PledgeFactory(zone=zone, company=company, amount=Decimal("2500000.00"))
    InterestRegistrationFactory(company=company, zones=[zone], status="under_review")
    TargetFactory(
        name="IT exports of US$5 billion a year",
        metric="it_exports_usd",
        target_value=Decimal("5000000000"),
        reported_value=Decimal("2125000000"),
        start_date=datetime.date(2020, 7, 1),
        due_date=datetime.date(2023, 6, 30),
    )
    return superuser


CHANGELISTS = (
    "zones/zone",
    "zones/zonedeveloper",
    "zones/sector",
    "zones/incentive",
    "companies/company",
    "companies/contact",
    "companies/interaction",
    "companies/interestregistration",
    "investments/pledge",
    "investments/exchangerate",
    "investments/target",
    "partners/partnerkey",
    "auth/user",
    "auth/group",
)


@pytest.mark.browser
def test_dashboard_draws_its_bars_and_fits_a_phone(programme, live_server, page, screenshot):
    log_in(page, "officer")
    check_page(page, screenshot, "/admin/", "dashboard")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/admin/")
    widths = page.eval_on_selector_all(
        ".registry-bar rect", "rects => rects.map(r => r.getBoundingClientRect().width)"
    )
    assert widths and max(widths) > 40, widths
    overdue = page.locator(".registry-overdue", has_text="IT exports")
    assert "overdue since 30 jun 2023" in overdue.inner_text().lower()


@pytest.mark.browser
def test_dashboard_figures_as_of_a_past_day(programme, live_server, page, screenshot):
    """Staff pick a day in the "Figures as of" field and see the figures of then."""
    # The fixture's records were written two days ago, a second pledge yesterday.
    today = timezone.localdate()
    date_writes_since(timezone.now() - datetime.timedelta(hours=1), today - datetime.timedelta(2))
    since = timezone.now()
    PledgeFactory(zone=Zone.objects.get(), amount=Decimal("1000000.00"))
    date_writes_since(since, today - datetime.timedelta(1))
    log_in(page, "officer")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/admin/")
    assert "$3,500,000" in page.inner_text("#programme-dashboard")
    page.fill("#id_as_of", (today - datetime.timedelta(2)).isoformat())
    page.click(".registry-as-of button")
    page.wait_for_selector(".registry-as-of-note")
    assert "$2,500,000" in page.inner_text("#programme-dashboard")
    assert "$3,500,000" not in page.inner_text("#programme-dashboard")
    check_page(page, screenshot, page.url.removeprefix(live_server.url), "dashboard-as-of")
    page.fill("#id_as_of", "2999-01-01")
    page.click(".registry-as-of button")
    assert "after today" in page.inner_text(".registry-as-of .errorlist")
    assert page.input_value("#id_as_of") == "2999-01-01"


@pytest.mark.browser
def test_every_changelist_fits_and_keeps_its_labels(programme, live_server, page, screenshot):
    log_in(page, "officer")
    for model in CHANGELISTS:
        check_page(page, screenshot, f"/admin/{model}/", model.replace("/", "-") + "-list")
    # The zone list's money columns are inside its box at desktop width.
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/admin/zones/zone/")
    box = page.locator("#changelist .results").bounding_box()
    money = page.locator("td.field-realized_usd").first.bounding_box()
    assert money["x"] + money["width"] <= box["x"] + box["width"] + 1
    assert page.locator("td.field-pledged_usd").first.inner_text() == "US$2,500,000"


@pytest.mark.browser
def test_every_change_form_and_history_fits(programme, live_server, page, screenshot):
    log_in(page, "officer")
    registration = InterestRegistration.objects.get()
    objects = {
        "zones/zone": Zone.objects.get().pk,
        "zones/zonedeveloper": Zone.objects.get().developer_id,
        "companies/company": registration.company_id,
        "companies/interestregistration": registration.pk,
        "investments/pledge": Pledge.objects.get().pk,
    }
    for model, pk in objects.items():
        name = model.replace("/", "-")
        check_page(page, screenshot, f"/admin/{model}/{pk}/change/", f"{name}-change")
        check_page(page, screenshot, f"/admin/{model}/{pk}/history/", f"{name}-history")
    for model in ("zones/zone", "companies/company", "investments/pledge"):
        check_page(page, screenshot, f"/admin/{model}/add/", model.replace("/", "-") + "-add")


@pytest.mark.browser
def test_a_registration_is_reviewed_by_two_people(transactional_db, live_server, page, screenshot):
    for username in ("amina", "bilal"):
        user_in_role("Reviewer", username, password=PASSWORD)
    registration = InterestRegistrationFactory(status="received")
    url = f"/admin/companies/interestregistration/{registration.pk}/change/"

    log_in(page, "amina")
    page.goto(url)
    page.fill("#id_review_note", "File complete; plans credible.")
    page.click("button[value=under_review]")
    page.wait_for_selector(".messagelist .success")
    page.fill("#id_review_note", "Recommend acceptance.")
    page.click("button[value=recommend]")
    page.wait_for_selector(".messagelist .success")
    # Amina recommended it: she is not offered acceptance's success, the service refuses her.
    page.click("button[value=accepted]")
    assert "two-person rule" in page.locator(".messagelist .error").inner_text()
    screenshot(page, "workbench-review-first-person")

    page.context.clear_cookies()
    log_in(page, "bilal")
    page.goto(url)
    assert "Recommended by amina" in page.locator("#review-panel").inner_text()
    page.fill("#id_review_note", "Agreed.")
    page.click("button[value=accepted]")
    page.wait_for_selector(".messagelist .success")
    log = page.locator(".inline-group").inner_text()
    for note in ("File complete; plans credible.", "Recommend acceptance.", "Agreed."):
        assert note in log
    screenshot(page, "workbench-review-second-person")
    registration.refresh_from_db()
    assert (registration.status, registration.recommended_by.username) == ("accepted", "amina")
    assert registration.reviewer.username == "bilal"


@pytest.mark.browser
def test_kek_zone_list_imports_from_the_browser_with_a_preview(
    transactional_db, live_server, page, screenshot
):
    user_in_role("Data entry", "clerk", password=PASSWORD)
    log_in(page, "clerk")
    page.goto("/admin/zones/zone/import/")
    check_page(page, screenshot, "/admin/zones/zone/import/", "zone-import")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.set_input_files("#id_import_file", str(KEK_FILE))
    page.select_option("#id_format", label="csv")
    page.click("input[type=submit]")
    page.wait_for_selector("table.import-preview")
    assert page.locator("table.import-preview tbody tr").count() == 25
    assert "Traceback" not in page.content()
    problems = page.evaluate(PAGE_CHECKS, BLOCKS)
    screenshot(page, "workbench-zone-import-preview")
    assert problems == []
    assert not Zone.objects.exists()
    page.click("input[name=confirm]")
    page.wait_for_selector(".messagelist .success")
    assert Zone.objects.filter(country="ID").count() == 25


@pytest.mark.browser
def test_a_large_import_runs_on_the_worker_with_its_own_page(
    settings, transactional_db, live_server, page, screenshot, run_tasks
):
    settings.BULK_IMPORT_ROWS = 10  # the KEK file's 25 rows count as large
    user_in_role("Data entry", "clerk", password=PASSWORD)
    log_in(page, "clerk")
    page.goto("/admin/zones/zone/import/")
    page.set_input_files("#id_import_file", str(KEK_FILE))
    page.select_option("#id_format", label="csv")
    page.click("input[type=submit]")
    page.wait_for_selector(".registry-job-status")
    job_url = page.url
    assert "Waiting for a worker" in page.locator(".registry-job-status").inner_text()
    assert page.locator("label[for=job-progress]").inner_text() == "0 of 25 rows"
    screenshot(page, "workbench-bulk-import-queued")

    run_tasks()  # the check
    check_page(page, screenshot, job_url, "bulk-import-checked")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(job_url)
    assert "25" in page.locator(".registry-job-totals").inner_text()
    assert not Zone.objects.exists()
    page.click("input[value='Confirm import']")
    page.wait_for_selector(".registry-job-status")
    run_tasks()  # the import
    page.goto(job_url)
    assert page.locator(".registry-job-status").inner_text() == "Done"
    check_page(page, screenshot, job_url, "bulk-import-done")
    check_page(page, screenshot, "/admin/core/bulkjob/", "bulk-job-list")
    assert Zone.objects.filter(country="ID").count() == 25
