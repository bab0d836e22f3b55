"""The portal in the admin: inviting through the service, sending again, documents served only
to staff allowed to see them, renewal requests marked handled, and description proposals
decided (an approval changes the zone's public description)."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from portal import services
from portal.choices import InvitationVia, ProposalStatus, RenewalRequestStatus
from portal.models import DescriptionProposal, Invitation, PortalMembership, RenewalRequest
from tests.admin.roles import user_in_role
from tests.factories import StaffUserFactory
from tests.portal.conftest import PDF_BYTES

pytestmark = pytest.mark.django_db

ADD_URL = "admin:portal_invitation_add"


@pytest.fixture
def admin_user(db):
    return StaffUserFactory(username="portal-admin", is_superuser=True)


@pytest.fixture
def staff_client(client, admin_user):
    client.force_login(admin_user)
    return client


def invitation_notifications():
    return Notification.objects.filter(event="portal_invitation")


# --- inviting --------------------------------------------------------------------------------


def test_the_invite_form_asks_for_an_address_and_a_party(staff_client):
    response = staff_client.get(reverse(ADD_URL))
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("email", "company", "developer"):
        assert f'name="{name}"' in html
    assert 'name="token_hash"' not in html
    assert 'name="expires_at"' not in html


def test_staff_invite_a_company_contact_and_one_email_is_queued(
    staff_client, admin_user, company_a, run_tasks
):
    response = staff_client.post(
        reverse(ADD_URL), {"email": "new.person@company-a.example", "company": company_a.pk}
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "new.person@company-a.example"
    assert invitation.company == company_a
    assert invitation.via == InvitationVia.STAFF
    assert invitation.invited_by == admin_user
    (notification,) = invitation_notifications()
    assert notification.recipient == "new.person@company-a.example"
    run_tasks()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@company-a.example"]


def test_staff_invite_a_developers_person(staff_client, developer_x):
    response = staff_client.post(
        reverse(ADD_URL), {"email": "ops@developer-x.example", "developer": developer_x.pk}
    )
    assert response.status_code == 302
    assert Invitation.objects.get().developer == developer_x


def test_a_refused_invitation_is_shown_on_the_form_with_what_was_typed(
    staff_client, user_b, company_a
):
    # user_b already has an account for company B: one account belongs to one party.
    response = staff_client.post(reverse(ADD_URL), {"email": user_b.email, "company": company_a.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "already has a portal account for another company or developer" in html
    assert f'value="{user_b.email}"' in html
    assert not Invitation.objects.exists()
    assert not invitation_notifications().exists()


def test_an_invitation_is_to_one_company_or_one_developer(staff_client, company_a, developer_x):
    for data in (
        {"email": "both@example.com", "company": company_a.pk, "developer": developer_x.pk},
        {"email": "neither@example.com"},
    ):
        response = staff_client.post(reverse(ADD_URL), data)
        assert response.status_code == 200
        assert "one company or one developer" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_staff_address_cannot_be_invited(staff_client, company_a, staff):
    response = staff_client.post(reverse(ADD_URL), {"email": staff.email, "company": company_a.pk})
    assert response.status_code == 200
    assert "belongs to a staff account" in response.content.decode()


def test_a_role_without_the_add_permission_cannot_invite(client, company_a):
    analyst = user_in_role("Analyst", "portal-analyst")
    client.force_login(analyst)
    response = client.post(
        reverse(ADD_URL), {"email": "x@company-a.example", "company": company_a.pk}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_data_entry_can_invite(client, company_a):
    client.force_login(user_in_role("Data entry", "portal-clerk"))
    response = client.post(
        reverse(ADD_URL), {"email": "y@company-a.example", "company": company_a.pk}
    )
    assert response.status_code == 302
    assert Invitation.objects.count() == 1


def test_a_sent_invitation_is_read_only_and_never_shows_its_token_hash(staff_client, company_a):
    invitation, token = services.invitation_create(
        email="someone@company-a.example", via=InvitationVia.STAFF, company=company_a
    )
    response = staff_client.get(reverse("admin:portal_invitation_change", args=[invitation.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert invitation.token_hash not in html
    assert token not in html
    assert 'name="email"' not in html  # nothing to edit
    listing = staff_client.get(reverse("admin:portal_invitation_changelist")).content.decode()
    assert invitation.token_hash not in listing


def test_send_again_makes_a_fresh_invitation_and_ends_the_old_one(staff_client, company_a):
    old, _ = services.invitation_create(
        email="again@company-a.example", via=InvitationVia.CLAIM, company=company_a
    )
    response = staff_client.post(
        reverse("admin:portal_invitation_changelist"),
        {"action": "send_again", ACTION_CHECKBOX_NAME: [old.pk]},
    )
    assert response.status_code == 302
    fresh = Invitation.objects.exclude(pk=old.pk).get()
    assert fresh.email == old.email
    assert fresh.via == InvitationVia.STAFF
    old.refresh_from_db()
    assert old.is_expired
    assert invitation_notifications().count() == 2


def test_send_again_skips_an_accepted_invitation(staff_client, company_a):
    invitation, _ = services.invitation_create(
        email="done@company-a.example", via=InvitationVia.STAFF, company=company_a
    )
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    staff_client.post(
        reverse("admin:portal_invitation_changelist"),
        {"action": "send_again", ACTION_CHECKBOX_NAME: [invitation.pk]},
    )
    assert Invitation.objects.count() == 1


# --- memberships -----------------------------------------------------------------------------


def test_memberships_list_and_search_by_email(staff_client, user_a, dev_user_x):
    url = reverse("admin:portal_portalmembership_changelist")
    html = staff_client.get(url).content.decode()
    assert user_a.email in html
    assert dev_user_x.email in html
    html = staff_client.get(url, {"q": "developer-x"}).content.decode()
    assert dev_user_x.email in html
    assert user_a.email not in html
    html = staff_client.get(url, {"party": "company"}).content.decode()
    assert user_a.email in html
    assert dev_user_x.email not in html


def test_staff_take_portal_access_away(staff_client, user_a):
    membership = PortalMembership.objects.get(user=user_a)
    response = staff_client.post(
        reverse("admin:portal_portalmembership_change", args=[membership.pk]), {}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.is_active is False


# --- documents -------------------------------------------------------------------------------


def download_url(document):
    return reverse("admin:portal_document_download", args=[document.pk])


def test_the_document_list_links_to_the_checked_download(staff_client, document_a):
    html = staff_client.get(reverse("admin:portal_document_changelist")).content.decode()
    assert "business-plan.pdf" in html
    assert download_url(document_a) in html
    assert document_a.sha256[:12] in html
    assert document_a.file.name not in html  # never the storage path


def test_staff_with_the_permission_download_a_document_as_an_attachment(client, document_a):
    reviewer = user_in_role("Reviewer", "portal-reviewer")
    client.force_login(reviewer)
    response = client.get(download_url(document_a))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "business-plan.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_staff_without_the_permission_cannot_download(client, document_a):
    analyst = user_in_role("Analyst", "portal-analyst")
    client.force_login(analyst)
    assert client.get(download_url(document_a)).status_code == 403
    plain_staff = StaffUserFactory(username="no-rights")
    client.force_login(plain_staff)
    assert client.get(download_url(document_a)).status_code == 403


def test_a_single_view_permission_is_enough(client, document_a):
    user = StaffUserFactory(username="viewer")
    user.user_permissions.add(Permission.objects.get(codename="view_document"))
    client.force_login(user)
    assert client.get(download_url(document_a)).status_code == 200


def test_portal_users_and_visitors_cannot_use_the_admin_download(client, document_a, user_a):
    assert client.get(download_url(document_a)).status_code == 302  # to sign in
    client.force_login(user_a)
    assert client.get(download_url(document_a)).status_code == 302


def test_a_document_whose_file_is_gone_is_404(staff_client, document_a):
    document_a.file.delete(save=False)
    assert staff_client.get(download_url(document_a)).status_code == 404


# --- renewal requests ------------------------------------------------------------------------


def test_mark_handled_closes_open_renewal_requests(staff_client, admin_user, enterprise_a, user_a):
    renewal = services.renewal_request(enterprise=enterprise_a, user=user_a, message="Please.")
    url = reverse("admin:portal_renewalrequest_changelist")
    assert "open" in staff_client.get(url, {"status__exact": "open"}).content.decode().lower()
    response = staff_client.post(
        url, {"action": "mark_handled", ACTION_CHECKBOX_NAME: [renewal.pk]}
    )
    assert response.status_code == 302
    renewal.refresh_from_db()
    assert renewal.status == RenewalRequestStatus.DONE
    assert renewal.handled_by == admin_user
    assert renewal.handled_at is not None


def test_an_analyst_cannot_mark_a_renewal_handled(client, enterprise_a, user_a):
    renewal = services.renewal_request(enterprise=enterprise_a, user=user_a)
    client.force_login(user_in_role("Analyst", "portal-analyst"))
    client.post(
        reverse("admin:portal_renewalrequest_changelist"),
        {"action": "mark_handled", ACTION_CHECKBOX_NAME: [renewal.pk]},
    )
    renewal.refresh_from_db()
    assert renewal.status == RenewalRequestStatus.OPEN
    assert RenewalRequest.objects.count() == 1


# --- description proposals -------------------------------------------------------------------


@pytest.fixture
def proposal(zone_x, dev_user_x):
    return services.description_propose(
        zone=zone_x,
        user=dev_user_x,
        description="Zone X, as its developer describes it.",
        description_ur="زون ایکس",
    )


def changelist_action(client, action, proposal, **extra):
    return client.post(
        reverse("admin:portal_descriptionproposal_changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [proposal.pk], **extra},
    )


def test_approving_a_proposal_changes_the_zones_public_description(
    staff_client, admin_user, proposal, zone_x, client, dev_user_x
):
    response = changelist_action(staff_client, "approve", proposal)
    assert response.status_code == 302
    zone_x.refresh_from_db()
    assert zone_x.description == "Zone X, as its developer describes it."
    assert zone_x.description_ur == "زون ایکس"
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED
    assert proposal.decided_by == admin_user
    public = staff_client.get(zone_x.get_absolute_url()).content.decode()
    assert "Zone X, as its developer describes it." in public


def test_approving_from_the_change_form(staff_client, proposal, zone_x):
    url = reverse("admin:portal_descriptionproposal_change", args=[proposal.pk])
    page = staff_client.get(url).content.decode()
    assert "Zone X as staff wrote it." in page  # the description now, beside the proposal
    response = staff_client.post(url, {"decision": "approve", "decision_note": ""})
    assert response.status_code == 302
    zone_x.refresh_from_db()
    assert zone_x.description == "Zone X, as its developer describes it."


def test_rejecting_from_the_change_form_needs_a_note(staff_client, proposal, zone_x):
    url = reverse("admin:portal_descriptionproposal_change", args=[proposal.pk])
    response = staff_client.post(url, {"decision": "reject", "decision_note": ""}, follow=True)
    assert "Say why, so the developer can revise it." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
    staff_client.post(url, {"decision": "reject", "decision_note": "Name the sectors."})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED
    assert proposal.decision_note == "Name the sectors."
    zone_x.refresh_from_db()
    assert zone_x.description == "Zone X as staff wrote it."


def test_saving_without_a_decision_leaves_the_proposal_waiting(staff_client, proposal):
    url = reverse("admin:portal_descriptionproposal_change", args=[proposal.pk])
    staff_client.post(url, {"decision": "", "decision_note": "draft thought"})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
    assert proposal.decision_note == ""


def test_the_reject_action_asks_for_a_note_first(staff_client, proposal, zone_x):
    response = changelist_action(staff_client, "reject", proposal)
    assert response.status_code == 200
    assert 'name="note"' in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
    response = changelist_action(staff_client, "reject", proposal, confirm_step="yes", note="")
    assert response.status_code == 200  # the page again, the note required
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
    response = changelist_action(
        staff_client, "reject", proposal, confirm_step="yes", note="Too short; add the sectors."
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED
    assert proposal.decision_note == "Too short; add the sectors."
    zone_x.refresh_from_db()
    assert zone_x.description == "Zone X as staff wrote it."


def test_a_decided_proposal_cannot_be_decided_again(staff_client, proposal, zone_x):
    changelist_action(staff_client, "approve", proposal)
    DescriptionProposal.objects.filter(pk=proposal.pk).update(description="Changed meanwhile.")
    response = changelist_action(staff_client, "approve", proposal)
    assert response.status_code == 302
    zone_x.refresh_from_db()
    assert zone_x.description == "Zone X, as its developer describes it."


@pytest.mark.parametrize("role", ["Analyst", "Data entry"])
def test_only_reviewers_decide(client, proposal, zone_x, role):
    client.force_login(user_in_role(role, f"portal-{role.lower().replace(' ', '-')}"))
    changelist_action(client, "approve", proposal)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING


def test_a_reviewer_decides(client, proposal, zone_x):
    client.force_login(user_in_role("Reviewer", "portal-reviewer"))
    changelist_action(client, "approve", proposal)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED


# --- every list renders, with a bounded number of queries ------------------------------------


@pytest.mark.parametrize(
    "model", ["portalmembership", "invitation", "document", "renewalrequest", "descriptionproposal"]
)
def test_changelists_render_with_few_queries(
    staff_client,
    model,
    document_a,
    user_a,
    dev_user_x,
    enterprise_a,
    proposal,
    company_a,
    django_assert_max_num_queries,
):
    for number in range(5):
        services.invitation_create(
            email=f"p{number}@company-a.example", via=InvitationVia.STAFF, company=company_a
        )
    services.renewal_request(enterprise=enterprise_a, user=user_a)
    with django_assert_max_num_queries(12):
        response = staff_client.get(reverse(f"admin:portal_{model}_changelist"))
    assert response.status_code == 200


def test_a_renewal_request_page_links_to_the_licence(staff_client, enterprise_a, user_a):
    renewal = services.renewal_request(enterprise=enterprise_a, user=user_a, message="Soon.")
    html = staff_client.get(
        reverse("admin:portal_renewalrequest_change", args=[renewal.pk])
    ).content.decode()
    assert reverse("admin:enterprises_enterprise_change", args=[enterprise_a.pk]) in html
    assert "Soon." in html


def test_expired_invitations_are_filtered(staff_client, company_a):
    invitation, _ = services.invitation_create(
        email="late@company-a.example", via=InvitationVia.STAFF, company=company_a
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    url = reverse("admin:portal_invitation_changelist")
    assert "late@company-a.example" in staff_client.get(url, {"state": "expired"}).content.decode()
    assert "late@company-a.example" not in staff_client.get(url, {"state": "open"}).content.decode()
