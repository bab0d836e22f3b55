"""The public interest form, its confirmation page and the applicant's private status page."""

import datetime
import hashlib
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit

from core.query import by_slug_or_id
from zones.models import Zone

from .choices import AWAITING_REVIEW, RegistrationChannel, RegistrationStatus
from .forms import (
    FORM_TOKEN_MAX_AGE_SECONDS,
    InterestRegistrationForm,
    form_token_is_valid,
    issue_form_token,
)
from .models import InterestRegistration
from .services import registration_submit

# Registrations this browser has made: the confirmation page shows only these.
SESSION_REGISTRATIONS = "public_registration_ids"
SESSION_LAST_REGISTRATION = "public_registration_last"
SESSION_REMEMBERED = 20

CLAIM_PENDING = "pending"
# How long a second copy of a submission waits for the first copy to finish.
CLAIM_WAIT_SECONDS = 5.0
# Status tokens come from secrets.token_urlsafe(); anything else cannot match one
# (and a NUL byte would upset PostgreSQL), so it is a 404 without a query.
STATUS_TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _registration_rate(group, request):
    # Read per request, not at import, so that settings overrides (and tests) apply.
    return settings.PUBLIC_REGISTRATION_RATE


@never_cache
@ratelimit(group="public-register", key="ip", rate=_registration_rate, method="POST", block=False)
def register(request):
    """The interest form: GET shows it (zones preselected by ?zone=), POST submits it once."""
    if request.method == "POST":
        if getattr(request, "limited", False):
            return rate_limited(request)
        form = InterestRegistrationForm(request.POST)
        posted_token = request.POST.get("form_token", "")
        token_ok = form_token_is_valid(posted_token)
        if form.is_valid():
            if token_ok:
                response = _submit_once(request, form, posted_token)
                if response is not None:
                    return response
            else:
                form.add_error(
                    None,
                    ValidationError(
                        _(
                            "This copy of the form has expired (forms stay valid for a day). "
                            "Check your answers below and send the form again."
                        ),
                        code="stale_form",
                    ),
                )
        form_token = posted_token if token_ok else issue_form_token()
    else:
        form = InterestRegistrationForm(initial={"zones": _preselected_zones(request)})
        form_token = issue_form_token()
    return render(
        request,
        "public/register.html",
        {"form": form, "form_token": form_token, "error_summary": form.error_summary()},
    )


def _preselected_zones(request):
    """Slugs of the open zones named by ?zone= (a slug or an id; repeatable)."""
    zones, _unknown = by_slug_or_id(
        Zone.objects.open_for_registration().only("pk", "slug"), request.GET.getlist("zone")[:20]
    )
    return [zone.slug for zone in zones]


def _submit_once(request, form, form_token):
    """Submit the registration unless this form (or identical data) was just submitted.

    Two guards, because a double click and a re-sent page are different accidents:
    1. Each rendered form carries a one-time token. The first POST claims it with
       cache.add(), which is atomic, so the second copy of a double click finds it
       taken and is shown the first copy's confirmation instead of registering again.
       (With several server processes this needs a shared cache: set CACHE_URL.)
    2. The same company, contact email and zones from the web within a short window
       count as the same registration, which also catches a re-opened form.
    Returns the response to send, or None when the form should be shown with errors.
    """
    claim_key = "public:register:claim:" + hashlib.sha256(form_token.encode()).hexdigest()
    claim_timeout = FORM_TOKEN_MAX_AGE_SECONDS + 3600
    if not cache.add(claim_key, CLAIM_PENDING, claim_timeout):
        first_copy_id = _wait_for_claim(claim_key)
        if first_copy_id is None:
            return _already_received(request, None)
        # Only the browser the form was served to holds its token, so the sender of
        # this copy may see the first copy's confirmation.
        _remember(request, first_copy_id)
        return redirect("public:registration-done")
    duplicate = _recent_duplicate(form.cleaned_data)
    if duplicate is not None:
        cache.set(claim_key, duplicate.pk, claim_timeout)
        return _already_received(request, duplicate.pk)
    try:
        registration = registration_submit(
            **form.registration_kwargs(), channel=RegistrationChannel.WEB
        )
    except ValidationError as error:
        cache.delete(claim_key)
        form.add_service_errors(error)
        return None
    except Exception:
        cache.delete(claim_key)  # nothing was saved; let the applicant try again
        raise
    cache.set(claim_key, registration.pk, claim_timeout)
    _remember(request, registration.pk)
    return redirect("public:registration-done")


def _wait_for_claim(claim_key):
    """The registration id of the copy that claimed the token first, once it has one."""
    deadline = time.monotonic() + CLAIM_WAIT_SECONDS
    while True:
        value = cache.get(claim_key)
        if value != CLAIM_PENDING or time.monotonic() >= deadline:
            return value if isinstance(value, int) else None
        time.sleep(0.1)


def _recent_duplicate(data):
    window = datetime.timedelta(seconds=settings.PUBLIC_DUPLICATE_WINDOW_SECONDS)
    chosen = {zone.pk for zone in data["zones"]}
    candidates = (
        InterestRegistration.objects.recent_web_repeats(
            company_name=data["company_name"],
            contact_email=data["contact_email"],
            since=timezone.now() - window,
        )
        .only("pk")
        .prefetch_related(Prefetch("zones", queryset=Zone.objects.only("pk")))
    )
    for candidate in candidates:
        if {zone.pk for zone in candidate.zones.all()} == chosen:
            return candidate
    return None


def _remember(request, registration_id):
    remembered = request.session.get(SESSION_REGISTRATIONS, [])
    if registration_id not in remembered:
        remembered = [*remembered, registration_id][-SESSION_REMEMBERED:]
    request.session[SESSION_REGISTRATIONS] = remembered
    request.session[SESSION_LAST_REGISTRATION] = registration_id


def _already_received(request, registration_id):
    """A repeat of a submission: the original's confirmation if this browser made it."""
    if registration_id in request.session.get(SESSION_REGISTRATIONS, []):
        request.session[SESSION_LAST_REGISTRATION] = registration_id
        return redirect("public:registration-done")
    # Someone else's registration (or one still being saved): say nothing about it.
    return render(
        request,
        "public/registration_duplicate.html",
        {"still_processing": registration_id is None},
    )


@never_cache
def registration_done(request):
    """The confirmation after a submission; it shows only this browser's latest registration."""
    registration_id = request.session.get(SESSION_LAST_REGISTRATION)
    registration = None
    if registration_id in request.session.get(SESSION_REGISTRATIONS, []):
        registration = (
            InterestRegistration.objects.select_related("company")
            .prefetch_related(Prefetch("zones", queryset=Zone.objects.order_by("name")))
            .filter(pk=registration_id)
            .first()
        )
    if registration is None:
        return redirect("public:register")
    # The same link as the acknowledgement's, so a mistyped email address loses nothing.
    status_url = settings.SITE_URL.rstrip("/") + registration.get_absolute_url()
    response = render(
        request,
        "public/registration_done.html",
        {"registration": registration, "status_url": status_url},
    )
    # The page now holds the status link, a password in the address: no referrer carries it.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
def registration_status(request, token):
    """The applicant's private page, reached by the unguessable link in the acknowledgement."""
    if not STATUS_TOKEN_PATTERN.fullmatch(token):
        raise Http404("No registration has this link.")
    registration = get_object_or_404(
        InterestRegistration.objects.select_related("company").prefetch_related(
            Prefetch("zones", queryset=Zone.objects.order_by("name"))
        ),
        status_token=token,
    )
    context = {"registration": registration, "steps": _review_steps(registration.status)}
    response = render(request, "public/registration_status.html", context)
    # The token is a password in the address: keep it out of search engines and referrers.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _review_steps(status):
    """Received → under review → decision, with the decision named once it is made."""
    order = [*AWAITING_REVIEW, "decision"]
    decided = status not in AWAITING_REVIEW
    position = order.index("decision") if decided else order.index(status)
    labels = [RegistrationStatus.RECEIVED.label, RegistrationStatus.UNDER_REVIEW.label]
    labels.append(RegistrationStatus(status).label if decided else _("Decision"))
    return [
        {"label": label, "done": index <= position, "current": index == position}
        for index, label in enumerate(labels)
    ]


def rate_limited(request, exception=None):
    """429 with a page a person can act on (also django-ratelimit's RATELIMIT_VIEW)."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = str(_rate_period_seconds(settings.PUBLIC_REGISTRATION_RATE))
    return response


def _rate_period_seconds(rate):
    """Seconds in a django-ratelimit rate's period: "10/h" → 3600, "5/10m" → 600."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    period = rate.partition("/")[2] or "m"
    multiplier = int(period[:-1]) if period[:-1].isdigit() else 1
    return multiplier * units.get(period[-1], 60)
