"""The operating zone in the admin: licences, plots and annual returns.

Every workflow step is a button on the record's page (and, where no input is needed beyond a
date and a reason, a bulk action) that calls enterprises.services; the services hold the rules,
so a refused step reads as a message and changes nothing.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from companies.choices import RegistrationStatus
from companies.models import InterestRegistration
from core.admin import HistoryImportExportAdmin, ReadOnlyTabularInline, ServiceErrorsAsMessagesMixin
from core.paginators import EstimatedCountPaginator

from . import services
from .choices import (
    EXPIRING_STATUSES,
    ISSUED_STATUSES,
    OPEN_RETURN_STATUSES,
    LicenceStatus,
    PlotStatus,
    ReturnStatus,
)
from .models import AnnualReturn, Enterprise, LicenceEvent, Plot
from .querysets import licence_expired_q, return_overdue_q
from .resources import AnnualReturnResource, PlotResource

APPROVE_PERMISSION = "enterprises.approve_enterprise"
REVIEW_RETURN_PERMISSION = "enterprises.review_annualreturn"
EXPIRING_DAYS = 60


# --- List filters -----------------------------------------------------------------------------


class EffectiveStatusFilter(admin.SimpleListFilter):
    """Status as people read it: a licence past its expiry date shows as expired."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return LicenceStatus.choices

    def queryset(self, request, queryset):
        value = self.value()
        if value == LicenceStatus.EXPIRED:
            return queryset.expired()
        if value in LicenceStatus.values:
            today = timezone.localdate()
            return queryset.filter(status=value).exclude(licence_expired_q(today))
        return queryset


class ExpiringFilter(admin.SimpleListFilter):
    title = "expiry"
    parameter_name = "expiring"

    def lookups(self, request, model_admin):
        return (("60", f"Expiring within {EXPIRING_DAYS} days"), ("expired", "Expired"))

    def queryset(self, request, queryset):
        if self.value() == "60":
            return queryset.expiring_within(EXPIRING_DAYS)
        if self.value() == "expired":
            return queryset.expired()
        return queryset


class HasOverdueReturnsFilter(admin.SimpleListFilter):
    title = "annual returns"
    parameter_name = "overdue_returns"

    def lookups(self, request, model_admin):
        return (("yes", "Has overdue returns"),)

    def queryset(self, request, queryset):
        if self.value() == "yes":
            overdue = AnnualReturn.objects.overdue().filter(enterprise=OuterRef("pk"))
            return queryset.filter(Exists(overdue))
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = "overdue"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return (("yes", "Overdue"), ("no", "Not overdue"))

    def queryset(self, request, queryset):
        condition = return_overdue_q(timezone.localdate())
        if self.value() == "yes":
            return queryset.filter(condition)
        if self.value() == "no":
            return queryset.exclude(condition)
        return queryset


# --- Forms ------------------------------------------------------------------------------------


class StepForm(forms.Form):
    """What a workflow step may need: its date, a new expiry date, the reason recorded."""

    on_date = forms.DateField(label="Date", initial=timezone.localdate, widget=AdminDateWidget)
    expires_on = forms.DateField(
        label="Expires on",
        required=False,
        widget=AdminDateWidget,
        help_text="For issuing and renewing a licence.",
    )
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text="Kept in the licence's record (required to suspend, revoke or surrender).",
    )


class EnterpriseAdminForm(forms.ModelForm):
    amendment_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="An issued licence is changed by amendment: say why (kept in its record).",
    )

    class Meta:
        model = Enterprise
        fields = (
            "company",
            "zone",
            "registration",
            "activities",
            "planned_investment_usd",
            "planned_jobs",
            "note",
        )


# --- Licences ---------------------------------------------------------------------------------

# step: (button label, permission, statuses it is offered in)
LICENCE_STEPS = {
    "recommend": ("Recommend", "enterprises.change_enterprise", (LicenceStatus.APPLIED,)),
    "approve": ("Approve", APPROVE_PERMISSION, (LicenceStatus.APPLIED,)),
    "issue": ("Issue licence", APPROVE_PERMISSION, (LicenceStatus.APPROVED,)),
    "renew": ("Renew", APPROVE_PERMISSION, EXPIRING_STATUSES),
    "suspend": ("Suspend", APPROVE_PERMISSION, (LicenceStatus.LICENSED,)),
    "reinstate": ("Reinstate", APPROVE_PERMISSION, (LicenceStatus.SUSPENDED,)),
    "revoke": ("Revoke", APPROVE_PERMISSION, EXPIRING_STATUSES),
    "surrender": ("Record surrender", APPROVE_PERMISSION, EXPIRING_STATUSES),
}


def apply_licence_step(step: str, enterprise: Enterprise, user, data: dict) -> Enterprise:
    on, expires_on, reason = data["on_date"], data.get("expires_on"), data.get("reason", "")
    if step in ("issue", "renew") and expires_on is None:
        raise ValidationError({"expires_on": "Give the licence's expiry date."})
    match step:
        case "recommend":
            return services.enterprise_recommend(enterprise=enterprise, user=user, note=reason)
        case "approve":
            return services.enterprise_approve(enterprise=enterprise, user=user, note=reason)
        case "issue":
            return services.enterprise_issue_licence(
                enterprise=enterprise, user=user, issued_on=on, expires_on=expires_on, note=reason
            )
        case "renew":
            return services.enterprise_renew(
                enterprise=enterprise,
                user=user,
                expires_on=expires_on,
                renewed_on=on,
                reason=reason,
            )
        case "suspend":
            return services.enterprise_suspend(
                enterprise=enterprise, user=user, suspended_on=on, reason=reason
            )
        case "reinstate":
            return services.enterprise_reinstate(
                enterprise=enterprise, user=user, reinstated_on=on, reason=reason
            )
        case "revoke":
            return services.enterprise_revoke(
                enterprise=enterprise, user=user, revoked_on=on, reason=reason
            )
        case "surrender":
            return services.enterprise_surrender(
                enterprise=enterprise, user=user, surrendered_on=on, reason=reason
            )
    raise ValidationError(f"“{step}” is not a licence step.")


class LicenceEventInline(ReadOnlyTabularInline):
    model = LicenceEvent
    fields = (
        "occurred_on",
        "kind",
        "reason",
        "previous_expires_on",
        "new_expires_on",
        "recorded_by",
    )
    readonly_fields = fields
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")


class PlotInline(ReadOnlyTabularInline):
    model = Plot
    fields = ("number", "kind", "area_m2", "status", "lease_starts_on", "lease_ends_on")
    readonly_fields = fields
    verbose_name_plural = "plots held"


class AnnualReturnInline(ReadOnlyTabularInline):
    model = AnnualReturn
    fields = ("fiscal_year", "status", "due_on", "submitted_on", "employees_total", "exports_usd")
    readonly_fields = fields


class WorkflowAdminMixin:
    """Buttons on the change page and bulk actions, each calling one service step."""

    steps: dict = {}
    step_form_class = StepForm
    change_form_template = "admin/enterprises/change_form.html"

    def apply_step(self, step, obj, user, data):
        raise NotImplementedError

    def allowed_steps(self, request, obj):
        return [
            (step, label)
            for step, (label, permission, statuses) in self.steps.items()
            if obj.status in statuses and request.user.has_perm(permission)
        ]

    def step_form(self, request, obj, data=None):
        return self.step_form_class(data)

    def run_step(self, request, objects, step, data):
        done = []
        for obj in objects:
            try:
                self.apply_step(step, obj, request.user, data)
            except ValidationError as exc:
                messages.error(request, f"{obj}: {' '.join(exc.messages)}")
            else:
                done.append(str(obj))
        if done:
            messages.success(request, f"{self.steps[step][0]}: {'; '.join(done)}.")

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/step/",
                self.admin_site.admin_view(self.step_view),
                name="{}_{}_step".format(*info),
            ),
            *super().get_urls(),
        ]

    def change_url(self, obj):
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=(obj.pk,),
            current_app=self.admin_site.name,
        )

    def step_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = get_object_or_404(self.get_queryset(request), pk=unquote(object_id))
        step = request.POST.get("step")
        if step not in self.steps:
            messages.error(request, f"“{step}” is not a step of this record.")
            return HttpResponseRedirect(self.change_url(obj))
        if not request.user.has_perm(self.steps[step][1]):
            raise PermissionDenied
        form = self.step_form(request, obj, request.POST)
        if form.is_valid():
            self.run_step(request, [obj], step, form.cleaned_data)
        else:
            for field, errors in form.errors.items():
                messages.error(request, f"{field}: {' '.join(errors)}")
        return HttpResponseRedirect(self.change_url(obj))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            extra_context["workflow_steps"] = self.allowed_steps(request, obj)
            extra_context["workflow_form"] = self.step_form(request, obj)
            extra_context["workflow_url"] = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_step",
                args=(obj.pk,),
                current_app=self.admin_site.name,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def step_selected(self, request, queryset, step):
        """A bulk action's confirmation page, asking for the step's date and reason."""
        if request.POST.get("confirm_step"):
            form = self.step_form(request, None, request.POST)
            if form.is_valid():
                self.run_step(request, queryset, step, form.cleaned_data)
                return None
        else:
            form = self.step_form(request, None)
        context = {
            **self.admin_site.each_context(request),
            "title": f"{self.steps[step][0]}: confirm",
            "opts": self.opts,
            "objects": queryset,
            "form": form,
            "action": request.POST.get("action"),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "select_across": request.POST.get("select_across", "0"),
        }
        return TemplateResponse(request, "admin/enterprises/step_selected.html", context)


def bulk_step(step: str, label: str, permission: str):
    """A changelist action applying `step` to each selected record after a confirmation."""

    def action(modeladmin, request, queryset):
        return modeladmin.step_selected(request, queryset, step)

    action.__name__ = f"bulk_{step}"
    perm_name = permission.split(".", 1)[1].split("_", 1)[0]
    return admin.action(description=label, permissions=(perm_name,))(action)


@admin.register(Enterprise)
class EnterpriseAdmin(WorkflowAdminMixin, ServiceErrorsAsMessagesMixin, SimpleHistoryAdmin):
    form = EnterpriseAdminForm
    steps = LICENCE_STEPS
    list_display = (
        "licence_number",
        "company",
        "zone",
        "status_column",
        "issued_on",
        "expires_on",
        "planned_jobs",
        "registration",
    )
    list_filter = (EffectiveStatusFilter, ExpiringFilter, HasOverdueReturnsFilter, "zone")
    list_select_related = ("company", "zone", "registration")
    search_fields = (
        "licence_number",
        "company__name",
        "zone__name",
        "registration__reference",
        "activities",
    )
    autocomplete_fields = ("company", "zone", "registration")
    ordering = ("-created",)
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    readonly_fields = (
        "status_column",
        "licence_number",
        "issued_on",
        "expires_on",
        "recommended_by",
        "recommended_at",
        "approved_by",
        "approved_at",
        "created",
        "updated",
    )
    inlines = (LicenceEventInline, PlotInline, AnnualReturnInline)
    actions = (
        bulk_step("recommend", "Recommend selected applications", "enterprises.change_enterprise"),
        bulk_step("approve", "Approve selected applications", APPROVE_PERMISSION),
        bulk_step("issue", "Issue licences for selected approved applications", APPROVE_PERMISSION),
        bulk_step("suspend", "Suspend selected licences", APPROVE_PERMISSION),
        bulk_step("reinstate", "Reinstate selected licences", APPROVE_PERMISSION),
        bulk_step("renew", "Renew selected licences", APPROVE_PERMISSION),
    )

    def has_approve_permission(self, request):
        return request.user.has_perm(APPROVE_PERMISSION)

    def apply_step(self, step, obj, user, data):
        return apply_licence_step(step, obj, user, data)

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ("company", "zone", "registration")}),
            (
                "Licence covers",
                {"fields": ("activities", "planned_investment_usd", "planned_jobs")},
            ),
            ("Note", {"fields": ("note",)}),
        ]
        if obj is not None:
            if obj.status in ISSUED_STATUSES:
                fieldsets[1][1]["fields"] += ("amendment_reason",)
            fieldsets.append(
                (
                    "Licence",
                    {
                        "fields": (
                            ("status_column", "licence_number"),
                            ("issued_on", "expires_on"),
                            ("recommended_by", "recommended_at"),
                            ("approved_by", "approved_at"),
                            ("created", "updated"),
                        )
                    },
                )
            )
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        fields = self.readonly_fields
        if obj is not None:
            # Who and where a licence is for never changes; an ended licence not at all.
            fields += ("company", "zone", "registration")
            if obj.status not in (
                *EXPIRING_STATUSES,
                LicenceStatus.APPLIED,
                LicenceStatus.APPROVED,
            ):
                fields += ("activities", "planned_investment_usd", "planned_jobs")
        return fields

    @admin.display(description="status", ordering="status")
    def status_column(self, enterprise):
        return enterprise.get_effective_status_display()

    def get_changeform_initial_data(self, request):
        """`?registration=TZR-XXXX-XXXX` prefills an application from an accepted registration."""
        initial = super().get_changeform_initial_data(request)
        reference = request.GET.get("registration", "").strip()
        if not reference:
            return initial
        registration = (
            InterestRegistration.objects.filter(reference__iexact=reference)
            .select_related("company__sector")
            .prefetch_related("zones")
            .first()
        )
        if registration is None:
            messages.warning(request, f"No registration has the reference “{reference}”.")
            return initial
        if registration.status != RegistrationStatus.ACCEPTED:
            messages.warning(
                request,
                f"Registration {registration.reference} is "
                f"{registration.get_status_display().lower()}: only an accepted registration "
                f"becomes a licence application.",
            )
        zones = list(registration.zones.all())
        sector = registration.company.sector.name if registration.company.sector_id else ""
        initial.update(
            registration=registration.pk,
            company=registration.company_id,
            zone=zones[0].pk if len(zones) == 1 else None,
            planned_investment_usd=registration.planned_investment_usd,
            planned_jobs=registration.planned_jobs,
            activities="; ".join(p for p in (sector, registration.message.strip()) if p),
        )
        return initial

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            created = services.enterprise_apply(
                company=data["company"],
                zone=data["zone"],
                registration=data.get("registration"),
                activities=data["activities"],
                planned_investment_usd=data.get("planned_investment_usd"),
                planned_jobs=data.get("planned_jobs"),
                note=data.get("note", ""),
            )
            obj.pk = created.pk
            obj.refresh_from_db()
            return
        current = Enterprise.objects.get(pk=obj.pk)
        covered = ("activities", "planned_investment_usd", "planned_jobs")
        changed = [field for field in covered if field in form.changed_data]
        if current.status in ISSUED_STATUSES and changed:
            services.enterprise_amend(
                enterprise=current,
                user=request.user,
                amended_on=timezone.localdate(),
                reason=data.get("amendment_reason", ""),
                **{field: data[field] for field in changed},
            )
            Enterprise.objects.filter(pk=obj.pk).update(note=data.get("note", ""))
            return
        # An application's own fields; the workflow's are written by the services only.
        for field in ("status", "licence_number", "issued_on", "expires_on"):
            setattr(obj, field, getattr(current, field))
        super().save_model(request, obj, form, change)


# --- The registration's way in ------------------------------------------------------------------


@admin.action(description="Create licence applications from selected accepted registrations")
def create_licence_applications(modeladmin, request, queryset):
    if not request.user.has_perm("enterprises.add_enterprise"):
        messages.error(request, "Your role cannot open licence applications.")
        return
    created = []
    for registration in queryset.select_related("company"):
        try:
            enterprise = services.enterprise_apply_from_registration(registration=registration)
        except ValidationError as exc:
            add_url = reverse("admin:enterprises_enterprise_add")
            messages.error(
                request,
                format_html(
                    "{}: {} <a href='{}?registration={}'>Open the application form</a>.",
                    registration.reference,
                    " ".join(exc.messages),
                    add_url,
                    registration.reference,
                ),
            )
        else:
            created.append(f"{registration.reference} → application {enterprise.pk}")
    if created:
        messages.success(request, f"Licence applications opened: {'; '.join(created)}.")


# Hooked onto the registrations' admin from here, so that companies/ does not need to know the
# operating zone exists.
_registration_admin = admin.site.get_model_admin(InterestRegistration)
_registration_admin.actions = (*_registration_admin.actions, create_licence_applications)


# --- Plots ------------------------------------------------------------------------------------


class PlotStepForm(forms.Form):
    enterprise = forms.ModelChoiceField(
        queryset=Enterprise.objects.none(),
        required=False,
        help_text="A licensed enterprise of this zone (to reserve or allocate).",
    )
    on_date = forms.DateField(label="Date", initial=timezone.localdate, widget=AdminDateWidget)
    lease_ends_on = forms.DateField(required=False, widget=AdminDateWidget)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, zone=None, **kwargs):
        super().__init__(*args, **kwargs)
        candidates = Enterprise.objects.in_force().select_related("company")
        self.fields["enterprise"].queryset = (
            candidates.filter(zone=zone) if zone is not None else candidates
        )


PLOT_STEPS = {
    "reserve": ("Reserve", "enterprises.change_plot", (PlotStatus.VACANT,)),
    "allocate": ("Allocate", "enterprises.change_plot", (PlotStatus.VACANT, PlotStatus.RESERVED)),
    "occupy": ("Mark occupied", "enterprises.change_plot", (PlotStatus.ALLOCATED,)),
    "release": (
        "Release",
        "enterprises.change_plot",
        (PlotStatus.RESERVED, PlotStatus.ALLOCATED, PlotStatus.OCCUPIED),
    ),
}


@admin.register(Plot)
class PlotAdmin(WorkflowAdminMixin, ServiceErrorsAsMessagesMixin, HistoryImportExportAdmin):
    resource_classes = (PlotResource,)
    steps = PLOT_STEPS
    step_form_class = PlotStepForm
    list_display = (
        "number",
        "zone",
        "kind",
        "area_m2",
        "status",
        "enterprise",
        "lease_starts_on",
        "lease_ends_on",
    )
    list_filter = ("status", "kind", "zone")
    list_select_related = ("zone", "enterprise__company", "enterprise__zone")
    search_fields = (
        "number",
        "zone__name",
        "enterprise__licence_number",
        "enterprise__company__name",
    )
    autocomplete_fields = ("zone",)
    fields = (
        "zone",
        "number",
        "kind",
        "area_m2",
        "note",
        "status",
        "enterprise",
        ("lease_starts_on", "lease_ends_on"),
        "occupied_on",
    )
    readonly_fields = ("status", "enterprise", "lease_starts_on", "lease_ends_on", "occupied_on")
    actions = (bulk_step("release", "Release selected plots", "enterprises.change_plot"),)
    show_full_result_count = False
    paginator = EstimatedCountPaginator

    def step_form(self, request, obj, data=None):
        return PlotStepForm(data, zone=obj.zone_id if obj is not None else None)

    def get_readonly_fields(self, request, obj=None):
        # A plot does not move zone once it exists.
        return self.readonly_fields + (("zone",) if obj is not None else ())

    def apply_step(self, step, plot, user, data):
        enterprise, on = data.get("enterprise"), data["on_date"]
        if step in ("reserve", "allocate") and enterprise is None:
            raise ValidationError({"enterprise": "Choose the enterprise."})
        match step:
            case "reserve":
                return services.plot_reserve(plot=plot, enterprise=enterprise, reserved_on=on)
            case "allocate":
                return services.plot_allocate(
                    plot=plot,
                    enterprise=enterprise,
                    lease_starts_on=on,
                    lease_ends_on=data.get("lease_ends_on"),
                )
            case "occupy":
                return services.plot_occupy(plot=plot, occupied_on=on)
            case "release":
                return services.plot_release(plot=plot, note=data.get("note", ""))
        raise ValidationError(f"“{step}” is not a plot step.")


# --- Annual returns -----------------------------------------------------------------------------


class AnnualReturnAdminForm(forms.ModelForm):
    """Staff entering a paper return: the figures and the date it was received."""

    class Meta:
        model = AnnualReturn
        fields = (
            "enterprise",
            "fiscal_year",
            "employees_total",
            "employees_women",
            "employees_foreign",
            "exports_usd",
            "currency",
            "domestic_sales",
            "investment",
            "submitted_on",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields:
            if name in self.fields and name != "currency":
                self.fields[name].required = True


class ReturnStepForm(forms.Form):
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text="Required when a return goes back: say what the filer must correct.",
    )


RETURN_STEPS = {
    "accept": ("Accept", REVIEW_RETURN_PERMISSION, (ReturnStatus.SUBMITTED,)),
    "send_back": ("Return to filer", REVIEW_RETURN_PERMISSION, (ReturnStatus.SUBMITTED,)),
}


@admin.register(AnnualReturn)
class AnnualReturnAdmin(WorkflowAdminMixin, ServiceErrorsAsMessagesMixin, HistoryImportExportAdmin):
    form = AnnualReturnAdminForm
    resource_classes = (AnnualReturnResource,)
    steps = RETURN_STEPS
    step_form_class = ReturnStepForm
    list_display = (
        "enterprise",
        "fiscal_year",
        "status",
        "due_on",
        "submitted_on",
        "overdue",
        "filed_by_staff",
        "employees_total",
        "exports_usd",
    )
    list_filter = (OverdueFilter, "status", "fiscal_year", "filed_by_staff", "enterprise__zone")
    list_select_related = ("enterprise__company", "enterprise__zone")
    search_fields = ("enterprise__licence_number", "enterprise__company__name", "fiscal_year")
    autocomplete_fields = ("enterprise",)
    readonly_fields = (
        "status",
        "due_on",
        "domestic_sales_usd",
        "investment_usd",
        "filed_by",
        "filed_by_staff",
        "reviewed_by",
        "reviewed_at",
        "review_note",
    )
    actions = (bulk_step("accept", "Accept selected returns", REVIEW_RETURN_PERMISSION),)
    show_full_result_count = False
    paginator = EstimatedCountPaginator

    def has_review_permission(self, request):
        return request.user.has_perm(REVIEW_RETURN_PERMISSION)

    @admin.display(description="overdue", boolean=True)
    def overdue(self, annual_return):
        return annual_return.is_overdue()

    def get_readonly_fields(self, request, obj=None):
        fields = self.readonly_fields
        if obj is not None:
            fields += ("enterprise", "fiscal_year")
            if obj.status not in OPEN_RETURN_STATUSES:
                fields += tuple(AnnualReturnAdminForm.Meta.fields[2:])
        return fields

    def apply_step(self, step, annual_return, user, data):
        if step == "accept":
            return services.return_accept(
                annual_return=annual_return, user=user, note=data.get("note", "")
            )
        if step == "send_back":
            return services.return_send_back(
                annual_return=annual_return, user=user, note=data.get("note", "")
            )
        raise ValidationError(f"“{step}” is not a return step.")

    def save_model(self, request, obj, form, change):
        figures = {
            field: form.cleaned_data[field]
            for field in AnnualReturnAdminForm.Meta.fields[2:]
            if field in form.cleaned_data
        }
        figures.setdefault("currency", "USD")
        figures["currency"] = figures["currency"] or "USD"
        if change:
            saved = services.return_submit(
                annual_return=AnnualReturn.objects.get(pk=obj.pk),
                user=request.user,
                filed_by_staff=True,
                **figures,
            )
        else:
            saved = services.return_file(
                enterprise=form.cleaned_data["enterprise"],
                fiscal_year=form.cleaned_data["fiscal_year"],
                user=request.user,
                filed_by_staff=True,
                **figures,
            )
        obj.pk = saved.pk
        obj.refresh_from_db()
