from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html
from django_countries.filters import CountryFilter
from simple_history.admin import SimpleHistoryAdmin

from core.admin import (
    HistoryImportExportAdmin,
    PledgeAmountColumnsMixin,
    PledgeTotalsColumnsMixin,
    ReadOnlyTabularInline,
    ServiceErrorsAsMessagesMixin,
)
from core.formats import usd
from core.history import ReadableHistoryMixin
from core.paginators import EstimatedCountPaginator
from investments.models import Pledge
from investments.selectors import companies_with_pledge_totals
from notifications.admin import NotificationInline
from programme.foreign_formats import CompanyImportResource

from .choices import (
    AWAITING_REVIEW,
    REGISTRATION_STATUS_TRANSITIONS,
    REVIEW_STEPS,
    PipelineStage,
    RegistrationChannel,
    RegistrationStatus,
)
from .models import Company, Contact, Interaction, InterestRegistration, ReviewLogEntry
from .resources import CompanyResource
from .services import (
    interaction_record,
    registration_add_note,
    registration_assign,
    registration_check,
    registration_recommend,
    registration_submit,
    registration_transition,
)

# Created by programme/migrations/0001_roles.py and given to the Reviewer group.
REVIEW_PERMISSION = "companies.review_interestregistration"

# Fields that only registration_transition() and the channel that created a registration write;
# a reverted old version must not rewrite them.
SERVICE_OWNED_FIELDS = (
    "status",
    "channel",
    "submitted_by",
    "assigned_to",
    "recommended_by",
    "recommended_at",
    "reviewer",
    "reviewed_at",
    "review_note",
    "submitted_company_name",
    "submitted_contact_name",
    "submitted_contact_phone",
    "language",
)


class ContactInline(admin.TabularInline):
    model = Contact
    fields = ("name", "email", "phone", "role")
    extra = 0
    template = "admin/edit_inline/tabular_rows.html"


class InteractionInline(admin.TabularInline):
    """Aftercare log: new rows are added here; past ones stay as written (history keeps edits)."""

    model = Interaction
    fields = ("happened_on", "kind", "officer", "notes", "next_follow_up_on")
    readonly_fields = ("officer",)
    extra = 1
    can_delete = False
    template = "admin/edit_inline/tabular_rows.html"
    verbose_name_plural = "interactions (aftercare log; you are recorded as the officer)"
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("officer")


class CompanyRegistrationInline(ReadOnlyTabularInline):
    model = InterestRegistration
    fields = ("reference", "status", "channel", "planned_investment_usd", "created")
    readonly_fields = fields
    verbose_name_plural = "interest registrations"


class CompanyPledgeInline(PledgeAmountColumnsMixin, ReadOnlyTabularInline):
    model = Pledge
    fields = (
        "zone",
        "amount_display",
        "amount_usd_display",
        "realized_usd_display",
        "status",
        "pledged_on",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("zone", "company")


@admin.register(Company)
class CompanyAdmin(PledgeTotalsColumnsMixin, HistoryImportExportAdmin):
    resource_classes = (CompanyResource,)

    def get_import_resource_classes(self, request):
        # The native columns, or the S&P 500 list recognised by its headers.
        return (CompanyImportResource,)

    list_display = (
        "name",
        "origin",
        "country_name",
        "sector",
        "stage",
        "pledged_usd",
        "realized_usd",
        "registration_count",
    )
    list_filter = ("origin", "size", "sector", ("country", CountryFilter))
    list_select_related = ("sector",)
    search_fields = ("name", "normalized_name", "website")
    ordering = ("name",)
    autocomplete_fields = ("sector",)
    readonly_fields = (
        "normalized_name",
        "pledged_usd",
        "realized_usd",
        "pledge_count",
        "registration_count",
        "created",
        "updated",
    )
    inlines = (ContactInline, InteractionInline, CompanyRegistrationInline, CompanyPledgeInline)
    show_full_result_count = False
    paginator = EstimatedCountPaginator

    # The field's own column display rebuilds django-countries' 250 choices for every cell
    # (over 200 ms a page of 100); the Country object knows its name.
    @admin.display(description="country", ordering="country")
    def country_name(self, company):
        return company.country.name

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ("name", "origin", "country", "sector", "website", "size")}),
            ("About", {"fields": ("description",)}),
        ]
        if obj:
            fieldsets += [
                (
                    "Investment (active pledges)",
                    {
                        "fields": (
                            ("pledged_usd", "realized_usd"),
                            ("pledge_count", "registration_count"),
                        )
                    },
                ),
                ("Record", {"fields": ("normalized_name", ("created", "updated"))}),
            ]
        return fieldsets

    def get_queryset(self, request):
        # companies_with_pledge_totals(): per-page subqueries, never one query per row.
        return companies_with_pledge_totals(super().get_queryset(request)).with_pipeline_stage()

    @admin.display(description="pipeline stage", ordering="pipeline_stage")
    def stage(self, company):
        return PipelineStage(company.pipeline_stage).label

    def save_formset(self, request, form, formset, change):
        if formset.model is not Interaction:
            return super().save_formset(request, form, formset, change)
        # New aftercare entries go through the service, with the signed-in officer.
        for entry in formset.save(commit=False):
            if entry.pk is None:
                interaction_record(
                    company=form.instance,
                    kind=entry.kind,
                    officer=request.user,
                    happened_on=entry.happened_on,
                    notes=entry.notes,
                    next_follow_up_on=entry.next_follow_up_on,
                )
            else:
                entry.save()

    @admin.display(description="registrations", ordering="registration_count")
    def registration_count(self, company):
        return company.registration_count


@admin.register(Interaction)
class InteractionAdmin(SimpleHistoryAdmin):
    """Every company's aftercare log in one list; follow-ups due first."""

    list_display = ("happened_on", "company", "kind", "officer", "next_follow_up_on")
    list_filter = ("kind", "officer", "next_follow_up_on")
    list_select_related = ("company", "officer")
    search_fields = ("company__name", "notes")
    autocomplete_fields = ("company",)
    readonly_fields = ("officer",)
    fields = ("company", "kind", "happened_on", "officer", "notes", "next_follow_up_on")
    date_hierarchy = "happened_on"

    def save_model(self, request, obj, form, change):
        # The form has run the model's checks (the constraints included); the officer is
        # whoever records it.
        if not change:
            obj.officer = request.user
        super().save_model(request, obj, form, change)


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    """Personal data: reachable by staff only, and left out of every export."""

    list_display = ("name", "company", "email", "phone", "role")
    list_select_related = ("company",)
    search_fields = ("name", "email", "company__name")
    autocomplete_fields = ("company",)


class RegistrationAdminForm(forms.ModelForm):
    class Meta:
        model = InterestRegistration
        fields = (
            "company",
            "contact",
            "zones",
            "planned_investment_usd",
            "planned_jobs",
            "target_date",
            "message",
        )
        labels = {"planned_investment_usd": "Planned investment (US$)"}

    # The service reports on the company's origin and country; staff picked the company.
    COMPANY_ERROR_FIELDS = ("company_name", "origin", "country")

    def clean(self):
        cleaned = super().clean()
        company, contact = cleaned.get("company"), cleaned.get("contact")
        if company and contact and contact.company_id != company.pk:
            self.add_error("contact", f"{contact.name} is a contact of another company.")
        elif company and "zones" in cleaned and self.instance._state.adding:
            # The service's own rules, beside the fields, with what staff typed kept;
            # registration_submit() checks them again when it saves.
            try:
                registration_check(
                    zones=cleaned["zones"],
                    company=company,
                    contact=contact,
                    planned_investment_usd=cleaned.get("planned_investment_usd"),
                    planned_jobs=cleaned.get("planned_jobs"),
                    message=cleaned.get("message") or "",
                )
            except ValidationError as error:
                self.add_service_errors(error)
        return cleaned

    def add_service_errors(self, error: ValidationError):
        for field, errors in error.error_dict.items():
            if field in self.COMPANY_ERROR_FIELDS:
                field = "company"
            self.add_error(field if field in self.fields else None, errors)


class ReviewNoteForm(forms.Form):
    note = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Kept in the review log with this step, who took it and when.",
    )

    def __init__(self, *args, **kwargs):
        # "review_" keeps the id clear of the registration form's own fields on the change page.
        kwargs.setdefault("auto_id", "id_review_%s")
        super().__init__(*args, **kwargs)


# The change page's review buttons besides the status steps.
RECOMMEND, NOTE, ASSIGN_ME = "recommend", "note", "assign_me"


class ReviewLogInline(ReadOnlyTabularInline):
    model = ReviewLogEntry
    fields = ("when", "action", "who", "note")
    readonly_fields = fields
    show_change_link = False
    verbose_name_plural = "review log (every step, oldest first; never edited)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    def has_view_permission(self, request, obj=None):
        # Part of the registration's record: whoever may see the registration sees its log.
        return request.user.has_perm("companies.view_interestregistration")

    @admin.display(description="when")
    def when(self, entry):
        return date_format(timezone.localtime(entry.created), "DATETIME_FORMAT")

    @admin.display(description="who")
    def who(self, entry):
        return entry.user.get_username() if entry.user else "a deleted user"


class AssignedToFilter(admin.SimpleListFilter):
    title = "assigned to"
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return (("me", "Me"), ("nobody", "Nobody"))

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assigned_to=request.user)
        if self.value() == "nobody":
            return queryset.filter(assigned_to__isnull=True)
        return queryset


@admin.register(InterestRegistration)
class InterestRegistrationAdmin(
    ServiceErrorsAsMessagesMixin, ReadableHistoryMixin, SimpleHistoryAdmin
):
    form = RegistrationAdminForm
    list_display = (
        "reference",
        "company",
        "status",
        "days_waiting",
        "assigned_to",
        "planned_investment",
        "created",
    )
    list_filter = ("status", AssignedToFilter, "channel", "zones", "created")
    list_select_related = ("company", "assigned_to")
    search_fields = ("reference", "company__name", "contact__name", "contact__email")
    # No date_hierarchy: a SELECT DISTINCT over every registration on each page view; the
    # `created` list filter offers the same ranges.
    ordering = ("-created",)
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    autocomplete_fields = ("company", "contact", "zones")
    readonly_fields = (
        "reference",
        "status",
        "channel",
        "submitted_by",
        "assigned_to",
        "recommended_by",
        "recommended_at",
        "reviewer",
        "reviewed_at",
        "submitted_company_name",
        "submitted_contact_name",
        "submitted_contact_phone",
        "consented_at",
        "contact_data_purged_at",
        "email_language",
        "created",
        "updated",
    )
    fieldsets = (
        (None, {"fields": ("reference", "company", "contact", "zones")}),
        (
            "As submitted (unverified; never copied onto the company or contact)",
            {
                "fields": (
                    "submitted_company_name",
                    ("submitted_contact_name", "submitted_contact_phone"),
                )
            },
        ),
        ("Plans", {"fields": ("planned_investment_usd", "planned_jobs", "target_date", "message")}),
        (
            "Status",
            {
                "fields": (
                    ("status", "channel", "email_language"),
                    ("submitted_by", "assigned_to"),
                    ("recommended_by", "recommended_at"),
                    ("reviewer", "reviewed_at"),
                    ("consented_at", "contact_data_purged_at"),
                    ("created", "updated"),
                )
            },
        ),
    )
    inlines = (ReviewLogInline, NotificationInline)
    actions = (
        "assign_to_me",
        "mark_under_review",
        "request_information",
        "recommend",
        "accept",
        "decline",
    )
    change_form_template = "admin/companies/interestregistration/change_form.html"

    @admin.display(description="emails written in")
    def email_language(self, registration):
        """The language the company's emails go out in (the form's; English from other channels)."""
        code = registration.language or settings.LANGUAGE_CODE
        try:
            return translation.get_language_info(code)["name"]
        except KeyError:
            return code

    def get_inlines(self, request, obj):
        # A registration being entered has no review yet.
        return self.inlines if obj else ()

    @admin.display(description="planned investment", ordering="planned_investment_usd")
    def planned_investment(self, registration):
        return usd(registration.planned_investment_usd)

    @admin.display(description="waiting", ordering="created")
    def days_waiting(self, registration):
        """Days since it was received, while it waits for the authority; red past the SLA."""
        if registration.status not in AWAITING_REVIEW:
            return "—"
        days = (timezone.now() - registration.created).days
        late = days > settings.REVIEW_SLA_DAYS
        return format_html(
            '<span class="registry-age{}" title="{}">{} day{}</span>',
            " registry-age-late" if late else "",
            f"Service level: {settings.REVIEW_SLA_DAYS} days" + (" — overdue" if late else ""),
            days,
            "" if days == 1 else "s",
        )

    def has_review_permission(self, request):
        return request.user.has_perm(REVIEW_PERMISSION)

    # --- entering a registration on a company's behalf -----------------------------------

    def save_model(self, request, obj, form, change):
        if change:
            current = InterestRegistration.objects.get(pk=obj.pk)
            for field in SERVICE_OWNED_FIELDS:
                setattr(obj, field, getattr(current, field))
            super().save_model(request, obj, form, change)
            return
        # The same service as the public form, the API and the importer (companies.rules);
        # submitted_by is the maker of maker-checker.
        data = form.cleaned_data
        registration = registration_submit(
            channel=RegistrationChannel.STAFF,
            company=data["company"],
            contact=data.get("contact"),
            zones=data["zones"],
            planned_investment_usd=data.get("planned_investment_usd"),
            planned_jobs=data.get("planned_jobs"),
            target_date=data.get("target_date"),
            message=data.get("message") or "",
            submitted_by=request.user,
        )
        obj.pk = registration.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        # A new registration's zones were set by registration_submit().
        if change:
            super().save_related(request, form, formsets, change)

    # --- review ----------------------------------------------------------------------------

    def review(self, request, registrations, step, note=""):
        """Apply one review step to each registration; report what moved and what was refused.

        Each registration goes through the service on its own, so one that cannot take the
        step leaves the others moving.
        """
        moved = []
        for registration in registrations:
            try:
                if step == RECOMMEND:
                    registration_recommend(registration=registration, user=request.user, note=note)
                elif step == ASSIGN_ME:
                    registration_assign(
                        registration=registration,
                        officer=request.user,
                        user=request.user,
                        note=note,
                    )
                elif step == NOTE:
                    registration_add_note(registration=registration, user=request.user, note=note)
                else:
                    registration_transition(
                        registration=registration, status=step, user=request.user, note=note
                    )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                moved.append(registration.reference)
        if moved:
            messages.success(request, f"{STEP_LABELS[step]}: {', '.join(moved)}.")

    def review_selected(self, request, queryset, step):
        """An action with a confirmation page that asks for the note to record."""
        if request.POST.get("confirm_review"):
            form = ReviewNoteForm(request.POST)
            if form.is_valid():
                self.review(request, queryset, step, form.cleaned_data["note"])
                return None
        else:
            form = ReviewNoteForm()
        context = {
            **self.admin_site.each_context(request),
            "title": f"{STEP_LABELS[step]}: confirm",
            "opts": self.opts,
            "registrations": queryset.select_related("company", "submitted_by"),
            "status_label": STEP_LABELS[step],
            "form": form,
            "action": request.POST.get("action"),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "select_across": request.POST.get("select_across", "0"),
            "maker_checker": step == RegistrationStatus.ACCEPTED,
        }
        return TemplateResponse(
            request, "admin/companies/interestregistration/review_selected.html", context
        )

    @admin.action(description="Assign selected to me", permissions=("review",))
    def assign_to_me(self, request, queryset):
        self.review(request, queryset, ASSIGN_ME)

    @admin.action(description="Move selected to “Under review”", permissions=("review",))
    def mark_under_review(self, request, queryset):
        return self.review_selected(request, queryset, RegistrationStatus.UNDER_REVIEW)

    @admin.action(description="Request information for selected", permissions=("review",))
    def request_information(self, request, queryset):
        return self.review_selected(request, queryset, RegistrationStatus.INFORMATION_REQUESTED)

    @admin.action(description="Recommend selected for acceptance", permissions=("review",))
    def recommend(self, request, queryset):
        return self.review_selected(request, queryset, RECOMMEND)

    @admin.action(
        description="Accept selected (recommended by someone else)", permissions=("review",)
    )
    def accept(self, request, queryset):
        return self.review_selected(request, queryset, RegistrationStatus.ACCEPTED)

    @admin.action(description="Decline selected", permissions=("review",))
    def decline(self, request, queryset):
        return self.review_selected(request, queryset, RegistrationStatus.DECLINED)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/review/",
                self.admin_site.admin_view(self.review_view),
                name="{}_{}_review".format(*info),
            ),
            *super().get_urls(),
        ]

    def review_view(self, request, object_id):
        """The change page's review buttons: one step, with its note, for one registration."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_review_permission(request):
            raise PermissionDenied
        registration = get_object_or_404(self.get_queryset(request), pk=unquote(object_id))
        step = request.POST.get("status")
        form = ReviewNoteForm(request.POST)
        if step not in STEP_LABELS:
            messages.error(request, f"“{step}” is not a review step.")
        elif not form.is_valid():
            messages.error(request, " ".join(form.errors["note"]))
        else:
            self.review(request, [registration], step, form.cleaned_data["note"])
        return HttpResponseRedirect(
            reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=(registration.pk,),
                current_app=self.admin_site.name,
            )
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        registration = self.get_object(request, unquote(object_id))
        if registration is not None and self.has_review_permission(request):
            allowed = REGISTRATION_STATUS_TRANSITIONS[RegistrationStatus(registration.status)]
            steps = [(step.value, STEP_LABELS[step]) for step in REVIEW_STEPS if step in allowed]
            if (
                registration.status == RegistrationStatus.UNDER_REVIEW
                and registration.recommended_by_id is None
            ):
                steps.insert(0, (RECOMMEND, STEP_LABELS[RECOMMEND]))
            extra_context["review_steps"] = steps
            extra_context["review_form"] = ReviewNoteForm()
            extra_context["review_url"] = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_review",
                args=(registration.pk,),
                current_app=self.admin_site.name,
            )
            extra_context["entered_by_me"] = registration.submitted_by_id == request.user.pk
            extra_context["recommended_by_me"] = registration.recommended_by_id == request.user.pk
            extra_context["assigned_to_me"] = registration.assigned_to_id == request.user.pk
        return super().change_view(request, object_id, form_url, extra_context)


STEP_LABELS = {
    RegistrationStatus.UNDER_REVIEW: "Move to under review",
    RegistrationStatus.INFORMATION_REQUESTED: "Request information",
    RegistrationStatus.ACCEPTED: "Accept",
    RegistrationStatus.DECLINED: "Decline",
    RECOMMEND: "Recommend for acceptance",
    NOTE: "Add note",
    ASSIGN_ME: "Assign to me",
}
