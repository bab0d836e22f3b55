"""Writes for the operating zone: the licence workflow, plot allocation and annual returns.

Every step locks the rows it changes (`select_for_update`) and re-reads them, so two staff
members acting on one licence, plot or return at once are serialised by the database.
Lock order is always enterprise before plot, so that allocation and revocation cannot deadlock.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from companies.choices import RegistrationStatus
from companies.models import Company, InterestRegistration
from investments.services import usd_amount
from zones.choices import ZoneStatus
from zones.models import Zone

from . import events
from .choices import (
    EXPIRING_STATUSES,
    HELD_PLOT_STATUSES,
    LICENCE_STATUS_TRANSITIONS,
    OPEN_RETURN_STATUSES,
    RETURN_STATUS_TRANSITIONS,
    LicenceEventKind,
    LicenceStatus,
    PlotKind,
    PlotStatus,
    ReturnStatus,
)
from .fiscal import fiscal_year_bounds, fiscal_year_label, fiscal_year_of, fiscal_year_start_year
from .models import AnnualReturn, Enterprise, LicenceEvent, Plot

User = AbstractBaseUser


def _user_id(user: User | None) -> int | None:
    return getattr(user, "pk", None)


# --- Licences -------------------------------------------------------------------------------


def _check_registration(
    *, company: Company, zone: Zone, registration: InterestRegistration | None
) -> None:
    """Refuse a licence the registration record does not support."""
    if registration is not None:
        registration = InterestRegistration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == RegistrationStatus.DECLINED:
            raise ValidationError(
                {
                    "registration": ValidationError(
                        f"Registration {registration.reference} was declined: no licence can be "
                        f"granted on it.",
                        code="registration_declined",
                    )
                }
            )
        if registration.status != RegistrationStatus.ACCEPTED:
            raise ValidationError(
                {
                    "registration": ValidationError(
                        f"Registration {registration.reference} is "
                        f"{registration.get_status_display().lower()}; accept it before opening "
                        f"a licence application.",
                        code="registration_not_accepted",
                    )
                }
            )
        if registration.company_id != company.pk:
            raise ValidationError(
                {"registration": "This registration belongs to another company."},
                code="registration_company",
            )
        if not registration.zones.filter(pk=zone.pk).exists():
            raise ValidationError(
                {"zone": f"Registration {registration.reference} is not for {zone}."},
                code="registration_zone",
            )
        return
    registrations = InterestRegistration.objects.filter(company=company, zones=zone)
    declined = registrations.filter(status=RegistrationStatus.DECLINED).exists()
    if declined and not registrations.filter(status=RegistrationStatus.ACCEPTED).exists():
        raise ValidationError(
            {
                "company": ValidationError(
                    f"{company}'s registration for {zone} was declined: no licence can be "
                    f"granted in that zone.",
                    code="registration_declined",
                )
            }
        )


@transaction.atomic
def enterprise_apply(
    *,
    company: Company,
    zone: Zone,
    activities: str,
    registration: InterestRegistration | None = None,
    planned_investment_usd: Decimal | None = None,
    planned_jobs: int | None = None,
    note: str = "",
) -> Enterprise:
    """Open a licence application for a company in one zone."""
    _check_registration(company=company, zone=zone, registration=registration)
    if zone.status == ZoneStatus.CANCELLED:
        raise ValidationError(
            {"zone": f"{zone} is cancelled: it licenses no enterprises."}, code="zone_cancelled"
        )
    enterprise = Enterprise(
        company=company,
        zone=zone,
        registration=registration,
        activities=activities,
        planned_investment_usd=planned_investment_usd,
        planned_jobs=planned_jobs,
        note=note,
    )
    enterprise.full_clean()
    try:
        with transaction.atomic():
            enterprise.save()
    except IntegrityError as exc:
        # Two applications raced past full_clean(); the partial unique index decided.
        raise ValidationError(
            "This company already has a live application or licence in this zone.",
            code="duplicate_licence",
        ) from exc
    return enterprise


@transaction.atomic
def enterprise_apply_from_registration(
    *,
    registration: InterestRegistration,
    zone: Zone | None = None,
    activities: str = "",
) -> Enterprise:
    """Turn an accepted registration into a licence application, carrying its figures over."""
    zones = list(registration.zones.all())
    if zone is None:
        if len(zones) != 1:
            raise ValidationError(
                {
                    "zone": f"Registration {registration.reference} names {len(zones)} zones: "
                    f"choose the one to license."
                },
                code="zone_required",
            )
        zone = zones[0]
    company = registration.company
    if not activities:
        sector = company.sector.name if company.sector else ""
        activities = "; ".join(part for part in (sector, registration.message.strip()) if part)
    return enterprise_apply(
        company=company,
        zone=zone,
        registration=registration,
        activities=activities or "As stated in the registration.",
        planned_investment_usd=registration.planned_investment_usd,
        planned_jobs=registration.planned_jobs,
    )


def _lock(enterprise: Enterprise) -> Enterprise:
    return Enterprise.objects.select_for_update().get(pk=enterprise.pk)


def _require_step(locked: Enterprise, status: LicenceStatus) -> None:
    current = LicenceStatus(locked.status)
    if status not in LICENCE_STATUS_TRANSITIONS[current]:
        raise ValidationError(
            f"{locked.licence_number or 'This application'} is {current.label.lower()}; it "
            f"cannot become {status.label.lower()}.",
            code="invalid_transition",
        )


def _require_not_expired(locked: Enterprise, on: datetime.date, action: str) -> None:
    if locked.is_expired(on):
        raise ValidationError(
            f"Licence {locked.licence_number} expired on {locked.expires_on:%Y-%m-%d}: renew it "
            f"before it can be {action}.",
            code="licence_expired",
        )


def _require_reason(reason: str) -> None:
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason: it is kept in the licence's record."})


def _require_on_or_after_issue(locked: Enterprise, on: datetime.date) -> None:
    if locked.issued_on and on < locked.issued_on:
        raise ValidationError(
            f"The licence was issued on {locked.issued_on:%Y-%m-%d}; a step cannot be dated "
            f"earlier.",
            code="before_issue",
        )


def _record_event(
    locked: Enterprise,
    *,
    kind: LicenceEventKind,
    on: datetime.date,
    user: User | None,
    reason: str = "",
    previous_expires_on: datetime.date | None = None,
) -> LicenceEvent:
    event = LicenceEvent(
        enterprise=locked,
        kind=kind,
        occurred_on=on,
        recorded_by_id=_user_id(user),
        reason=reason,
        previous_expires_on=previous_expires_on,
        new_expires_on=locked.expires_on if previous_expires_on is not None else None,
    )
    event.full_clean()
    event.save()
    events.licence_changed(locked, event=event)
    return event


def _done(enterprise: Enterprise, locked: Enterprise) -> Enterprise:
    enterprise.refresh_from_db()
    return locked


@transaction.atomic
def enterprise_recommend(*, enterprise: Enterprise, user: User, note: str = "") -> Enterprise:
    """The maker's step: recommend an application for approval."""
    locked = _lock(enterprise)
    if locked.status != LicenceStatus.APPLIED:
        raise ValidationError(
            f"Only an application can be recommended; this one is "
            f"{locked.get_status_display().lower()}.",
            code="invalid_transition",
        )
    locked.recommended_by_id = _user_id(user)
    locked.recommended_at = timezone.now()
    if note:
        locked.note = note
    locked.full_clean()
    locked.save()
    return _done(enterprise, locked)


@transaction.atomic
def enterprise_approve(*, enterprise: Enterprise, user: User, note: str = "") -> Enterprise:
    """The checker's step: approve a recommended application (never one's own)."""
    locked = _lock(enterprise)
    _require_step(locked, LicenceStatus.APPROVED)
    if locked.recommended_by_id is None:
        raise ValidationError(
            "This application has not been recommended yet: a colleague recommends it first.",
            code="not_recommended",
        )
    if locked.recommended_by_id == _user_id(user):
        raise ValidationError(
            "You recommended this application, so another person must approve it "
            "(maker-checker rule).",
            code="maker_checker",
        )
    locked.status = LicenceStatus.APPROVED
    locked.approved_by_id = _user_id(user)
    locked.approved_at = timezone.now()
    if note:
        locked.note = note
    locked.full_clean()
    locked.save()
    return _done(enterprise, locked)


def licence_number_for(enterprise: Enterprise) -> str:
    # The primary key is unique already, so concurrent issues cannot collide (ADR 0302).
    return f"TZE-{enterprise.issued_on:%Y}-{enterprise.pk:06d}"


@transaction.atomic
def enterprise_issue_licence(
    *,
    enterprise: Enterprise,
    user: User | None,
    issued_on: datetime.date,
    expires_on: datetime.date,
    note: str = "",
) -> Enterprise:
    """Issue the licence of an approved application: its number, dates and first event."""
    locked = _lock(enterprise)
    _require_step(locked, LicenceStatus.LICENSED)
    locked.status = LicenceStatus.LICENSED
    locked.issued_on = issued_on
    locked.expires_on = expires_on
    locked.licence_number = licence_number_for(locked)
    locked.full_clean()
    locked.save()
    _record_event(locked, kind=LicenceEventKind.ISSUED, on=issued_on, user=user, reason=note)
    return _done(enterprise, locked)


@transaction.atomic
def enterprise_renew(
    *,
    enterprise: Enterprise,
    user: User | None,
    expires_on: datetime.date,
    renewed_on: datetime.date,
    reason: str = "",
) -> Enterprise:
    """Extend a licence's expiry (an expired licence may be renewed too)."""
    locked = _lock(enterprise)
    if locked.status not in EXPIRING_STATUSES:
        raise ValidationError(
            f"Only a licensed or suspended licence can be renewed; this one is "
            f"{locked.get_status_display().lower()}.",
            code="invalid_transition",
        )
    _require_on_or_after_issue(locked, renewed_on)
    previous = locked.expires_on
    if previous is not None and expires_on <= previous:
        raise ValidationError(
            {
                "expires_on": f"A renewal must extend the licence beyond its current expiry, "
                f"{previous:%Y-%m-%d}."
            },
            code="renewal_not_later",
        )
    locked.expires_on = expires_on
    locked.full_clean()
    locked.save()
    _record_event(
        locked,
        kind=LicenceEventKind.RENEWED,
        on=renewed_on,
        user=user,
        reason=reason,
        previous_expires_on=previous,
    )
    return _done(enterprise, locked)


@transaction.atomic
def enterprise_amend(
    *,
    enterprise: Enterprise,
    user: User | None,
    amended_on: datetime.date,
    reason: str,
    activities: str | None = None,
    planned_investment_usd: Decimal | None = None,
    planned_jobs: int | None = None,
) -> Enterprise:
    """Change what an issued licence covers, recording the amendment."""
    _require_reason(reason)
    locked = _lock(enterprise)
    if locked.status not in EXPIRING_STATUSES:
        raise ValidationError(
            "Only a licence in force or suspended can be amended.", code="invalid_transition"
        )
    _require_on_or_after_issue(locked, amended_on)
    if activities is not None:
        locked.activities = activities
    if planned_investment_usd is not None:
        locked.planned_investment_usd = planned_investment_usd
    if planned_jobs is not None:
        locked.planned_jobs = planned_jobs
    locked.full_clean()
    locked.save()
    _record_event(locked, kind=LicenceEventKind.AMENDED, on=amended_on, user=user, reason=reason)
    return _done(enterprise, locked)


@transaction.atomic
def enterprise_suspend(
    *, enterprise: Enterprise, user: User | None, suspended_on: datetime.date, reason: str
) -> Enterprise:
    _require_reason(reason)
    locked = _lock(enterprise)
    _require_step(locked, LicenceStatus.SUSPENDED)
    _require_on_or_after_issue(locked, suspended_on)
    _require_not_expired(locked, suspended_on, "suspended")
    locked.status = LicenceStatus.SUSPENDED
    locked.save()
    _record_event(
        locked, kind=LicenceEventKind.SUSPENDED, on=suspended_on, user=user, reason=reason
    )
    return _done(enterprise, locked)


@transaction.atomic
def enterprise_reinstate(
    *, enterprise: Enterprise, user: User | None, reinstated_on: datetime.date, reason: str = ""
) -> Enterprise:
    locked = _lock(enterprise)
    if locked.status != LicenceStatus.SUSPENDED:
        raise ValidationError(
            "Only a suspended licence can be reinstated.", code="invalid_transition"
        )
    _require_on_or_after_issue(locked, reinstated_on)
    _require_not_expired(locked, reinstated_on, "reinstated")
    locked.status = LicenceStatus.LICENSED
    locked.save()
    _record_event(
        locked, kind=LicenceEventKind.REINSTATED, on=reinstated_on, user=user, reason=reason
    )
    return _done(enterprise, locked)


def _end_licence(
    enterprise: Enterprise,
    *,
    status: LicenceStatus,
    kind: LicenceEventKind,
    user: User | None,
    on: datetime.date,
    reason: str,
) -> Enterprise:
    _require_reason(reason)
    locked = _lock(enterprise)
    _require_step(locked, status)
    _require_on_or_after_issue(locked, on)
    locked.status = status
    locked.save()
    _record_event(locked, kind=kind, on=on, user=user, reason=reason)
    # A licence that ends gives its plots back: no plot stays held by an unlicensed enterprise.
    for plot in Plot.objects.select_for_update().filter(enterprise=locked):
        _vacate(plot, note=f"Released: licence {locked.licence_number} {status.label.lower()}.")
    return _done(enterprise, locked)


@transaction.atomic
def enterprise_revoke(
    *, enterprise: Enterprise, user: User | None, revoked_on: datetime.date, reason: str
) -> Enterprise:
    return _end_licence(
        enterprise,
        status=LicenceStatus.REVOKED,
        kind=LicenceEventKind.REVOKED,
        user=user,
        on=revoked_on,
        reason=reason,
    )


@transaction.atomic
def enterprise_surrender(
    *, enterprise: Enterprise, user: User | None, surrendered_on: datetime.date, reason: str
) -> Enterprise:
    return _end_licence(
        enterprise,
        status=LicenceStatus.SURRENDERED,
        kind=LicenceEventKind.SURRENDERED,
        user=user,
        on=surrendered_on,
        reason=reason,
    )


# --- Plots ----------------------------------------------------------------------------------


@transaction.atomic
def plot_create(
    *,
    zone: Zone,
    number: str,
    area_m2: Decimal,
    kind: str = PlotKind.LAND,
    note: str = "",
) -> Plot:
    plot = Plot(zone=zone, number=number.strip(), area_m2=area_m2, kind=kind, note=note)
    plot.full_clean()
    try:
        with transaction.atomic():
            plot.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"number": f"{zone} already has a plot numbered {plot.number}."}, code="duplicate"
        ) from exc
    return plot


def _check_holder(enterprise: Enterprise, plot: Plot, on: datetime.date) -> None:
    """The enterprise must hold a licence in force in the plot's zone."""
    if enterprise.zone_id != plot.zone_id:
        raise ValidationError(
            {
                "enterprise": f"{enterprise.company} is licensed in {enterprise.zone}, not in "
                f"{plot.zone}: it cannot hold plot {plot.number}."
            },
            code="wrong_zone",
        )
    if not (
        enterprise.status == LicenceStatus.LICENSED
        and enterprise.issued_on is not None
        and enterprise.expires_on is not None
        and enterprise.issued_on <= on <= enterprise.expires_on
    ):
        raise ValidationError(
            {
                "enterprise": f"{enterprise.company}'s licence in {plot.zone} is not in force "
                f"on {on:%Y-%m-%d} ({enterprise.get_effective_status_display().lower()}): "
                f"only a licensed enterprise can hold a plot."
            },
            code="not_licensed",
        )


def _lock_pair(plot: Plot, enterprise: Enterprise) -> tuple[Plot, Enterprise]:
    locked_enterprise = _lock(enterprise)
    locked_plot = Plot.objects.select_for_update().select_related("zone").get(pk=plot.pk)
    return locked_plot, locked_enterprise


def _plot_taken_error(plot: Plot) -> ValidationError:
    return ValidationError(
        f"Plot {plot.number} is already {plot.get_status_display().lower()} to "
        f"{plot.enterprise.company if plot.enterprise else 'another enterprise'}: release it "
        f"first.",
        code="plot_taken",
    )


@transaction.atomic
def plot_reserve(
    *, plot: Plot, enterprise: Enterprise, reserved_on: datetime.date | None = None
) -> Plot:
    """Hold a vacant plot for a licensed enterprise while the lease is agreed."""
    locked, holder = _lock_pair(plot, enterprise)
    if locked.status != PlotStatus.VACANT:
        raise _plot_taken_error(locked)
    _check_holder(holder, locked, reserved_on or timezone.localdate())
    locked.status = PlotStatus.RESERVED
    locked.enterprise = holder
    locked.full_clean()
    locked.save()
    plot.refresh_from_db()
    return locked


@transaction.atomic
def plot_allocate(
    *,
    plot: Plot,
    enterprise: Enterprise,
    lease_starts_on: datetime.date,
    lease_ends_on: datetime.date | None = None,
) -> Plot:
    """Lease a vacant plot (or one reserved for this enterprise) to a licensed enterprise."""
    locked, holder = _lock_pair(plot, enterprise)
    reserved_for_it = locked.status == PlotStatus.RESERVED and locked.enterprise_id == holder.pk
    if locked.status != PlotStatus.VACANT and not reserved_for_it:
        raise _plot_taken_error(locked)
    _check_holder(holder, locked, lease_starts_on)
    locked.status = PlotStatus.ALLOCATED
    locked.enterprise = holder
    locked.lease_starts_on = lease_starts_on
    locked.lease_ends_on = lease_ends_on
    locked.full_clean()
    locked.save()
    plot.refresh_from_db()
    return locked


@transaction.atomic
def plot_occupy(*, plot: Plot, occupied_on: datetime.date) -> Plot:
    """The holder has moved in and operates on the plot."""
    locked = Plot.objects.select_for_update().get(pk=plot.pk)
    if locked.status != PlotStatus.ALLOCATED:
        raise ValidationError(
            f"Plot {locked.number} is {locked.get_status_display().lower()}: only an allocated "
            f"plot can be occupied.",
            code="invalid_transition",
        )
    if locked.lease_starts_on and occupied_on < locked.lease_starts_on:
        raise ValidationError(
            {"occupied_on": f"The lease starts on {locked.lease_starts_on:%Y-%m-%d}."},
            code="before_lease",
        )
    locked.status = PlotStatus.OCCUPIED
    locked.occupied_on = occupied_on
    locked.save()
    plot.refresh_from_db()
    return locked


def _vacate(locked: Plot, *, note: str) -> None:
    locked.status = PlotStatus.VACANT
    locked.enterprise = None
    locked.lease_starts_on = locked.lease_ends_on = locked.occupied_on = None
    if note:
        locked.note = note
    locked.save()


@transaction.atomic
def plot_release(*, plot: Plot, note: str = "") -> Plot:
    """Give a held plot back to the zone."""
    locked = Plot.objects.select_for_update().get(pk=plot.pk)
    if locked.status not in HELD_PLOT_STATUSES:
        raise ValidationError(f"Plot {locked.number} is vacant already.", code="already_vacant")
    _vacate(locked, note=note)
    plot.refresh_from_db()
    return locked


# --- Annual returns -------------------------------------------------------------------------


def return_due_on(fiscal_year: str) -> datetime.date:
    """The deadline for a year's return: ANNUAL_RETURN_DUE_DAYS after 30 June."""
    _, year_end = fiscal_year_bounds(fiscal_year)
    return year_end + datetime.timedelta(days=settings.ANNUAL_RETURN_DUE_DAYS)


def returns_open_due(*, today: datetime.date) -> list[AnnualReturn]:
    """Open the return of the last ended fiscal year for every enterprise that owes one.

    An enterprise owes a return for a year if its licence was issued by the year's end and
    was still live (licensed or suspended) on that day. Safe to run any number of times: an
    existing return is left alone (the unique constraint decides in a race).
    """
    fiscal_year = fiscal_year_label(fiscal_year_start_year(fiscal_year_of(today)) - 1)
    _, year_end = fiscal_year_bounds(fiscal_year)
    owing = (
        Enterprise.objects.filter(
            status__in=EXPIRING_STATUSES, issued_on__lte=year_end, expires_on__gte=year_end
        )
        .exclude(annual_returns__fiscal_year=fiscal_year)
        .order_by("pk")
    )
    opened = []
    for enterprise in owing:
        try:
            opened.append(return_open(enterprise=enterprise, fiscal_year=fiscal_year))
        except ValidationError:
            continue  # opened by someone else meanwhile, or no longer owing
    return opened


@transaction.atomic
def return_open(*, enterprise: Enterprise, fiscal_year: str) -> AnnualReturn:
    """Open (make due) an enterprise's return for a fiscal year."""
    try:
        _, year_end = fiscal_year_bounds(fiscal_year)
    except ValueError as exc:
        raise ValidationError({"fiscal_year": str(exc)}, code="invalid_fiscal_year") from exc
    locked = _lock(enterprise)
    if locked.issued_on is None:
        raise ValidationError(
            "Only a licensed enterprise files annual returns; this application has no licence yet.",
            code="not_licensed",
        )
    if year_end < locked.issued_on:
        raise ValidationError(
            {
                "fiscal_year": f"Licence {locked.licence_number} was issued on "
                f"{locked.issued_on:%Y-%m-%d}, after the {fiscal_year} fiscal year ended: no "
                f"return is due for it."
            },
            code="before_licence",
        )
    annual_return = AnnualReturn(
        enterprise=locked, fiscal_year=fiscal_year, due_on=return_due_on(fiscal_year)
    )
    annual_return.full_clean()
    try:
        with transaction.atomic():
            annual_return.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"fiscal_year": f"There is already a {fiscal_year} return for this enterprise."},
            code="duplicate",
        ) from exc
    return annual_return


# The figures a filer enters on an annual return (the USD conversions are derived from them).
RETURN_FIGURES = (
    "employees_total",
    "employees_women",
    "employees_foreign",
    "exports_usd",
    "domestic_sales",
    "investment",
)


def _set_figures(target: AnnualReturn, figures: dict, *, currency: str) -> None:
    """Put a filer's figures on `target`, checked field by field, with their USD conversions."""
    for name, value in figures.items():
        setattr(target, name, value)
    target.currency = (currency or "USD").upper()
    # Checked before conversion so that a negative amount reads as such, not as a rate problem.
    target.full_clean(exclude=["domestic_sales_usd", "investment_usd"], validate_constraints=False)
    # The pledges' rule: converted at the rate on (or latest before) a fixed date, here the
    # year's last day.
    _, year_end = fiscal_year_bounds(target.fiscal_year)
    for amount_field, usd_field in (
        ("domestic_sales", "domestic_sales_usd"),
        ("investment", "investment_usd"),
    ):
        amount = getattr(target, amount_field)
        converted = (
            None
            if amount is None
            else usd_amount(amount=amount, currency=target.currency, on_date=year_end)
        )
        setattr(target, usd_field, converted)


def _require_open(locked: AnnualReturn) -> None:
    if locked.status not in OPEN_RETURN_STATUSES:
        raise ValidationError(
            f"The {locked.fiscal_year} return is {locked.get_status_display().lower()}: its "
            f"figures can no longer be changed.",
            code="invalid_transition",
        )


@transaction.atomic
def return_save_draft(
    *, annual_return: AnnualReturn, figures: dict, currency: str = "USD"
) -> AnnualReturn:
    """Keep a return's figures unfiled, to finish later: checked as far as they go.

    The status does not change. A return sent back for correction keeps its filed figures
    where the draft leaves a field empty, since a returned return always has every figure.
    """
    unknown = set(figures) - set(RETURN_FIGURES)
    if unknown:
        raise ValueError(f"Not figures of an annual return: {sorted(unknown)}")
    locked = AnnualReturn.objects.select_for_update().get(pk=annual_return.pk)
    _require_open(locked)
    if locked.status == ReturnStatus.RETURNED:
        figures = {name: value for name, value in figures.items() if value is not None}
    _set_figures(locked, figures, currency=currency)
    locked.full_clean()
    locked.save()
    annual_return.refresh_from_db()
    return locked


def return_check(*, annual_return: AnnualReturn, figures: dict, currency: str = "USD") -> None:
    """Check a return's figures as filing would, without saving anything (the filer's "Check")."""
    candidate = AnnualReturn.objects.get(pk=annual_return.pk)
    _require_open(candidate)
    missing = {
        name: "Enter this figure before filing."
        for name in RETURN_FIGURES
        if figures.get(name) is None
    }
    if missing:
        raise ValidationError(missing, code="required")
    _, year_end = fiscal_year_bounds(candidate.fiscal_year)
    if timezone.localdate() <= year_end:
        raise ValidationError(
            f"The {candidate.fiscal_year} year ends on {year_end:%Y-%m-%d}; its return can be "
            f"filed after that.",
            code="before_year_end",
        )
    _set_figures(candidate, figures, currency=currency)
    candidate.status = ReturnStatus.SUBMITTED
    candidate.submitted_on = candidate.submitted_on or timezone.localdate()
    candidate.full_clean()


@transaction.atomic
def return_submit(
    *,
    annual_return: AnnualReturn,
    employees_total: int,
    employees_women: int,
    employees_foreign: int,
    exports_usd: Decimal,
    domestic_sales: Decimal,
    investment: Decimal,
    currency: str = "USD",
    submitted_on: datetime.date,
    user: User | None = None,
    filed_by_staff: bool = False,
) -> AnnualReturn:
    """File a return's figures (the company's own, or staff's from a paper return)."""
    locked = AnnualReturn.objects.select_for_update().get(pk=annual_return.pk)
    if ReturnStatus.SUBMITTED not in RETURN_STATUS_TRANSITIONS[ReturnStatus(locked.status)]:
        raise ValidationError(
            f"The {locked.fiscal_year} return is {locked.get_status_display().lower()}: it "
            f"cannot be filed again.",
            code="invalid_transition",
        )
    _, year_end = fiscal_year_bounds(locked.fiscal_year)
    if submitted_on <= year_end:
        raise ValidationError(
            {
                "submitted_on": f"The {locked.fiscal_year} year ends on {year_end:%Y-%m-%d}; "
                f"its return is filed after that."
            },
            code="before_year_end",
        )
    if submitted_on > timezone.localdate():
        raise ValidationError(
            {"submitted_on": "A return cannot be filed on a future date."}, code="future"
        )
    _set_figures(
        locked,
        {
            "employees_total": employees_total,
            "employees_women": employees_women,
            "employees_foreign": employees_foreign,
            "exports_usd": exports_usd,
            "domestic_sales": domestic_sales,
            "investment": investment,
        },
        currency=currency,
    )
    previous_status = locked.status
    locked.status = ReturnStatus.SUBMITTED
    locked.submitted_on = locked.submitted_on or submitted_on
    locked.filed_by_id = _user_id(user)
    locked.filed_by_staff = filed_by_staff
    locked.full_clean()
    locked.save()
    events.return_status_changed(locked, previous_status=previous_status)
    annual_return.refresh_from_db()
    return locked


def _review(
    annual_return: AnnualReturn, *, status: ReturnStatus, user: User, note: str
) -> AnnualReturn:
    locked = AnnualReturn.objects.select_for_update().get(pk=annual_return.pk)
    if status not in RETURN_STATUS_TRANSITIONS[ReturnStatus(locked.status)]:
        raise ValidationError(
            f"The {locked.fiscal_year} return is {locked.get_status_display().lower()}: only a "
            f"submitted return can be accepted or returned.",
            code="invalid_transition",
        )
    if locked.filed_by_staff and locked.filed_by_id == _user_id(user):
        raise ValidationError(
            "You entered this paper return, so another person must review it (maker-checker rule).",
            code="maker_checker",
        )
    previous_status = locked.status
    locked.status = status
    locked.reviewed_by_id = _user_id(user)
    locked.reviewed_at = timezone.now()
    locked.review_note = note
    locked.save()
    events.return_status_changed(locked, previous_status=previous_status)
    annual_return.refresh_from_db()
    return locked


@transaction.atomic
def return_accept(*, annual_return: AnnualReturn, user: User, note: str = "") -> AnnualReturn:
    return _review(annual_return, status=ReturnStatus.ACCEPTED, user=user, note=note)


@transaction.atomic
def return_send_back(*, annual_return: AnnualReturn, user: User, note: str) -> AnnualReturn:
    """Return a submitted return to its filer with a note saying what to correct."""
    if not note.strip():
        raise ValidationError(
            {"review_note": "Say what the filer must correct."}, code="note_required"
        )
    return _review(annual_return, status=ReturnStatus.RETURNED, user=user, note=note)


@transaction.atomic
def return_file(
    *,
    enterprise: Enterprise,
    fiscal_year: str,
    employees_total: int,
    employees_women: int,
    employees_foreign: int,
    exports_usd: Decimal,
    domestic_sales: Decimal,
    investment: Decimal,
    currency: str = "USD",
    submitted_on: datetime.date,
    user: User | None = None,
    filed_by_staff: bool = False,
) -> AnnualReturn:
    """File a year's return in one step, opening it first if it is not open yet (paper, import)."""
    annual_return = AnnualReturn.objects.filter(
        enterprise=enterprise, fiscal_year=fiscal_year
    ).first() or return_open(enterprise=enterprise, fiscal_year=fiscal_year)
    return return_submit(
        annual_return=annual_return,
        employees_total=employees_total,
        employees_women=employees_women,
        employees_foreign=employees_foreign,
        exports_usd=exports_usd,
        domestic_sales=domestic_sales,
        investment=investment,
        currency=currency,
        submitted_on=submitted_on,
        user=user,
        filed_by_staff=filed_by_staff,
    )
