"""The company's portal pages: its own registrations, licences, plots and returns, the answer to
an information request, withdrawal, renewal requests and filing a return.

Company A (user_a) owns the records of tests.portal.conftest; company B's records are 404 to it,
the same answer as for a record that never existed.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from companies.choices import RegistrationStatus, ReviewAction
from companies.models import InterestRegistration, ReviewLogEntry
from enterprises.models import AnnualReturn
from portal.choices import RenewalRequestStatus
from portal.models import Document, RenewalRequest
from tests.factories import (
    AnnualReturnFactory,
    EnterpriseFactory,
    InterestRegistrationFactory,
    PlotFactory,
    ZoneFactory,
)

pytestmark = pytest.mark.django_db

QUESTION = "Please send the audited accounts of your last two years."
INTERNAL_NOTE = "Reviewer-only: the board is sceptical of this applicant."

FIGURES = {
    "employees_total": "40",
    "employees_women": "12",
    "employees_foreign": "3",
    "exports_usd": "250000",
    "domestic_sales": "100000",
    "investment": "50000",
    "currency": "USD",
}


@pytest.fixture
def client_a(client, user_a):
    client.force_login(user_a)
    return client


@pytest.fixture
def asked(registration_a):
    """Company A's registration with the reviewers' question waiting for an answer."""
    InterestRegistration.objects.filter(pk=registration_a.pk).update(
        status=RegistrationStatus.INFORMATION_REQUESTED, review_note=QUESTION
    )
    ReviewLogEntry.objects.create(
        registration=registration_a,
        action=ReviewAction.INFORMATION_REQUESTED,
        from_status=RegistrationStatus.UNDER_REVIEW,
        to_status=RegistrationStatus.INFORMATION_REQUESTED,
        note=QUESTION,
    )
    ReviewLogEntry.objects.create(
        registration=registration_a, action=ReviewAction.NOTE, note=INTERNAL_NOTE
    )
    registration_a.refresh_from_db()
    return registration_a


@pytest.fixture
def company_b_records(company_b, zone_y):
    enterprise = EnterpriseFactory(company=company_b, zone=zone_y)
    return {
        "registration": InterestRegistrationFactory(company=company_b, zones=[zone_y]),
        "enterprise": enterprise,
        "annual_return": AnnualReturnFactory(enterprise=enterprise),
        "plot": PlotFactory(zone=zone_y, status="allocated", enterprise=enterprise),
    }


def url(name, *args):
    return reverse(f"portal:{name}", args=args)


# --- every page renders, with the company's own records -------------------------------------


def test_every_page_renders_for_the_company(
    client_a, asked, enterprise_a, annual_return_a, plot_x, document_a
):
    pages = [
        url("home"),
        url("registrations"),
        url("registration", asked.reference),
        url("licences"),
        url("licence", enterprise_a.pk),
        url("plots"),
        url("returns"),
        url("return", annual_return_a.pk),
        url("colleagues"),
    ]
    for page in pages:
        response = client_a.get(page)
        assert response.status_code == 200, page
        assert response["Cache-Control"] == "private, no-store"


def test_the_overview_calls_out_the_authoritys_question(
    client_a, asked, enterprise_a, annual_return_a
):
    text = client_a.get(url("home")).text
    assert "The authority has a question" in text
    assert url("registration", asked.reference) in text
    assert enterprise_a.licence_number in text
    assert "31 August 2035" in text  # the licence's expiry
    assert "28 October 2026" in text  # the return's due date


def test_the_overview_is_friendly_when_empty(client_a):
    text = client_a.get(url("home")).text
    assert "no interest registrations yet" in text
    assert "No licence yet" in text
    assert "No return is due" in text


def test_empty_lists_say_so(client_a):
    assert "no interest registrations yet" in client_a.get(url("registrations")).text
    assert "no licence or licence application" in client_a.get(url("licences")).text
    assert "holds no plot yet" in client_a.get(url("plots")).text
    assert "No annual return has been opened" in client_a.get(url("returns")).text


def test_another_companys_records_are_404(client_a, company_b_records, documents_dir, user_b):
    from portal.services import documents_attach

    records = company_b_records
    (document,) = documents_attach(
        uploads=[_pdf()], user=user_b, registration=records["registration"]
    )
    for page in [
        url("registration", records["registration"].reference),
        url("licence", records["enterprise"].pk),
        url("return", records["annual_return"].pk),
        url("document", document.pk),
    ]:
        assert client_a.get(page).status_code == 404, page
    for page, data in [
        (url("registration", records["registration"].reference), {"message": "Hello"}),
        (url("registration-withdraw", records["registration"].reference), {"reason": ""}),
        (url("licence-renew", records["enterprise"].pk), {"message": ""}),
        (url("return", records["annual_return"].pk), {**FIGURES, "action": "draft"}),
    ]:
        assert client_a.post(page, data).status_code == 404, page
    assert InterestRegistration.objects.get(pk=records["registration"].pk).status == "received"
    assert not RenewalRequest.objects.exists()
    assert AnnualReturn.objects.get(pk=records["annual_return"].pk).employees_total is None
    # …and none of them shows in company A's lists.
    for page in [url("registrations"), url("licences"), url("plots"), url("returns")]:
        text = client_a.get(page).text
        assert records["registration"].reference not in text
        assert records["enterprise"].licence_number not in text


# --- registrations -------------------------------------------------------------------------


def test_the_registration_shows_the_question_and_never_internal_notes(client_a, asked):
    response = client_a.get(url("registration", asked.reference))
    text = response.text
    assert QUESTION in text
    assert 'class="question"' in text
    assert INTERNAL_NOTE not in text
    assert 'name="message"' in text
    assert 'enctype="multipart/form-data"' in text
    assert url("registration-withdraw", asked.reference) in text


def _pdf(name="accounts.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.portal.conftest import PDF_BYTES

    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def test_answering_with_a_document_resumes_the_review(client_a, asked, documents_dir):
    response = client_a.post(
        url("registration", asked.reference),
        {"message": "Attached are our accounts.", "documents": [_pdf()]},
    )
    assert response.status_code == 302
    assert response["Location"] == url("registration", asked.reference)
    asked.refresh_from_db()
    assert asked.status == RegistrationStatus.UNDER_REVIEW
    (document,) = Document.objects.filter(registration=asked)
    assert document.content_type == "application/pdf"
    assert document.original_name == "accounts.pdf"
    page = client_a.get(response["Location"]).text
    assert "Your answer has been sent" in page
    assert "Attached are our accounts." in page  # in the shared log
    assert url("document", document.pk) in page
    assert 'name="message"' not in page  # no question left to answer


def test_an_empty_answer_is_refused_on_the_field(client_a, asked):
    response = client_a.post(url("registration", asked.reference), {"message": "  "})
    assert response.status_code == 400
    assert "Write your answer" in response.text
    asked.refresh_from_db()
    assert asked.status == RegistrationStatus.INFORMATION_REQUESTED


def test_a_bad_document_saves_nothing_and_keeps_the_message(client_a, asked, documents_dir):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    response = client_a.post(
        url("registration", asked.reference),
        {"message": "My typed answer stays.", "documents": [_pdf(), fake]},
    )
    assert response.status_code == 400
    assert "My typed answer stays." in response.text
    assert "virus.pdf" in response.text
    asked.refresh_from_db()
    assert asked.status == RegistrationStatus.INFORMATION_REQUESTED
    assert not Document.objects.exists()
    assert not ReviewLogEntry.objects.filter(action=ReviewAction.ANSWERED).exists()


def test_answering_twice_says_there_is_no_open_question(client_a, asked, documents_dir):
    path = url("registration", asked.reference)
    client_a.post(path, {"message": "First answer."})
    response = client_a.post(path, {"message": "Second answer."}, follow=True)
    assert response.status_code == 200
    assert "no open question" in response.text
    assert ReviewLogEntry.objects.filter(action=ReviewAction.ANSWERED).count() == 1


def test_withdrawing_a_registration(client_a, registration_a):
    response = client_a.post(
        url("registration-withdraw", registration_a.reference), {"reason": "Plans changed."}
    )
    assert response.status_code == 302
    registration_a.refresh_from_db()
    assert registration_a.status == RegistrationStatus.WITHDRAWN
    page = client_a.get(response["Location"]).text
    assert "has been withdrawn" in page
    assert url("registration-withdraw", registration_a.reference) not in page
    # A second withdrawal is the service's clear refusal, not an error page.
    again = client_a.post(url("registration-withdraw", registration_a.reference), follow=True)
    assert again.status_code == 200
    assert "can no longer be withdrawn" in again.text


def test_withdraw_is_post_only(client_a, registration_a):
    response = client_a.get(url("registration-withdraw", registration_a.reference))
    assert response.status_code == 405


def test_the_registration_list_takes_a_fixed_number_of_queries(client_a, company_a, zone_x):
    InterestRegistrationFactory.create_batch(3, company=company_a, zones=[zone_x])
    with CaptureQueriesContext(connection) as few:
        client_a.get(url("registrations"))
    InterestRegistrationFactory.create_batch(5, company=company_a, zones=[zone_x, ZoneFactory()])
    with CaptureQueriesContext(connection) as many:
        response = client_a.get(url("registrations"))
    assert response.text.count('href="/portal/registrations/') >= 8
    assert len(many) == len(few)


# --- licences and plots --------------------------------------------------------------------


def test_the_licence_page_shows_its_plots_and_offers_renewal(client_a, enterprise_a, plot_x):
    text = client_a.get(url("licence", enterprise_a.pk)).text
    assert enterprise_a.licence_number in text
    assert "X-001" in text
    assert url("licence-renew", enterprise_a.pk) in text


def test_requesting_a_renewal_once(client_a, enterprise_a):
    path = url("licence-renew", enterprise_a.pk)
    response = client_a.post(path, {"message": "Please renew for ten years."})
    assert response.status_code == 302
    request = RenewalRequest.objects.get()
    assert request.status == RenewalRequestStatus.OPEN
    assert request.message == "Please renew for ten years."
    page = client_a.get(url("licence", enterprise_a.pk)).text
    assert "Renewal requested" in page
    assert path not in page
    again = client_a.post(path, {"message": ""}, follow=True)
    assert again.status_code == 200
    assert "already been requested" in again.text
    assert RenewalRequest.objects.count() == 1


def test_an_application_offers_no_renewal(client_a, company_a, zone_y):
    application = EnterpriseFactory(
        company=company_a,
        zone=zone_y,
        status="applied",
        licence_number=None,
        issued_on=None,
        expires_on=None,
    )
    text = client_a.get(url("licence", application.pk)).text
    assert url("licence-renew", application.pk) not in text
    response = client_a.post(url("licence-renew", application.pk), follow=True)
    assert "Only a current or expired licence can be renewed" in response.text
    assert not RenewalRequest.objects.exists()


def test_the_lists_take_a_fixed_number_of_queries(client_a, company_a, zone_x, zone_y):
    def grow():
        zone = ZoneFactory(status="operational")
        enterprise = EnterpriseFactory(company=company_a, zone=zone)
        PlotFactory(zone=zone, status="allocated", enterprise=enterprise)
        AnnualReturnFactory(enterprise=enterprise)

    grow()
    for page in [url("home"), url("licences"), url("plots"), url("returns")]:
        with CaptureQueriesContext(connection) as few:
            client_a.get(page)
        grow()
        grow()
        with CaptureQueriesContext(connection) as many:
            assert client_a.get(page).status_code == 200
        assert len(many) == len(few), page


# --- annual returns ------------------------------------------------------------------------


def test_saving_a_draft_keeps_the_figures(client_a, annual_return_a):
    path = url("return", annual_return_a.pk)
    response = client_a.post(path, {"employees_total": "9", "currency": "USD", "action": "draft"})
    assert response.status_code == 302
    annual_return_a.refresh_from_db()
    assert annual_return_a.employees_total == 9
    assert annual_return_a.status == "due"
    page = client_a.get(path).text
    assert "Draft saved" in page
    assert 'value="9"' in page


def test_checking_says_the_figures_can_be_filed_and_keeps_them(client_a, annual_return_a):
    response = client_a.post(url("return", annual_return_a.pk), {**FIGURES, "action": "check"})
    assert response.status_code == 200
    assert "The figures are complete and consistent; you can submit." in response.text
    assert 'value="250000"' in response.text
    annual_return_a.refresh_from_db()
    assert annual_return_a.status == "due"
    assert annual_return_a.employees_total is None  # checking saves nothing


def test_more_women_than_staff_is_an_error_on_the_field(client_a, annual_return_a):
    response = client_a.post(
        url("return", annual_return_a.pk),
        {**FIGURES, "employees_women": "41", "action": "check"},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["employees_women"]
    assert 'value="41"' in response.text


def test_a_missing_figure_blocks_submitting(client_a, annual_return_a):
    figures = {**FIGURES, "investment": "", "action": "submit"}
    response = client_a.post(url("return", annual_return_a.pk), figures)
    assert response.status_code == 400
    assert response.context["form"].errors["investment"]
    annual_return_a.refresh_from_db()
    assert annual_return_a.status == "due"


def test_submitting_files_the_return_and_a_second_submit_is_explained(
    client_a, annual_return_a, documents_dir
):
    path = url("return", annual_return_a.pk)
    response = client_a.post(path, {**FIGURES, "action": "submit", "documents": [_pdf()]})
    assert response.status_code == 302
    annual_return_a.refresh_from_db()
    assert annual_return_a.status == "submitted"
    assert annual_return_a.employees_total == 40
    assert Document.objects.filter(annual_return=annual_return_a).count() == 1
    page = client_a.get(path).text
    assert "has been filed" in page
    assert 'name="action"' not in page  # read only now
    again = client_a.post(path, {**FIGURES, "action": "submit"}, follow=True)
    assert again.status_code == 200
    assert "already been submitted" in again.text


def test_a_returned_return_says_what_to_correct(client_a, annual_return_a):
    AnnualReturn.objects.filter(pk=annual_return_a.pk).update(
        status="returned",
        review_note="The exports figure looks like it is in rupees.",
        employees_total=40,
        employees_women=12,
        employees_foreign=3,
        exports_usd=250000,
        domestic_sales=100000,
        domestic_sales_usd=100000,
        investment=50000,
        investment_usd=50000,
        submitted_on=datetime.date(2026, 9, 1),
    )
    response = client_a.get(url("return", annual_return_a.pk))
    assert "What to correct" in response.text
    assert "The exports figure looks like it is in rupees." in response.text
    assert 'value="250000.00"' in response.text or 'value="250000"' in response.text
    assert 'value="submit"' in response.text


# --- the public status page offers the portal ---------------------------------------------


def test_the_status_page_offers_to_claim_the_account(client, registration_a):
    text = client.get(registration_a.get_absolute_url()).text
    assert reverse("portal:claim", args=[registration_a.status_token]) in text
    assert "Email me a link to open the account" in text
    assert reverse("account_login") in text
    response = client.post(reverse("portal:claim", args=[registration_a.status_token]), follow=True)
    assert response.status_code == 200
    assert "We have emailed a link" in response.text
