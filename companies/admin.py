from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django_countries.filters import CountryFilter
from simple_history.admin import SimpleHistoryAdmin

from core.admin import (
    HistoryImportExportAdmin,
    PledgeTotalsColumnsMixin,
    ReadOnlyTabularInline,
    ServiceErrorsAsMessagesMixin,
)
from core.paginators import EstimatedCountPaginator
from investments.models import Pledge
from investments.selectors import companies_with_pledge_totals
from notifications.admin import NotificationInline

from .choices import (
    REGISTRATION_STATUS_TRANSITIONS,
    REVIEW_STEPS,
    RegistrationChannel,
    RegistrationStatus,
)
from .models import Company, Contact, InterestRegistration
from .resources import CompanyResource
from .services import registration_check, registration_submit, registration_transition

# Created by programme/migrations/0001_roles.py and given to the Reviewer group.
REVIEW_PERMISSION = "companies.review_interestregistration"

# Fields that only registration_transition() and the channel that created a registration write;
# a reverted old version must not rewrite them.
SERVICE_OWNED_FIELDS = (
    "status",
    "channel",
    "submitted_by",
    "reviewer",
    "reviewed_at",
    "review_note",
    "submitted_company_name",
    "submitted_contact_name",
    "submitted_contact_phone",
)


class ContactInline(admin.TabularInline):
    model = Contact
    fields = ("name", "email", "phone", "role")
    extra = 0


class CompanyRegistrationInline(ReadOnlyTabularInline):
    model = InterestRegistration
    fields = ("reference", "status", "channel", "planned_investment_usd", "created")
    readonly_fields = fields
    verbose_name_plural = "interest registrations"


class CompanyPledgeInline(ReadOnlyTabularInline):
    model = Pledge
    fields = ("zone", "amount", "currency", "amount_usd", "realized_usd", "status", "pledged_on")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("zone", "company")


@admin.register(Company)
class CompanyAdmin(PledgeTotalsColumnsMixin, HistoryImportExportAdmin):
    resource_classes = (CompanyResource,)
    list_display = (
        "name",
        "origin",
        "country_name",
        "sector",
        "size",
        "pledged_usd",
        "realized_usd",
        "pledge_count",
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
    inlines = (ContactInline, CompanyRegistrationInline, CompanyPledgeInline)
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
        return companies_with_pledge_totals(super().get_queryset(request))

    @admin.display(description="registrations", ordering="registration_count")
    def registration_count(self, company):
        return company.registration_count


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
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Kept with the registration as the reason for this step.",
    )


@admin.register(InterestRegistration)
class InterestRegistrationAdmin(ServiceErrorsAsMessagesMixin, SimpleHistoryAdmin):
    form = RegistrationAdminForm
    list_display = (
        "reference",
        "company",
        "status",
        "channel",
        "zone_names",
        "planned_investment_usd",
        "planned_jobs",
        "created",
        "reviewer",
    )
    list_filter = ("status", "channel", "zones", "created")
    list_select_related = ("company", "reviewer")
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
        "reviewer",
        "reviewed_at",
        "review_note",
        "submitted_company_name",
        "submitted_contact_name",
        "submitted_contact_phone",
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
            "Review",
            {
                "fields": (
                    ("status", "channel"),
                    ("submitted_by", "reviewer", "reviewed_at"),
                    "review_note",
                    ("created", "updated"),
                )
            },
        ),
    )
    inlines = (NotificationInline,)
    actions = ("mark_under_review", "accept", "decline")
    change_form_template = "admin/companies/interestregistration/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("zones")

    @admin.display(description="zones")
    def zone_names(self, registration):
        return ", ".join(zone.name for zone in registration.zones.all())

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

    def review(self, request, registrations, status, note=""):
        """Apply one review step to each registration; report what moved and what was refused."""
        moved = []
        for registration in registrations:
            try:
                registration_transition(
                    registration=registration, status=status, user=request.user, note=note
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                moved.append(registration.reference)
        if moved:
            messages.success(
                request,
                f"{RegistrationStatus(status).label}: {', '.join(moved)}.",
            )

    def review_selected(self, request, queryset, status):
        """An action with a confirmation page that asks for the note to record."""
        if request.POST.get("confirm_review"):
            form = ReviewNoteForm(request.POST)
            if form.is_valid():
                self.review(request, queryset, status, form.cleaned_data["note"])
                return None
        else:
            form = ReviewNoteForm()
        context = {
            **self.admin_site.each_context(request),
            "title": f"{RegistrationStatus(status).label}: confirm",
            "opts": self.opts,
            "registrations": queryset.select_related("company", "submitted_by"),
            "status_label": RegistrationStatus(status).label,
            "form": form,
            "action": request.POST.get("action"),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "select_across": request.POST.get("select_across", "0"),
            "maker_checker": status == RegistrationStatus.ACCEPTED,
        }
        return TemplateResponse(
            request, "admin/companies/interestregistration/review_selected.html", context
        )

    @admin.action(description="Move selected to “Under review”", permissions=("review",))
    def mark_under_review(self, request, queryset):
        return self.review_selected(request, queryset, RegistrationStatus.UNDER_REVIEW)

    @admin.action(description="Accept selected", permissions=("review",))
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
        status = request.POST.get("status")
        form = ReviewNoteForm(request.POST)
        if status not in REVIEW_STEPS:
            messages.error(request, f"“{status}” is not a review step.")
        elif form.is_valid():
            self.review(request, [registration], status, form.cleaned_data["note"])
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
            extra_context["review_steps"] = [
                (step.value, step.label) for step in REVIEW_STEPS if step in allowed
            ]
            extra_context["review_form"] = ReviewNoteForm()
            extra_context["review_url"] = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_review",
                args=(registration.pk,),
                current_app=self.admin_site.name,
            )
            extra_context["entered_by_me"] = registration.submitted_by_id == request.user.pk
        return super().change_view(request, object_id, form_url, extra_context)
