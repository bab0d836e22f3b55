"""The portal as its people use it, in headless Chromium.

A company claims its account from the private status link, answers the authority's question
with a document, then holds its licence and files its annual return (fixing a wrong figure,
and correcting what staff sent back). A zone developer signs in and sees its own zone's
pipeline, and nothing of another developer's. Every page opened is checked at 1366×900 and on a
390×844 phone: no horizontal overflow, every field labelled, and a screenshot in
artifacts/screenshots/ (portal-<page>-desktop.png, portal-<page>-phone.png).

Staff's steps (review, licence, sending a return back) are taken through the services, as the
admin would take them: the admin has its own browser tests.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail
from playwright.sync_api import expect

from companies import services as company_services
from companies.models import InterestRegistration
from enterprises import services as enterprise_services
from enterprises.models import AnnualReturn
from portal import services as portal_services
from portal.choices import InvitationVia
from tests.factories import (
    CompanyFactory,
    ContactFactory,
    EnterpriseFactory,
    InterestRegistrationFactory,
    StaffUserFactory,
    ZoneDeveloperFactory,
    ZoneFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Quiet-river-harbour-42"
VIEWPORTS = {"desktop": (1366, 900), "phone": (390, 844)}
QUESTION = "Please send your certificate of incorporation."
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00" + b"\x00" * 2048

# What a person would notice: a page wider than the window, a label that labels nothing, a
# field with no label (a screen reader reads it as "edit text").
PAGE_CHECKS = """
() => {
  const problems = [];
  const width = document.documentElement.scrollWidth;
  if (width > window.innerWidth) {
    problems.push(`page is ${width}px wide in a ${window.innerWidth}px window`);
  }
  for (const label of document.querySelectorAll("label[for]")) {
    if (!document.getElementById(label.htmlFor)) {
      problems.push(`label "${label.textContent.trim()}" points at missing #${label.htmlFor}`);
    }
  }
  const unlabelled = ["hidden", "submit", "button", "reset", "image"];
  for (const field of document.querySelectorAll("input, select, textarea")) {
    if (unlabelled.includes(field.type)) continue;
    if (field.labels.length || field.getAttribute("aria-label")) continue;
    if (field.getAttribute("aria-labelledby")) continue;
    problems.push(`field ${field.name || field.id} has no label`);
  }
  return problems;
}
"""


def look(page, screenshot, name):
    """Check the open page at both widths and screenshot it, then go back to the desktop."""
    for label, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        problems = page.evaluate(PAGE_CHECKS)
        screenshot(page, f"portal-{name}-{label}")
        assert problems == [], f"{page.url} at {width}px: {problems}"
    page.set_viewport_size({"width": 1366, "height": 900})


def email_link(to, pattern):
    message = next(m for m in reversed(mail.outbox) if m.to == [to] and re.search(pattern, m.body))
    return re.search(pattern, message.body).group(0)


def sign_in(page, email, password=PASSWORD):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()


@pytest.fixture
def portal_site(settings, live_server):
    # Emailed links must point at the server the browser uses (uploads: tests/conftest.py).
    settings.SITE_URL = live_server.url
    return live_server


@pytest.fixture
def reviewers(transactional_db):
    return StaffUserFactory(username="amina"), StaffUserFactory(username="bilal")


def test_a_company_claims_its_account_answers_and_files_its_return(
    page, portal_site, reviewers, screenshot, run_tasks, tmp_path
):
    amina, bilal = reviewers
    zone = ZoneFactory(name="Karachi Technology Zone", status="operational")
    registration = company_services.registration_submit(
        zones=[zone],
        company_name="Indus Cloud Ltd",
        origin="domestic",
        country="PK",
        contact_name="Sana Mirza",
        contact_email="sana@induscloud.example",
        planned_investment_usd=Decimal("2500000"),
        planned_jobs=80,
        message="Cloud hosting and managed services.",
    )
    for status, note in (("under_review", ""), ("information_requested", QUESTION)):
        company_services.registration_transition(
            registration=registration, status=status, user=amina, note=note
        )
    run_tasks()  # the acknowledgement and the question go out first
    page.set_viewport_size({"width": 1366, "height": 900})

    # The private status link: the contact asks for an account.
    page.goto(registration.get_absolute_url())
    page.get_by_role("button", name="Email me a link to open the account").click()
    expect(page.get_by_text("We have emailed a link to open your portal account")).to_be_visible()
    look(page, screenshot, "claim-sent")

    run_tasks()
    link = email_link("sana@induscloud.example", r"http\S+/portal/accept/[\w-]+/")
    assert link.startswith(portal_site.url)
    page.goto(link)
    look(page, screenshot, "accept")
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("The same password again").fill(PASSWORD)
    page.get_by_role("button", name="Open the account").click()

    page.wait_for_url("**/portal/")
    expect(page.get_by_text("Your portal account for Indus Cloud Ltd is ready")).to_be_visible()
    expect(page.get_by_text(QUESTION).first).to_be_visible()
    look(page, screenshot, "company-home")

    page.get_by_role("link", name=registration.reference).first.click()
    page.wait_for_url(f"**/portal/registrations/{registration.reference}/")
    expect(page.get_by_text(QUESTION).first).to_be_visible()
    look(page, screenshot, "company-registration")

    # A program renamed .pdf is refused; what was typed stays, to send with the right file.
    answer = "Attached: our certificate of incorporation, issued by the SECP in 2019."
    page.get_by_label("Your answer").fill(answer)
    program = tmp_path / "certificate.pdf"
    program.write_bytes(EXE)
    page.get_by_label("Documents", exact=True).set_input_files(str(program))
    page.get_by_role("button", name="Send the answer").click()
    expect(page.get_by_text("is not a document we accept").first).to_be_visible()
    expect(page.get_by_label("Your answer")).to_have_value(answer)
    look(page, screenshot, "company-answer-refused")
    assert InterestRegistration.objects.get().status == "information_requested"

    certificate = tmp_path / "incorporation.pdf"
    certificate.write_bytes(PDF)
    page.get_by_label("Documents", exact=True).set_input_files(str(certificate))
    page.get_by_role("button", name="Send the answer").click()
    expect(page.locator(".page-head .badge")).to_have_text("Under review")
    expect(page.get_by_role("link", name="incorporation.pdf")).to_be_visible()
    expect(page.get_by_text(answer).first).to_be_visible()
    look(page, screenshot, "company-registration-answered")
    registration.refresh_from_db()
    assert registration.status == "under_review"
    assert registration.documents.get().original_name == "incorporation.pdf"

    # Staff: two people accept it, then the licence is granted and the first return opened.
    company_services.registration_recommend(registration=registration, user=amina)
    company_services.registration_transition(
        registration=registration, status="accepted", user=bilal, note="Welcome."
    )
    enterprise = enterprise_services.enterprise_apply_from_registration(registration=registration)
    enterprise_services.enterprise_recommend(enterprise=enterprise, user=amina)
    enterprise_services.enterprise_approve(enterprise=enterprise, user=bilal)
    enterprise = enterprise_services.enterprise_issue_licence(
        enterprise=enterprise,
        user=bilal,
        issued_on=datetime.date(2025, 7, 1),
        expires_on=datetime.date(2030, 6, 30),
    )
    annual_return = enterprise_services.return_open(enterprise=enterprise, fiscal_year="2025-26")

    page.goto("/portal/licences/")
    expect(page.get_by_text(enterprise.licence_number).first).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"30 June 2030|30 Jun 2030|2030-06-30")).first
    ).to_be_visible()
    look(page, screenshot, "company-licences")
    page.get_by_role("link", name=enterprise.licence_number).first.click()
    page.wait_for_url(f"**/portal/licences/{enterprise.pk}/")
    look(page, screenshot, "company-licence")

    page.goto("/portal/returns/")
    look(page, screenshot, "company-returns")
    page.get_by_role("link", name=re.compile("2025-26")).first.click()
    page.wait_for_url(f"**/portal/returns/{annual_return.pk}/")
    look(page, screenshot, "company-return")

    figures = {
        "Employees at the year’s end": "40",
        "of whom women": "55",
        "of whom foreign nationals": "2",
        "Exports in the year (US dollars)": "100000",
        "Sales in Pakistan in the year": "5000000",
        "Investment in the year": "200000",
    }
    for label, value in figures.items():
        page.get_by_label(label).fill(value)
    submit = page.get_by_role("button", name="Submit the return")
    submit.click()
    women = page.get_by_label("of whom women")
    expect(page.get_by_text(re.compile("cannot exceed the total")).first).to_be_visible()
    expect(women).to_have_attribute("aria-invalid", "true")
    for label, value in figures.items():
        expect(page.get_by_label(label)).to_have_value(value)
    look(page, screenshot, "company-return-error")
    assert AnnualReturn.objects.get().status == "due"

    women.fill("12")
    submit.click()
    expect(page.locator(".page-head .badge")).to_have_text("Submitted")
    look(page, screenshot, "company-return-submitted")
    annual_return.refresh_from_db()
    assert (annual_return.status, annual_return.employees_women) == ("submitted", 12)

    note = "Exports differ from your audited accounts (US$120,000): correct them."
    enterprise_services.return_send_back(annual_return=annual_return, user=amina, note=note)
    page.reload()
    expect(page.get_by_text("What to correct").first).to_be_visible()
    expect(page.get_by_text(note)).to_be_visible()
    look(page, screenshot, "company-return-returned")
    page.get_by_label("Exports in the year (US dollars)").fill("120000")
    page.get_by_role("button", name="Submit the return").click()
    expect(page.locator(".page-head .badge")).to_have_text("Submitted")
    expect(page.get_by_text("What to correct")).to_have_count(0)
    look(page, screenshot, "company-return-resubmitted")
    annual_return.refresh_from_db()
    assert annual_return.status == "submitted"
    assert annual_return.exports_usd == Decimal("120000")


def test_a_developer_sees_its_own_zone_and_nothing_of_another(page, portal_site, screenshot):
    developer_x = ZoneDeveloperFactory(name="TPL Properties")
    zone_x1 = ZoneFactory(name="TPL Technology Zone Karachi", developer=developer_x)
    zone_y1 = ZoneFactory(name="Lahore Software Park", developer=ZoneDeveloperFactory())
    company = CompanyFactory(name="Northwind Cloud Services")
    contact = ContactFactory(company=company, email="private.contact@northwind.example")
    registration = InterestRegistrationFactory(
        company=company, contact=contact, zones=[zone_x1], status="under_review"
    )
    EnterpriseFactory(company=CompanyFactory(name="Ravi Data Systems"), zone=zone_x1)
    InterestRegistrationFactory(company=CompanyFactory(name="Elsewhere Ltd"), zones=[zone_y1])
    _, token = portal_services.invitation_create(
        email="farah@tpl.example", via=InvitationVia.STAFF, developer=developer_x
    )
    portal_services.invitation_accept(token=token, password=PASSWORD)

    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, "farah@tpl.example")
    page.wait_for_url("**/portal/**")
    page.goto("/portal/")
    expect(page.get_by_text("TPL Properties").first).to_be_visible()
    expect(page.get_by_text("TPL Technology Zone Karachi").first).to_be_visible()
    look(page, screenshot, "developer-home")

    page.goto("/portal/zones/")
    look(page, screenshot, "developer-zones")
    page.get_by_role("link", name="TPL Technology Zone Karachi").first.click()
    page.wait_for_url(f"**/portal/zones/{zone_x1.slug}/")
    look(page, screenshot, "developer-zone")

    page.goto("/portal/registrations/")
    expect(page.get_by_text("Northwind Cloud Services").first).to_be_visible()
    expect(page.get_by_text("Elsewhere Ltd")).to_have_count(0)
    assert "private.contact" not in page.content()
    look(page, screenshot, "developer-registrations")
    page.get_by_role("link", name=registration.reference).first.click()
    page.wait_for_url(f"**/portal/registrations/{registration.reference}/")
    expect(page.get_by_text("Northwind Cloud Services").first).to_be_visible()
    assert "private.contact" not in page.content()
    look(page, screenshot, "developer-registration")

    page.goto("/portal/licences/")
    expect(page.get_by_text("Ravi Data Systems").first).to_be_visible()
    look(page, screenshot, "developer-enterprises")

    response = page.goto(f"/portal/zones/{zone_y1.slug}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="We can’t find that page")).to_be_visible()
    assert "Lahore Software Park" not in page.content()
    look(page, screenshot, "developer-other-zone-404")


def test_the_sign_in_page_is_labelled_and_fits_a_phone(page, portal_site, screenshot):
    page.set_viewport_size({"width": 1366, "height": 900})
    response = page.goto("/accounts/login/")
    assert response.status == 200
    expect(page.get_by_label("Email")).to_be_visible()
    expect(page.get_by_label("Password", exact=True)).to_be_visible()
    look(page, screenshot, "sign-in")
