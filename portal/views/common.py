"""Pages every portal account has, and the pages whose content depends on the account's party
(a company's or a developer's), which hand over to `company` or `developer`."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from companies.models import InterestRegistration
from companies.views import STATUS_TOKEN_PATTERN

from .. import selectors, services
from ..forms import AcceptInvitationForm, InviteColleagueForm
from . import company, developer
from .access import member_required

ACCOUNT_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


def _by_party(company_view, developer_view):
    """One URL, two pages: the company's or the developer's view of the same kind of record."""

    @member_required
    def view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.membership.company_id:  # type: ignore[attr-defined]
            return company_view(request, *args, **kwargs)
        return developer_view(request, *args, **kwargs)

    view.__name__ = company_view.__name__
    return view


home = _by_party(company.home, developer.home)
registration_list = _by_party(company.registration_list, developer.registration_list)
registration_detail = _by_party(company.registration_detail, developer.registration_detail)
licence_list = _by_party(company.licence_list, developer.licence_list)
licence_detail = _by_party(company.licence_detail, developer.licence_detail)
plot_list = _by_party(company.plot_list, developer.plot_list)
return_list = _by_party(company.return_list, developer.return_list)
return_detail = _by_party(company.return_detail, developer.return_detail)


def _no_referrer(response: HttpResponse) -> HttpResponse:
    # The token is a password in the address: keep it out of search engines and referrers.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    return response


@ratelimit(key="ip", rate="30/h", method="POST", block=True)
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation link: choose a password (a new account) and sign in."""
    invitation = services.invitation_for_token(token)
    problem = services.invitation_problem(invitation)
    if problem or invitation is None:
        return _no_referrer(
            render(
                request,
                "portal/accept_unusable.html",
                {"problem": problem},
                status=410 if invitation else 404,
            )
        )
    needs_password = not services.existing_account(invitation.email)
    form = AcceptInvitationForm(
        request.POST if request.method == "POST" else None, needs_password=needs_password
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token, password=form.cleaned_data.get("password1") or None
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            if not needs_password:
                # An account that already signs in keeps its own sign-in (and its second
                # factor): the link adds the party, it does not replace the password.
                messages.success(
                    request,
                    _("Your account now has access to %(party)s. Sign in to continue.")
                    % {"party": invitation.party},
                )
                return redirect("account_login")
            login(request, user, backend=ACCOUNT_BACKEND)
            messages.success(
                request,
                _("Welcome. Your portal account for %(party)s is ready.")
                % {"party": invitation.party},
            )
            return redirect("portal:home")
    context = {"invitation": invitation, "form": form, "needs_password": needs_password}
    return _no_referrer(render(request, "portal/accept.html", context))


@require_POST
@ratelimit(key="ip", rate="10/h", method="POST", block=True)
def claim(request: HttpRequest, token: str) -> HttpResponse:
    """From the private status page: email an invitation to the registration's own address."""
    if not STATUS_TOKEN_PATTERN.fullmatch(token):
        raise Http404("No registration has this link.")
    registration = get_object_or_404(InterestRegistration, status_token=token)
    try:
        services.claim_request(registration=registration)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _(
                "We have emailed a link to open your portal account to the address this "
                "registration gave. It works once, for %(days)s days."
            )
            % {"days": services.invitation_days()},
        )
    return _no_referrer(redirect(registration.get_absolute_url()))


@member_required
def colleagues(request: HttpRequest) -> HttpResponse:
    """Who from the company (or developer) has an account; the first user invites others."""
    membership = request.membership  # type: ignore[attr-defined]
    may_invite = services.can_invite_colleagues(membership)
    form = InviteColleagueForm(request.POST or None)
    if request.method == "POST":
        if not may_invite:
            raise Http404("Only the company's first user invites colleagues.")
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.colleague_invite(
                        membership=membership, email=form.cleaned_data["email"]
                    )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(
                    request,
                    _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]},
                )
                return redirect("portal:colleagues")
    context = {
        "members": selectors.colleagues_for(membership),
        "invitations": selectors.pending_invitations_for(membership),
        "form": form,
        "may_invite": may_invite,
    }
    return render(request, "portal/colleagues.html", context)


@member_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """A document, to an account that may see its record only; always as a download."""
    document = get_object_or_404(selectors.documents_for(request.membership), pk=pk)  # type: ignore[attr-defined]
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing from storage.") from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
