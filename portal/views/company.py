"""The company's pages: its registrations, licences, plots and annual returns.

`common` hands the shared URLs over to these with `request.membership` set to a company's
membership. Every record is looked up inside the selectors' querysets, so another company's
reference or id is a 404, the same as one that does not exist. The rules (what may be
answered, withdrawn, renewed or filed) are the services'; these pages show their answers.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from companies import services as company_services
from companies.choices import RegistrationStatus, ReviewAction
from companies.models import InterestRegistration
from enterprises.choices import OPEN_RETURN_STATUSES, LicenceStatus, ReturnStatus
from enterprises.models import AnnualReturn, Enterprise

from .. import selectors, services
from ..choices import RenewalRequestStatus
from ..forms import (
    RETURN_FIGURES,
    AnnualReturnForm,
    AnswerForm,
    RenewalRequestForm,
    WithdrawForm,
)
from ..models import RenewalRequest
from .access import company_required

# The statuses in which the page offers withdrawal; the service has the last word.
WITHDRAWABLE = (
    RegistrationStatus.RECEIVED,
    RegistrationStatus.UNDER_REVIEW,
    RegistrationStatus.INFORMATION_REQUESTED,
)
# Licences the page offers to renew (expired is read from the dates, never stored).
RENEWABLE = (LicenceStatus.LICENSED, LicenceStatus.EXPIRED)
# Log entries written by the company's own people; the rest are the authority's steps.
COMPANY_ACTIONS = (ReviewAction.ANSWERED, ReviewAction.WITHDRAWN)
HOME_LIST_LENGTH = 5


def _membership(request: HttpRequest):
    return request.membership  # type: ignore[attr-defined]


def _with_days_left(enterprises, today):
    for enterprise in enterprises:
        enterprise.days_left = (
            (enterprise.expires_on - today).days if enterprise.expires_on else None
        )
    return enterprises


# --- overview --------------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    today = timezone.localdate()
    registrations = list(selectors.registrations_for(membership))
    enterprises = _with_days_left(
        list(selectors.enterprises_for(membership).with_effective_status(today)), today
    )
    returns = list(
        selectors.returns_for(membership)
        .with_compliance(today)
        .filter(status__in=OPEN_RETURN_STATUSES)
        .order_by("due_on", "enterprise__zone__name")
    )
    context = {
        "questions": [
            r for r in registrations if r.status == RegistrationStatus.INFORMATION_REQUESTED
        ],
        "registrations": registrations[:HOME_LIST_LENGTH],
        "registration_count": len(registrations),
        "enterprises": enterprises[:HOME_LIST_LENGTH],
        "enterprise_count": len(enterprises),
        "open_returns": returns,
        "returned_count": sum(1 for r in returns if r.status == ReturnStatus.RETURNED),
        "overdue_count": sum(1 for r in returns if r.is_overdue),
    }
    return render(request, "portal/company/home.html", context)


# --- registrations ---------------------------------------------------------------------------


def registration_list(request: HttpRequest) -> HttpResponse:
    registrations = selectors.registrations_for(_membership(request))
    return render(
        request, "portal/company/registration_list.html", {"registrations": registrations}
    )


def _registration(request: HttpRequest, reference: str) -> InterestRegistration:
    return get_object_or_404(selectors.registrations_for(_membership(request)), reference=reference)


def _registration_page(
    request: HttpRequest,
    registration: InterestRegistration,
    *,
    answer_form: AnswerForm | None = None,
    withdraw_form: WithdrawForm | None = None,
    status: int = 200,
) -> HttpResponse:
    asking = registration.status == RegistrationStatus.INFORMATION_REQUESTED
    if answer_form is None and asking:
        answer_form = AnswerForm()
    log = list(selectors.shared_review_log(registration).select_related("user"))
    for entry in log:
        entry.by_company = entry.action in COMPANY_ACTIONS and not (
            entry.user is not None and entry.user.is_staff
        )
    context = {
        "registration": registration,
        "asking": asking,
        "log": log,
        "documents": selectors.documents_for(_membership(request))
        .filter(registration=registration)
        .select_related("uploaded_by"),
        "answer_form": answer_form,
        "may_withdraw": registration.status in WITHDRAWABLE,
        "withdraw_form": withdraw_form or WithdrawForm(),
    }
    return render(request, "portal/company/registration_detail.html", context, status=status)


def registration_detail(request: HttpRequest, reference: str) -> HttpResponse:
    registration = _registration(request, reference)
    if request.method != "POST":
        return _registration_page(request, registration)
    form = AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.registration_answer(
                registration=registration,
                user=request.user,
                message=form.cleaned_data["message"],
                uploads=form.cleaned_data["documents"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _("Your answer has been sent. The review of %(reference)s continues.")
                % {"reference": registration.reference},
            )
            return redirect("portal:registration", reference=registration.reference)
    # Read again: a refused answer was rolled back, but the objects in memory were not.
    registration = _registration(request, reference)
    if registration.status != RegistrationStatus.INFORMATION_REQUESTED:
        # Answered already (another tab, a colleague, a second click): nothing to show a form for.
        messages.error(
            request, " ".join(form.non_field_errors()) or _("There is no open question.")
        )
        return redirect("portal:registration", reference=registration.reference)
    return _registration_page(request, registration, answer_form=form, status=400)


@company_required
@require_POST
def registration_withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    registration = _registration(request, reference)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            company_services.registration_withdraw(
                registration=registration, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Registration %(reference)s has been withdrawn.")
                % {"reference": registration.reference},
            )
        return redirect("portal:registration", reference=registration.reference)
    registration = _registration(request, reference)
    return _registration_page(request, registration, withdraw_form=form, status=400)


# --- licences --------------------------------------------------------------------------------


def licence_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    enterprises = _with_days_left(
        list(selectors.enterprises_for(_membership(request)).with_effective_status(today)), today
    )
    return render(request, "portal/company/licence_list.html", {"enterprises": enterprises})


def _enterprise(request: HttpRequest, pk: int) -> Enterprise:
    today = timezone.localdate()
    enterprise = get_object_or_404(
        selectors.enterprises_for(_membership(request))
        .with_effective_status(today)
        .prefetch_related(
            Prefetch(
                "renewal_requests",
                queryset=RenewalRequest.objects.filter(status=RenewalRequestStatus.OPEN),
                to_attr="open_renewal_requests",
            )
        ),
        pk=pk,
    )
    _with_days_left([enterprise], today)
    return enterprise


def _licence_page(
    request: HttpRequest,
    enterprise: Enterprise,
    *,
    renewal_form: RenewalRequestForm | None = None,
    status: int = 200,
) -> HttpResponse:
    membership = _membership(request)
    open_requests = enterprise.open_renewal_requests  # type: ignore[attr-defined]
    context = {
        "enterprise": enterprise,
        "events": selectors.licence_events(enterprise),
        "plots": selectors.plots_for(membership).filter(enterprise=enterprise),
        "documents": selectors.documents_for(membership).filter(enterprise=enterprise),
        "open_request": open_requests[0] if open_requests else None,
        "may_renew": enterprise.effective_status in RENEWABLE,  # type: ignore[attr-defined]
        "renewal_form": renewal_form or RenewalRequestForm(),
    }
    return render(request, "portal/company/licence_detail.html", context, status=status)


def licence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _licence_page(request, _enterprise(request, pk))


@company_required
@require_POST
def licence_renew(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise(request, pk)
    form = RenewalRequestForm(request.POST)
    if form.is_valid():
        try:
            services.renewal_request(
                enterprise=enterprise, user=request.user, message=form.cleaned_data["message"]
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                form.add_service_errors(exc)
            else:
                # Already requested, or not renewable: the page says so beside the licence.
                messages.error(request, " ".join(exc.messages))
                return redirect("portal:licence", pk=enterprise.pk)
        else:
            messages.success(
                request,
                _("Your renewal request has been sent to the authority; staff will be in touch."),
            )
            return redirect("portal:licence", pk=enterprise.pk)
    return _licence_page(request, enterprise, renewal_form=form, status=400)


# --- plots -----------------------------------------------------------------------------------


def plot_list(request: HttpRequest) -> HttpResponse:
    plots = selectors.plots_for(_membership(request))
    return render(request, "portal/company/plot_list.html", {"plots": plots})


# --- annual returns --------------------------------------------------------------------------


def return_list(request: HttpRequest) -> HttpResponse:
    returns = selectors.returns_for(_membership(request)).with_compliance(timezone.localdate())
    return render(request, "portal/company/return_list.html", {"returns": returns})


def _annual_return(request: HttpRequest, pk: int) -> AnnualReturn:
    return get_object_or_404(
        selectors.returns_for(_membership(request)).with_compliance(timezone.localdate()), pk=pk
    )


def _return_page(
    request: HttpRequest,
    annual_return: AnnualReturn,
    *,
    form: AnnualReturnForm | None = None,
    status: int = 200,
) -> HttpResponse:
    editable = annual_return.status in OPEN_RETURN_STATUSES
    if form is None and editable:
        initial = {name: getattr(annual_return, name) for name in RETURN_FIGURES}
        initial["currency"] = annual_return.currency or "USD"
        form = AnnualReturnForm(initial=initial)
    context = {
        "annual_return": annual_return,
        "editable": editable,
        "form": form,
        "documents": selectors.documents_for(_membership(request)).filter(
            annual_return=annual_return
        ),
    }
    return render(request, "portal/company/return_detail.html", context, status=status)


def return_detail(request: HttpRequest, pk: int) -> HttpResponse:
    annual_return = _annual_return(request, pk)
    if request.method != "POST":
        return _return_page(request, annual_return)
    if annual_return.status not in OPEN_RETURN_STATUSES:
        # A second click on Submit, or another tab: say so instead of refusing obscurely.
        messages.error(request, _already_filed(annual_return))
        return redirect("portal:return", pk=annual_return.pk)
    form = AnnualReturnForm(request.POST, request.FILES)
    if form.is_valid():
        action = form.cleaned_data["action"]
        try:
            services.return_save(
                annual_return=annual_return,
                user=request.user,
                figures=form.figures(),
                currency=form.cleaned_data["currency"],
                action=action,
                uploads=form.cleaned_data["documents"],
            )
        except ValidationError as exc:
            current = _annual_return(request, pk)
            if current.status not in OPEN_RETURN_STATUSES:
                # Filed meanwhile (two submissions at once): the first one stands.
                messages.error(request, _already_filed(current))
                return redirect("portal:return", pk=current.pk)
            form.add_service_errors(exc)
            return _return_page(request, current, form=form, status=400)
        if action == "check":
            messages.success(request, _("The figures are complete and consistent; you can submit."))
            return _return_page(request, annual_return, form=form)
        if action == "submit":
            messages.success(
                request,
                _("Your %(year)s return has been filed. The authority will review it.")
                % {"year": annual_return.fiscal_year},
            )
        else:
            messages.success(
                request,
                _("Draft saved. Nothing is sent to the authority until you submit."),
            )
        return redirect("portal:return", pk=annual_return.pk)
    return _return_page(request, annual_return, form=form, status=400)


def _already_filed(annual_return: AnnualReturn) -> str:
    if annual_return.status == ReturnStatus.ACCEPTED:
        return _("The %(year)s return has already been accepted; it can no longer be changed.") % {
            "year": annual_return.fiscal_year
        }
    return _(
        "The %(year)s return has already been submitted; its figures can no longer be changed "
        "unless the authority returns it to you."
    ) % {"year": annual_return.fiscal_year}
