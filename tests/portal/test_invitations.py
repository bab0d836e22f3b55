"""Invitations: how a portal account comes to exist (staff's, a colleague's, or a claim from the
registration's status link), and the accept page that opens it."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from notifications.models import Notification
from portal import services
from portal.choices import InvitationVia
from portal.models import Invitation, PortalMembership
from tests.factories import InterestRegistrationFactory
from tests.portal.conftest import portal_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-new-password-7"


def invite(email="new@company-a.example", **kwargs):
    kwargs.setdefault("via", InvitationVia.STAFF)
    return services.invitation_create(email=email, **kwargs)


def codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {item.code for items in error.error_dict.values() for item in items}
    return {item.code for item in error.error_list}


def accept_path(notification: Notification) -> str:
    """The accept link in the email, as a path the test client can open."""
    (url,) = re.findall(r"https?://\S+/portal/accept/\S+/", notification.body_text)
    return urlsplit(url).path


# --- creating an invitation -------------------------------------------------------------------


def test_an_invitation_queues_one_email_with_a_working_link(client, company_a, staff):
    invitation, token = invite(company=company_a, invited_by=staff)
    (notification,) = Notification.objects.filter(event="portal_invitation")
    assert notification.recipient == "new@company-a.example"
    assert notification.concerns == invitation
    assert token in notification.body_text
    assert company_a.name in notification.body_text
    path = accept_path(notification)
    assert path == f"/portal/accept/{token}/"
    response = client.get(path)
    assert response.status_code == 200
    assert response.context["invitation"] == invitation


def test_only_the_tokens_hash_is_stored(company_a):
    invitation, token = invite(company=company_a)
    invitation.refresh_from_db()
    assert invitation.token_hash == services.token_hash(token)
    assert invitation.token_hash != token
    stored = Invitation.objects.filter(pk=invitation.pk).values().get()
    assert all(token not in str(value) for value in stored.values())


def test_an_invitation_expires_after_the_configured_days(settings, company_a):
    settings.PORTAL_INVITATION_DAYS = 3
    before = timezone.now()
    invitation, _ = invite(company=company_a)
    assert before + datetime.timedelta(days=3) <= invitation.expires_at
    assert invitation.expires_at <= timezone.now() + datetime.timedelta(days=3)


def test_a_new_invitation_to_the_same_address_ends_the_earlier_one(company_a):
    first, first_token = invite(company=company_a)
    invite(company=company_a)
    first.refresh_from_db()
    assert first.is_expired
    with pytest.raises(ValidationError, match="expired"):
        services.invitation_accept(token=first_token, password=NEW_PASSWORD)


@pytest.mark.parametrize("email", ["", "not-an-address", "a@", "  "])
def test_a_bad_address_is_refused_on_the_email_field(company_a, email):
    with pytest.raises(ValidationError) as caught:
        invite(email=email, company=company_a)
    assert "email" in caught.value.message_dict
    assert not Invitation.objects.exists()
    assert not Notification.objects.exists()


def test_an_invitation_is_to_one_party(company_a, developer_x):
    with pytest.raises(ValidationError):
        invite(company=company_a, developer=developer_x)
    with pytest.raises(ValidationError):
        invite()
    assert not Invitation.objects.exists()


def test_an_address_with_an_account_for_another_party_is_refused(user_b, company_a):
    with pytest.raises(ValidationError) as caught:
        invite(email="B@company-b.example", company=company_a)
    assert codes(caught.value) == {"member_elsewhere"}
    assert "another company or developer" in caught.value.message_dict["email"][0]
    assert not Invitation.objects.exists()
    assert not Notification.objects.exists()


def test_an_address_already_in_the_company_is_told_so(user_a, company_a):
    with pytest.raises(ValidationError) as caught:
        invite(email="a@company-a.example", company=company_a)
    assert codes(caught.value) == {"already_member"}


def test_a_staff_address_is_refused(staff, company_a):
    with pytest.raises(ValidationError) as caught:
        invite(email="STAFF@authority.example", company=company_a)
    assert codes(caught.value) == {"staff"}
    assert "staff" in caught.value.message_dict["email"][0]
    assert not Notification.objects.exists()


# --- accepting ----------------------------------------------------------------------------------


def test_accepting_opens_the_account_with_a_verified_address_and_uses_the_link(company_a, staff):
    invitation, token = invite(
        email="New.Person@company-a.example", company=company_a, invited_by=staff
    )
    user = services.invitation_accept(token=token, password=NEW_PASSWORD)

    assert user.email == "New.Person@company-a.example"
    assert user.check_password(NEW_PASSWORD)
    assert not user.is_staff
    membership = PortalMembership.objects.get(user=user)
    assert membership.company == company_a
    assert membership.developer is None
    assert membership.invited_by == staff
    (address,) = EmailAddress.objects.filter(user=user)
    assert address.email.lower() == "new.person@company-a.example"
    assert address.verified
    assert address.primary
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert invitation.accepted_at is not None


def test_a_developers_invitation_makes_a_developer_account(developer_x):
    _, token = invite(email="ops@developer-x.example", developer=developer_x)
    user = services.invitation_accept(token=token, password=NEW_PASSWORD)
    assert user.portal_membership.developer == developer_x
    assert user.portal_membership.company is None


def test_a_used_link_is_refused_clearly(company_a):
    _, token = invite(company=company_a)
    services.invitation_accept(token=token, password=NEW_PASSWORD)
    with pytest.raises(ValidationError, match="already been used"):
        services.invitation_accept(token=token, password=NEW_PASSWORD)
    assert get_user_model().objects.filter(email__iexact="new@company-a.example").count() == 1
    assert PortalMembership.objects.count() == 1


def test_an_expired_link_is_refused_clearly(company_a):
    invitation, token = invite(company=company_a)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    with pytest.raises(ValidationError, match="expired"):
        services.invitation_accept(token=token, password=NEW_PASSWORD)
    assert not get_user_model().objects.filter(email__iexact="new@company-a.example").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


@pytest.mark.parametrize("token", ["", "nonsense", "x" * 500])
def test_an_unknown_link_is_refused_clearly(token):
    with pytest.raises(ValidationError, match="not valid"):
        services.invitation_accept(token=token, password=NEW_PASSWORD)


def test_a_new_account_must_choose_an_acceptable_password(company_a):
    _, token = invite(company=company_a)
    with pytest.raises(ValidationError) as missing:
        services.invitation_accept(token=token, password=None)
    assert "password1" in missing.value.message_dict
    with pytest.raises(ValidationError) as weak:
        services.invitation_accept(token=token, password="12345678")
    assert "password1" in weak.value.message_dict
    assert not get_user_model().objects.filter(email__iexact="new@company-a.example").exists()
    # The link still works once a good password is chosen.
    assert services.invitation_accept(token=token, password=NEW_PASSWORD)


def test_an_address_that_joined_another_party_meanwhile_cannot_accept(company_a, company_b):
    _, token = invite(email="both@example.org", company=company_a)
    portal_user("both@example.org", company=company_b)
    with pytest.raises(ValidationError, match="another company or developer"):
        services.invitation_accept(token=token, password=NEW_PASSWORD)
    assert PortalMembership.objects.filter(company=company_a).count() == 0


def test_an_address_that_became_staff_meanwhile_cannot_accept(company_a, staff):
    invitation, token = invite(email="later-staff@authority.example", company=company_a)
    staff.email = "later-staff@authority.example"
    staff.save()
    with pytest.raises(ValidationError, match="Staff"):
        services.invitation_accept(token=token, password=NEW_PASSWORD)
    assert not PortalMembership.objects.exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_existing_account_without_a_party_joins_and_keeps_its_password(company_a):
    existing = get_user_model().objects.create_user(
        username="someone", email="someone@company-a.example", password="their-own-password-1"
    )
    _, token = invite(email="someone@company-a.example", company=company_a)
    user = services.invitation_accept(token=token, password=None)
    assert user == existing
    assert user.check_password("their-own-password-1")
    assert user.portal_membership.company == company_a
    assert EmailAddress.objects.get(user=user).verified


# --- colleagues -------------------------------------------------------------------------------


def test_the_companys_first_user_invites_a_colleague(user_a, company_a):
    invitation = services.colleague_invite(
        membership=user_a.portal_membership, email="colleague@company-a.example"
    )
    assert invitation.company == company_a
    assert invitation.via == InvitationVia.COLLEAGUE
    assert invitation.invited_by == user_a
    assert (
        Notification.objects.filter(
            event="portal_invitation", recipient="colleague@company-a.example"
        ).count()
        == 1
    )


def test_a_later_user_of_the_company_cannot_invite(user_a, company_a):
    second = portal_user("second@company-a.example", company=company_a)
    with pytest.raises(ValidationError, match="first portal user"):
        services.colleague_invite(
            membership=second.portal_membership, email="colleague@company-a.example"
        )
    assert not Invitation.objects.exists()


def test_a_developers_user_cannot_invite_colleagues(dev_user_x):
    assert not services.can_invite_colleagues(dev_user_x.portal_membership)
    with pytest.raises(ValidationError):
        services.colleague_invite(
            membership=dev_user_x.portal_membership, email="colleague@developer-x.example"
        )


def test_when_the_first_user_loses_access_the_next_one_invites(user_a, company_a):
    second = portal_user("second@company-a.example", company=company_a)
    PortalMembership.objects.filter(user=user_a).update(is_active=False)
    user_a.portal_membership.refresh_from_db()
    assert not services.can_invite_colleagues(user_a.portal_membership)
    assert services.can_invite_colleagues(second.portal_membership)


# --- claiming from the status link ---------------------------------------------------------------


def test_a_claim_invites_the_registrations_contact_address(registration_a, company_a):
    invitation = services.claim_request(registration=registration_a)
    assert invitation.email == "contact@company-a.example"
    assert invitation.company == company_a
    assert invitation.via == InvitationVia.CLAIM
    assert invitation.registration == registration_a
    (notification,) = Notification.objects.filter(event="portal_invitation")
    assert notification.recipient == "contact@company-a.example"


def test_claiming_twice_within_ten_minutes_sends_one_email(registration_a):
    first = services.claim_request(registration=registration_a)
    second = services.claim_request(registration=registration_a)
    assert second == first
    assert Invitation.objects.count() == 1
    assert Notification.objects.filter(event="portal_invitation").count() == 1


def test_claiming_again_after_ten_minutes_sends_a_new_link(registration_a):
    first = services.claim_request(registration=registration_a)
    Invitation.objects.filter(pk=first.pk).update(
        created=timezone.now() - services.CLAIM_RESEND_AFTER - datetime.timedelta(seconds=1)
    )
    second = services.claim_request(registration=registration_a)
    assert second != first
    first.refresh_from_db()
    assert first.is_expired  # the earlier link stops working
    assert Notification.objects.filter(event="portal_invitation").count() == 2


def test_a_registration_whose_contact_was_purged_cannot_be_claimed(registration_a):
    registration_a.contact.delete()
    registration_a.refresh_from_db()
    assert registration_a.contact is None
    with pytest.raises(ValidationError, match="no longer holds a contact address"):
        services.claim_request(registration=registration_a)
    assert not Invitation.objects.exists()
    assert not Notification.objects.exists()


def test_a_claim_for_an_address_that_already_has_the_account_says_sign_in(company_a):
    portal_user("contact@company-a.example", company=company_a)
    registration = InterestRegistrationFactory(
        company=company_a, contact__email="contact@company-a.example"
    )
    with pytest.raises(ValidationError, match="sign in"):
        services.claim_request(registration=registration)


def test_the_claim_view_refuses_a_wrong_token_with_404(client, registration_a):
    assert client.post("/portal/claim/not-the-token/").status_code == 404
    assert client.post("/portal/claim/bad%20token!/").status_code == 404
    assert not Invitation.objects.exists()


def test_the_claim_view_sends_the_link_and_returns_to_the_status_page(client, registration_a):
    response = client.post(f"/portal/claim/{registration_a.status_token}/")
    assert response.status_code == 302
    assert response["Location"] == registration_a.get_absolute_url()
    assert Invitation.objects.filter(registration=registration_a).count() == 1


def test_the_claim_view_takes_no_get(client, registration_a):
    assert client.get(f"/portal/claim/{registration_a.status_token}/").status_code == 405
    assert not Invitation.objects.exists()


# --- the accept page ----------------------------------------------------------------------------


@pytest.fixture
def invited(company_a):
    invitation, token = invite(email="new@company-a.example", company=company_a)
    return invitation, f"/portal/accept/{token}/"


def test_the_accept_page_asks_for_a_password_with_labelled_fields(client, invited):
    _, path = invited
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    form = response.context["form"]
    for name in ("password1", "password2"):
        field_id = form[name].id_for_label
        assert f'for="{field_id}"' in html
        assert f'name="{name}"' in html
    # The token is a password in the address: kept out of referrers and caches.
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]


def test_mismatching_passwords_keep_the_visitor_on_the_page_with_an_error(client, invited):
    invitation, path = invited
    response = client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"})
    assert response.status_code in (200, 400)
    assert response.context["form"].errors["password2"]
    assert not get_user_model().objects.filter(email__iexact=invitation.email).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert "_auth_user_id" not in client.session


def test_a_weak_password_is_an_error_on_the_password_field(client, invited):
    invitation, path = invited
    response = client.post(path, {"password1": "12345678", "password2": "12345678"})
    assert response.status_code in (200, 400)
    assert response.context["form"].errors["password1"]
    assert not get_user_model().objects.filter(email__iexact=invitation.email).exists()


def test_a_good_password_signs_in_and_goes_to_the_portal(client, invited):
    invitation, path = invited
    response = client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/portal/"
    user = get_user_model().objects.get(email__iexact=invitation.email)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/portal/").status_code == 200


def test_a_used_link_shows_why_and_no_form(client, invited):
    _, path = invited
    client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    response = Client().get(path)
    assert response.status_code == 410
    assert b"already been used" in response.content


def test_an_expired_link_shows_why(client, invited):
    invitation, path = invited
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = client.get(path)
    assert response.status_code == 410
    assert b"expired" in response.content
    assert (
        client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}).status_code == 410
    )
    assert not get_user_model().objects.filter(email__iexact=invitation.email).exists()


def test_an_unknown_link_is_404(client):
    assert client.get("/portal/accept/not-a-token/").status_code == 404


def test_accepting_while_signed_in_as_someone_else_opens_the_invitees_account(
    client, invited, user_b, company_b
):
    # The invitation is for its own address: it never adds company A to the signed-in user.
    invitation, path = invited
    client.force_login(user_b)
    client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    user_b.portal_membership.refresh_from_db()
    assert user_b.portal_membership.company == company_b
    invitee = get_user_model().objects.get(email__iexact=invitation.email)
    assert invitee.portal_membership.company == invitation.company


def test_joining_makes_the_invited_address_the_only_primary_one(company_a):
    existing = get_user_model().objects.create_user(
        username="someone", email="someone@company-a.example", password="their-own-password-1"
    )
    EmailAddress.objects.create(
        user=existing, email="old@home.example", verified=True, primary=True
    )
    _, token = invite(email="someone@company-a.example", company=company_a)
    services.invitation_accept(token=token, password=None)
    primary = EmailAddress.objects.filter(user=existing, primary=True)
    assert [address.email for address in primary] == ["someone@company-a.example"]


def test_a_switched_off_account_cannot_join(company_a):
    get_user_model().objects.create_user(
        username="gone",
        email="gone@company-a.example",
        password="x-long-password-1",
        is_active=False,
    )
    _, token = invite(email="gone@company-a.example", company=company_a)
    with pytest.raises(ValidationError, match="switched off"):
        services.invitation_accept(token=token, password=None)
    assert not PortalMembership.objects.exists()


def test_an_existing_account_joins_by_the_link_but_signs_in_with_its_own_password(
    client, company_a
):
    # The link proves the address, not the person holding the account's password and second
    # factor: joining adds the party and sends them to sign in as usual.
    get_user_model().objects.create_user(
        username="someone", email="someone@company-a.example", password="their-own-password-1"
    )
    _, token = invite(email="someone@company-a.example", company=company_a)
    response = client.post(f"/portal/accept/{token}/", {})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session
    membership = PortalMembership.objects.get(user__email="someone@company-a.example")
    assert membership.company == company_a
