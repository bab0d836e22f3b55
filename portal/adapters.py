"""django-allauth's hooks: the portal has no open sign-up."""

from allauth.account.adapter import DefaultAccountAdapter


class PortalAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Accounts come from invitations only (portal.services.invitation_accept).
        return False
