"""The zone developer's pages: its zones' registrations, enterprises, plots and returns.

A developer sees the companies interested in and operating in its zones, never the people
behind them: no contact's name, email, phone or message reaches these pages (the authority
holds those). Every record is looked up inside the membership's selector, so another
developer's zone, plot or return answers 404.
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from companies.choices import RegistrationStatus
from core.query import subquery_count
from enterprises.choices import PlotStatus, ReturnStatus
from enterprises.models import Enterprise, Plot
from enterprises.querysets import return_overdue_q

from .. import selectors, services
from ..choices import ProposalStatus
from ..forms import DescriptionProposalForm, PlotOccupiedForm
from .access import developer_required

PER_PAGE = 25
PLOTS_PER_PAGE = 50
# The compliance bar's colours (the site's green, amber and red; presentation attributes, so
# site.css needs no rule of its own for them).
ON_TIME, LATE, OVERDUE = "#16784f", "#b26a00", "#b3402f"


def _read_only(view):
    """The shared URLs where a company also writes (its return, its registration): a
    developer only reads them, and a write from its account answers 404 like a stranger's."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            raise Http404("Developers do not write to a company's records.")
        return view(request, *args, **kwargs)

    return wrapped


def _page(request: HttpRequest, queryset, per_page: int = PER_PAGE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


# --- the pages every account has, in the developer's version ---------------------------------


@_read_only
def home(request: HttpRequest) -> HttpResponse:
    """What needs the developer's eye: its zones, new interest, plots to record, late returns."""
    membership = request.membership  # type: ignore[attr-defined]
    today = timezone.localdate()
    zones = list(selectors.zones_for(membership))
    registrations = selectors.registrations_for(membership)
    open_statuses = (
        RegistrationStatus.RECEIVED,
        RegistrationStatus.UNDER_REVIEW,
        RegistrationStatus.INFORMATION_REQUESTED,
    )
    registration_counts = registrations.order_by().aggregate(
        total=Count("pk"), open=Count("pk", filter=Q(status__in=open_statuses))
    )
    returns = selectors.returns_for(membership).order_by()
    return_counts = returns.aggregate(
        overdue=Count("pk", filter=return_overdue_q(today)),
        submitted=Count("pk", filter=Q(status=ReturnStatus.SUBMITTED)),
    )
    plots = selectors.plots_for(membership)
    context = {
        "zones": zones,
        "registration_counts": registration_counts,
        "recent_registrations": list(registrations[:5]),
        "enterprise_count": selectors.enterprises_for(membership).order_by().count(),
        "occupancy": plots.occupancy(),
        "to_occupy_count": plots.filter(status=PlotStatus.ALLOCATED).order_by().count(),
        "return_counts": return_counts,
        "pending_proposals": selectors.proposals_for(membership)
        .filter(status=ProposalStatus.PENDING)
        .order_by()
        .count(),
        "developer_zone_ids": {zone.pk for zone in zones},
    }
    return render(request, "portal/developer/home.html", context)


@_read_only
def registration_list(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    registrations = selectors.registrations_for(membership)
    status = request.GET.get("status", "")
    if status in RegistrationStatus.values:
        registrations = registrations.filter(status=status)
    else:
        status = ""
    context = {
        "page": _page(request, registrations),
        "page_query": urlencode({"status": status}) if status else "",
        "status": status,
        "statuses": RegistrationStatus.choices,
        "developer_id": membership.developer_id,
    }
    return render(request, "portal/developer/registration_list.html", context)


@_read_only
def registration_detail(request: HttpRequest, reference: str) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    registration = get_object_or_404(
        selectors.registrations_for(membership), reference=reference[:20]
    )
    context = {"registration": registration, "developer_id": membership.developer_id}
    return render(request, "portal/developer/registration_detail.html", context)


@_read_only
def licence_list(request: HttpRequest) -> HttpResponse:
    """The enterprises in the developer's zones: applications and licences alike."""
    membership = request.membership  # type: ignore[attr-defined]
    enterprises = selectors.enterprises_for(membership).with_effective_status()
    return render(
        request, "portal/developer/licence_list.html", {"page": _page(request, enterprises)}
    )


@_read_only
def licence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    enterprise = get_object_or_404(
        selectors.enterprises_for(membership).with_effective_status(), pk=pk
    )
    context = {
        "enterprise": enterprise,
        "events": selectors.licence_events(enterprise),
        "plots": selectors.plots_for(membership).filter(enterprise=enterprise),
        "returns": selectors.returns_for(membership)
        .filter(enterprise=enterprise)
        .with_compliance(),
    }
    return render(request, "portal/developer/licence_detail.html", context)


def _occupied_form(*args: Any, **kwargs: Any) -> PlotOccupiedForm:
    form = PlotOccupiedForm(*args, **kwargs)
    # A date input shows a value only in ISO form; the locale's input format would leave the
    # proposed day (today) blank.
    form.fields["occupied_on"].widget.format = "%Y-%m-%d"
    return form


def _plot_page(
    request: HttpRequest,
    *,
    failed_plot: Plot | None = None,
    failed_form: PlotOccupiedForm | None = None,
) -> HttpResponse:
    """The plots, with a form to record occupation on each allocated one.

    After a refused POST the page is drawn again with that plot's form as typed, its errors
    beside the field.
    """
    membership = request.membership  # type: ignore[attr-defined]
    plots = selectors.plots_for(membership)
    zones = list(selectors.zones_for(membership))
    zone_slug = request.GET.get("zone", "")
    if zone_slug and any(zone.slug == zone_slug for zone in zones):
        plots = plots.filter(zone__slug=zone_slug)
    else:
        zone_slug = ""
    status = request.GET.get("status", "")
    if status in PlotStatus.values:
        plots = plots.filter(status=status)
    else:
        status = ""
    page = _page(request, plots, PLOTS_PER_PAGE)
    today = timezone.localdate()
    rows = []
    for plot in page.object_list:
        form = None
        if failed_plot is not None and plot.pk == failed_plot.pk:
            form = failed_form
        elif plot.status == PlotStatus.ALLOCATED:
            form = _occupied_form(initial={"occupied_on": today}, auto_id=f"id_plot{plot.pk}_%s")
        rows.append((plot, form))
    # A refused plot outside the page shown (filters, page number) still shows its errors.
    if failed_plot is not None and all(plot.pk != failed_plot.pk for plot, _ in rows):
        rows.insert(0, (failed_plot, failed_form))
    context = {
        "page": page,
        "page_query": urlencode({k: v for k, v in (("zone", zone_slug), ("status", status)) if v}),
        "rows": rows,
        "zones": zones,
        "zone_slug": zone_slug,
        "status": status,
        "statuses": PlotStatus.choices,
        "occupancy": selectors.plots_for(membership).occupancy(),
        "failed_plot": failed_plot,
    }
    return render(request, "portal/developer/plot_list.html", context)


@_read_only
def plot_list(request: HttpRequest) -> HttpResponse:
    return _plot_page(request)


@_read_only
def return_list(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    returns = selectors.returns_for(membership).with_compliance()
    overdue_only = request.GET.get("overdue") == "1"
    if overdue_only:
        returns = returns.filter(is_overdue=True)
    context = {
        "page": _page(request, returns),
        "page_query": "overdue=1" if overdue_only else "",
        "overdue_only": overdue_only,
    }
    return render(request, "portal/developer/return_list.html", context)


@_read_only
def return_detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    annual_return = get_object_or_404(selectors.returns_for(membership).with_compliance(), pk=pk)
    return render(request, "portal/developer/return_detail.html", {"annual_return": annual_return})


# --- the developer's own pages -------------------------------------------------------------


@require_POST
@developer_required
def plot_occupy(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that the enterprise holding an allocated plot has moved in."""
    membership = request.membership  # type: ignore[attr-defined]
    plot = get_object_or_404(selectors.plots_for(membership), pk=pk)
    form = _occupied_form(request.POST, auto_id=f"id_plot{plot.pk}_%s")
    if form.is_valid():
        try:
            services.plot_mark_occupied(plot=plot, occupied_on=form.cleaned_data["occupied_on"])
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _("Plot %(number)s in %(zone)s is recorded as occupied since %(day)s.")
                % {
                    "number": plot.number,
                    "zone": plot.zone.local_name,
                    "day": form.cleaned_data["occupied_on"].isoformat(),
                },
            )
            return redirect("portal:plots")
    messages.error(
        request,
        _("Plot %(number)s was not recorded as occupied: see the reason beside it.")
        % {"number": plot.number},
    )
    plot.refresh_from_db()
    return _plot_page(request, failed_plot=plot, failed_form=form)


@developer_required
def zone_list(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    zones = selectors.zones_for(membership).annotate(
        enterprise_count=subquery_count(Enterprise.objects.all(), outer_field="zone"),
        plot_count=subquery_count(Plot.objects.all(), outer_field="zone"),
    )
    pending = set(
        selectors.proposals_for(membership)
        .filter(status=ProposalStatus.PENDING)
        .values_list("zone_id", flat=True)
    )
    return render(
        request, "portal/developer/zone_list.html", {"zones": zones, "pending_zone_ids": pending}
    )


@developer_required
def zone_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The zone's facts and public description, and the developer's proposals to change it."""
    membership = request.membership  # type: ignore[attr-defined]
    zone = get_object_or_404(
        selectors.zones_for(membership).prefetch_related("sectors", "incentives"), slug=slug
    )
    proposals = list(selectors.proposals_for(membership).filter(zone=zone))
    pending = next((p for p in proposals if p.status == ProposalStatus.PENDING), None)
    initial = {"description": zone.description, "description_ur": zone.description_ur}
    form = DescriptionProposalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.description_propose(
                zone=zone,
                user=request.user,  # type: ignore[arg-type]  # signed in: member_required
                description=form.cleaned_data["description"],
                description_ur=form.cleaned_data["description_ur"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _(
                    "Your description of %(zone)s is with the authority. The public page "
                    "changes once staff approve it."
                )
                % {"zone": zone.local_name},
            )
            return redirect("portal:zone", slug=zone.slug)
    context = {
        "zone": zone,
        "form": form,
        "pending": pending,
        "proposals": proposals,
        "occupancy": selectors.plots_for(membership).filter(zone=zone).occupancy(),
        "enterprise_count": selectors.enterprises_for(membership)
        .filter(zone=zone)
        .order_by()
        .count(),
    }
    return render(request, "portal/developer/zone_detail.html", context)


def _compliance_bar(row: dict[str, Any]) -> dict[str, Any]:
    """The year's returns that were due, split into filed on time, filed late and overdue."""
    on_time, late, overdue = (
        row["filed_on_time_count"],
        row["filed_late_count"],
        row["overdue_count"],
    )
    total = on_time + late + overdue
    if not total:
        return {"total": 0, "segments": []}
    segments, start = [], 0.0
    for colour, count in ((ON_TIME, on_time), (LATE, late), (OVERDUE, overdue)):
        width = round(100 * count / total, 2)
        if count:
            segments.append({"colour": colour, "count": count, "x": start, "width": width})
        start += width
    return {"total": total, "segments": segments}


@developer_required
def compliance(request: HttpRequest) -> HttpResponse:
    """How the zones' enterprises file their annual returns, year by year."""
    membership = request.membership  # type: ignore[attr-defined]
    rows = selectors.return_compliance_for(membership, as_of=timezone.localdate())
    for row in rows:
        row["bar"] = _compliance_bar(row)
    keys = (
        "return_count",
        "due_count",
        "filed_on_time_count",
        "filed_late_count",
        "overdue_count",
        "not_yet_due_count",
        "accepted_count",
    )
    totals = {key: sum(row[key] for row in rows) for key in keys}
    context = {"rows": rows, "totals": totals, "total_bar": _compliance_bar(totals)}
    return render(request, "portal/developer/compliance.html", context)
