"""The steps portal users take, through portal.services (and the apps' services it calls)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from companies import services as company_services
from companies.choices import ReviewAction
from companies.models import ReviewLogEntry
from enterprises.models import AnnualReturn
from notifications.models import Notification
from portal import selectors, services
from portal.choices import ProposalStatus, RenewalRequestStatus
from portal.models import DescriptionProposal, Document, RenewalRequest
from tests.factories import EnterpriseFactory
from tests.portal.conftest import EXE_BYTES, stored_files

pytestmark = pytest.mark.django_db


def figures(**overrides):
    values = {
        "employees_total": 100,
        "employees_women": 30,
        "employees_foreign": 5,
        "exports_usd": Decimal("1500000"),
        "domestic_sales": Decimal("250000"),
        "investment": Decimal("400000"),
    }
    values.update(overrides)
    return values


@pytest.fixture
def questioned(registration_a, staff, officer):
    """Company A's registration: reviewed by `staff`, on `officer`'s desk, a question asked."""
    company_services.registration_transition(
        registration=registration_a, status="under_review", user=staff
    )
    company_services.registration_assign(registration=registration_a, officer=officer, user=staff)
    company_services.registration_transition(
        registration=registration_a,
        status="information_requested",
        user=staff,
        note="Send your audited accounts.",
    )
    registration_a.refresh_from_db()
    Notification.objects.all().delete()
    return registration_a


# --- answering an information request ---------------------------------------------------------


def test_an_answer_resumes_the_review_logged_as_the_companys(
    documents_dir, questioned, user_a, staff, pdf_upload
):
    answered = services.registration_answer(
        registration=questioned,
        user=user_a,
        message="Attached: our audited accounts.",
        uploads=[pdf_upload("accounts.pdf")],
    )
    questioned.refresh_from_db()
    assert answered.status == questioned.status == "under_review"
    entry = ReviewLogEntry.objects.filter(registration=questioned).latest("created")
    assert entry.action == ReviewAction.ANSWERED
    assert entry.user == user_a
    assert entry.note == "Attached: our audited accounts."
    assert (entry.from_status, entry.to_status) == ("information_requested", "under_review")
    # The company's step is not a review: the reviewer stays the staff member.
    assert questioned.reviewer == staff
    (document,) = Document.objects.filter(registration=questioned)
    assert document.original_name == "accounts.pdf"
    assert document.uploaded_by == user_a
    # The answer is among the steps the company reads back.
    assert entry in selectors.shared_review_log(questioned)


def test_an_answer_tells_the_assigned_officer(documents_dir, questioned, user_a, officer):
    services.registration_answer(registration=questioned, user=user_a, message="Here it is.")
    (notification,) = Notification.objects.filter(event="registration_answered_staff")
    assert notification.recipient == officer.email
    assert "Here it is." in notification.body_text
    assert notification.concerns == questioned


def test_without_an_officer_the_answer_goes_to_the_reviewer(
    documents_dir, questioned, user_a, staff
):
    company_services.registration_assign(registration=questioned, officer=None, user=staff)
    services.registration_answer(registration=questioned, user=user_a, message="Here it is.")
    (notification,) = Notification.objects.filter(event="registration_answered_staff")
    assert notification.recipient == staff.email


def test_an_answer_when_nothing_was_asked_saves_nothing(
    documents_dir, registration_a, user_a, pdf_upload
):
    with pytest.raises(ValidationError, match="no open question to answer"):
        services.registration_answer(
            registration=registration_a,
            user=user_a,
            message="Unprompted.",
            uploads=[pdf_upload("accounts.pdf")],
        )
    registration_a.refresh_from_db()
    assert registration_a.status == "received"
    assert not ReviewLogEntry.objects.filter(action=ReviewAction.ANSWERED).exists()
    assert not Document.objects.exists()
    assert stored_files(documents_dir) == []
    assert not Notification.objects.filter(event="registration_answered_staff").exists()


def test_an_answer_with_a_bad_document_saves_nothing(documents_dir, questioned, user_a, pdf_upload):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError) as caught:
        services.registration_answer(
            registration=questioned,
            user=user_a,
            message="Attached.",
            uploads=[pdf_upload("accounts.pdf"), SimpleUploadedFile("tool.pdf", EXE_BYTES)],
        )
    assert "documents" in caught.value.message_dict
    questioned.refresh_from_db()
    assert questioned.status == "information_requested"
    assert not ReviewLogEntry.objects.filter(action=ReviewAction.ANSWERED).exists()
    assert not Document.objects.exists()
    assert stored_files(documents_dir) == []
    assert not Notification.objects.exists()


def test_an_empty_answer_is_an_error_on_the_message(documents_dir, questioned, user_a):
    with pytest.raises(ValidationError) as caught:
        services.registration_answer(registration=questioned, user=user_a, message="   ")
    assert "message" in caught.value.message_dict
    questioned.refresh_from_db()
    assert questioned.status == "information_requested"


# --- withdrawing ------------------------------------------------------------------------------


def test_the_company_withdraws_its_open_registration(registration_a, user_a):
    company_services.registration_withdraw(
        registration=registration_a, user=user_a, reason="Plans changed."
    )
    registration_a.refresh_from_db()
    assert registration_a.status == "withdrawn"
    assert registration_a.reviewer is None
    entry = ReviewLogEntry.objects.get(registration=registration_a, action=ReviewAction.WITHDRAWN)
    assert entry.user == user_a
    assert entry.note == "Plans changed."


def test_a_withdrawn_registration_cannot_be_withdrawn_again(registration_a, user_a):
    company_services.registration_withdraw(registration=registration_a, user=user_a)
    with pytest.raises(ValidationError, match="can no longer be withdrawn"):
        company_services.registration_withdraw(registration=registration_a, user=user_a)
    assert (
        ReviewLogEntry.objects.filter(
            registration=registration_a, action=ReviewAction.WITHDRAWN
        ).count()
        == 1
    )


# --- renewal requests ---------------------------------------------------------------------------


def test_a_renewal_request_is_recorded_and_staff_are_told(settings, enterprise_a, user_a):
    settings.REGISTRY_STAFF_EMAILS = ["registry@authority.example"]
    request = services.renewal_request(enterprise=enterprise_a, user=user_a, message="Please.")
    assert request.status == RenewalRequestStatus.OPEN
    assert request.requested_by == user_a
    assert request.message == "Please."
    (notification,) = Notification.objects.filter(event="licence_renewal_requested_staff")
    assert notification.recipient == "registry@authority.example"


def test_asking_twice_for_a_renewal_is_refused(enterprise_a, user_a):
    services.renewal_request(enterprise=enterprise_a, user=user_a)
    with pytest.raises(ValidationError, match="already been requested"):
        services.renewal_request(enterprise=enterprise_a, user=user_a)
    assert RenewalRequest.objects.count() == 1
    assert Notification.objects.filter(event="licence_renewal_requested_staff").count() == 1


def test_after_staff_handle_it_a_new_renewal_may_be_asked(enterprise_a, user_a, staff):
    first = services.renewal_request(enterprise=enterprise_a, user=user_a)
    services.renewal_request_close(request=first, user=staff)
    second = services.renewal_request(enterprise=enterprise_a, user=user_a)
    assert second != first


def test_a_licence_not_yet_issued_cannot_be_renewed(company_a, zone_x, user_a):
    applied = EnterpriseFactory(
        company=company_a,
        zone=zone_x,
        status="applied",
        licence_number="",
        issued_on=None,
        expires_on=None,
    )
    with pytest.raises(ValidationError, match="Only a current or expired licence"):
        services.renewal_request(enterprise=applied, user=user_a)
    assert not RenewalRequest.objects.exists()


def test_a_licence_past_its_expiry_can_be_renewed(company_a, zone_x, user_a):
    lapsed = EnterpriseFactory(
        company=company_a,
        zone=zone_x,
        issued_on=datetime.date(2015, 9, 1),
        expires_on=datetime.date(2025, 8, 31),
    )
    assert services.renewal_request(enterprise=lapsed, user=user_a)


def test_a_renewal_message_over_the_limit_is_an_error_on_the_message(enterprise_a, user_a):
    with pytest.raises(ValidationError) as caught:
        services.renewal_request(enterprise=enterprise_a, user=user_a, message="x" * 2001)
    assert "message" in caught.value.message_dict
    assert not RenewalRequest.objects.exists()


# --- annual returns ------------------------------------------------------------------------------


def test_a_draft_keeps_the_figures_and_the_status(annual_return_a, user_a):
    saved = services.return_save(
        annual_return=annual_return_a,
        user=user_a,
        figures={"employees_total": 80, "employees_women": 20},
        currency="USD",
        action="draft",
    )
    annual_return_a.refresh_from_db()
    assert saved.status == annual_return_a.status == "due"
    assert annual_return_a.employees_total == 80
    assert annual_return_a.employees_women == 20
    assert annual_return_a.submitted_on is None


def test_check_reports_more_women_than_employees_on_the_women_field(annual_return_a, user_a):
    with pytest.raises(ValidationError) as caught:
        services.return_save(
            annual_return=annual_return_a,
            user=user_a,
            figures=figures(employees_total=10, employees_women=11),
            currency="USD",
            action="check",
        )
    assert "employees_women" in caught.value.message_dict
    annual_return_a.refresh_from_db()
    assert annual_return_a.employees_total is None
    assert annual_return_a.status == "due"


def test_check_names_each_missing_figure(annual_return_a, user_a):
    with pytest.raises(ValidationError) as caught:
        services.return_save(
            annual_return=annual_return_a,
            user=user_a,
            figures={"employees_total": 10},
            currency="USD",
            action="check",
        )
    assert "employees_women" in caught.value.message_dict
    assert "investment" in caught.value.message_dict
    assert "employees_total" not in caught.value.message_dict


def test_a_clean_check_saves_nothing(annual_return_a, user_a):
    services.return_save(
        annual_return=annual_return_a,
        user=user_a,
        figures=figures(),
        currency="USD",
        action="check",
    )
    annual_return_a.refresh_from_db()
    assert annual_return_a.status == "due"
    assert annual_return_a.employees_total is None


def test_filing_submits_the_figures_with_documents(
    documents_dir, annual_return_a, user_a, pdf_upload
):
    filed = services.return_save(
        annual_return=annual_return_a,
        user=user_a,
        figures=figures(),
        currency="USD",
        action="submit",
        uploads=[pdf_upload("payroll.pdf")],
    )
    annual_return_a.refresh_from_db()
    assert filed.status == annual_return_a.status == "submitted"
    assert annual_return_a.filed_by == user_a
    assert not annual_return_a.filed_by_staff
    assert annual_return_a.submitted_on == timezone.localdate()
    assert annual_return_a.employees_total == 100
    (document,) = Document.objects.filter(annual_return=annual_return_a)
    assert document.original_name == "payroll.pdf"


def test_filing_twice_is_refused_with_a_clear_message(annual_return_a, user_a):
    services.return_save(
        annual_return=annual_return_a,
        user=user_a,
        figures=figures(),
        currency="USD",
        action="submit",
    )
    with pytest.raises(ValidationError) as caught:
        services.return_save(
            annual_return=annual_return_a,
            user=user_a,
            figures=figures(employees_total=999),
            currency="USD",
            action="submit",
        )
    assert "2025-26 return is submitted" in " ".join(caught.value.messages)
    annual_return_a.refresh_from_db()
    assert annual_return_a.employees_total == 100


def test_a_draft_of_a_filed_return_is_refused(annual_return_a, user_a):
    services.return_save(
        annual_return=annual_return_a,
        user=user_a,
        figures=figures(),
        currency="USD",
        action="submit",
    )
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.return_save(
            annual_return=annual_return_a,
            user=user_a,
            figures={"employees_total": 1},
            currency="USD",
            action="draft",
        )


def test_filing_with_a_bad_document_files_nothing(documents_dir, annual_return_a, user_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError):
        services.return_save(
            annual_return=annual_return_a,
            user=user_a,
            figures=figures(),
            currency="USD",
            action="submit",
            uploads=[SimpleUploadedFile("payroll.pdf", EXE_BYTES)],
        )
    annual_return_a.refresh_from_db()
    assert annual_return_a.status == "due"
    assert annual_return_a.submitted_on is None
    assert stored_files(documents_dir) == []


def test_a_return_for_a_year_not_ended_cannot_be_filed(enterprise_a, user_a):
    this_year = AnnualReturn.objects.create(
        enterprise=enterprise_a, fiscal_year="2026-27", due_on=datetime.date(2027, 10, 28)
    )
    with pytest.raises(ValidationError, match="can be filed after that"):
        services.return_save(
            annual_return=this_year,
            user=user_a,
            figures=figures(),
            currency="USD",
            action="submit",
        )
    this_year.refresh_from_db()
    assert this_year.status == "due"


def test_an_unknown_action_is_a_programming_error(annual_return_a, user_a):
    with pytest.raises(ValueError, match="Unknown return action"):
        services.return_save(
            annual_return=annual_return_a,
            user=user_a,
            figures=figures(),
            currency="USD",
            action="delete",
        )


# --- plots ---------------------------------------------------------------------------------------


def test_the_developer_marks_an_allocated_plot_occupied(plot_x):
    occupied = services.plot_mark_occupied(plot=plot_x, occupied_on=datetime.date(2026, 1, 5))
    plot_x.refresh_from_db()
    assert occupied.status == plot_x.status == "occupied"
    assert plot_x.occupied_on == datetime.date(2026, 1, 5)


def test_a_plot_cannot_be_occupied_on_a_future_date(plot_x):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        services.plot_mark_occupied(plot=plot_x, occupied_on=tomorrow)
    assert "occupied_on" in caught.value.message_dict
    plot_x.refresh_from_db()
    assert plot_x.status == "allocated"


def test_a_plot_cannot_be_occupied_before_its_lease(plot_x):
    with pytest.raises(ValidationError) as caught:
        services.plot_mark_occupied(plot=plot_x, occupied_on=datetime.date(2025, 9, 30))
    assert "occupied_on" in caught.value.message_dict


# --- zone descriptions -------------------------------------------------------------------------


def test_a_proposal_waits_for_staff_and_the_zone_is_unchanged(zone_x, dev_user_x):
    proposal = services.description_propose(
        zone=zone_x, user=dev_user_x, description="  A new description.  "
    )
    assert proposal.status == ProposalStatus.PENDING
    assert proposal.description == "A new description."
    assert proposal.proposed_by == dev_user_x
    zone_x.refresh_from_db()
    assert zone_x.description == "Zone X as staff wrote it."


def test_a_second_pending_proposal_for_the_zone_is_refused(zone_x, dev_user_x):
    services.description_propose(zone=zone_x, user=dev_user_x, description="First.")
    with pytest.raises(ValidationError, match="already waiting for staff"):
        services.description_propose(zone=zone_x, user=dev_user_x, description="Second.")
    assert DescriptionProposal.objects.count() == 1


def test_an_unchanged_or_empty_description_is_refused(zone_x, dev_user_x):
    with pytest.raises(ValidationError) as unchanged:
        services.description_propose(
            zone=zone_x, user=dev_user_x, description="Zone X as staff wrote it."
        )
    assert "description" in unchanged.value.message_dict
    with pytest.raises(ValidationError) as empty:
        services.description_propose(zone=zone_x, user=dev_user_x, description="  ")
    assert "description" in empty.value.message_dict
    assert not DescriptionProposal.objects.exists()


def test_approving_changes_the_zones_description(zone_x, dev_user_x, staff):
    proposal = services.description_propose(
        zone=zone_x, user=dev_user_x, description="Fibre to every plot.", description_ur="فائبر"
    )
    decided = services.description_decide(proposal=proposal, user=staff, approve=True)
    zone_x.refresh_from_db()
    assert zone_x.description == "Fibre to every plot."
    assert zone_x.description_ur == "فائبر"
    assert decided.status == ProposalStatus.APPROVED
    assert decided.decided_by == staff
    assert decided.decided_at is not None
    # Once decided, the developer may propose again.
    assert services.description_propose(zone=zone_x, user=dev_user_x, description="Later.")


def test_rejecting_needs_a_reason_and_leaves_the_zone(zone_x, dev_user_x, staff):
    proposal = services.description_propose(zone=zone_x, user=dev_user_x, description="Hype.")
    with pytest.raises(ValidationError) as caught:
        services.description_decide(proposal=proposal, user=staff, approve=False)
    assert "decision_note" in caught.value.message_dict
    rejected = services.description_decide(
        proposal=proposal, user=staff, approve=False, note="Not factual."
    )
    assert rejected.status == ProposalStatus.REJECTED
    zone_x.refresh_from_db()
    assert zone_x.description == "Zone X as staff wrote it."


def test_a_decided_proposal_cannot_be_decided_again(zone_x, dev_user_x, staff):
    proposal = services.description_propose(zone=zone_x, user=dev_user_x, description="New.")
    services.description_decide(proposal=proposal, user=staff, approve=True)
    with pytest.raises(ValidationError, match="already approved"):
        services.description_decide(proposal=proposal, user=staff, approve=False, note="No.")
