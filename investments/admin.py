import re

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction

from core.admin import HistoryImportExportAdmin, ReadOnlyTabularInline, ServiceErrorsAsMessagesMixin
from core.paginators import EstimatedCountPaginator
from programme.reports import target_progress

from .choices import PledgeStatus
from .models import CURRENCY_CODE_REGEX, Disbursement, ExchangeRate, Pledge, Target
from .resources import IMPORTED_FIELDS, PledgeResource
from .services import (
    ExchangeRateMissing,
    disbursement_record,
    pledge_delete,
    pledge_record,
    pledge_update,
    usd_amount,
)


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ("currency", "date", "rate_to_usd", "source")
    list_filter = ("currency",)
    search_fields = ("currency", "source")
    date_hierarchy = "date"
    ordering = ("currency", "-date")


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("name", "metric", "target_value", "baseline_value", "start_date", "due_date")
    list_filter = ("metric",)
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("progress",)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    "slug",
                    "metric",
                    "target_value",
                    "baseline_value",
                    "reported_value",
                    "start_date",
                    "due_date",
                    "description",
                    "progress",
                )
            },
        ),
        (
            "Urdu (public site)",
            {
                "fields": ("name_ur",),
                "description": "Shown to readers of the Urdu home page; left empty, they see "
                "the English.",
            },
        ),
    )

    @admin.display(description="progress so far")
    def progress(self, target):
        # One report function per figure: the dashboard and the API show the same number.
        if target is None or target.pk is None:
            return "—"
        progress = target_progress(target)
        if progress.current_value is None:
            return "No reported value yet."
        current, share = progress.current_value, progress.percent_reached
        return f"{current:,} of {target.target_value:,} ({share} %)"


class PledgeAdminForm(forms.ModelForm):
    """Checks that the pledge can be converted to USD before anything is saved."""

    class Meta:
        model = Pledge
        fields = IMPORTED_FIELDS

    def clean_currency(self):
        currency = self.cleaned_data["currency"].strip().upper()
        if not re.fullmatch(CURRENCY_CODE_REGEX, currency):
            raise ValidationError(
                "Use a three-letter ISO 4217 code, such as USD or PKR.", code="invalid_currency"
            )
        return currency

    def clean(self):
        cleaned = super().clean()
        amount, currency, pledged_on = (
            cleaned.get("amount"),
            cleaned.get("currency"),
            cleaned.get("pledged_on"),
        )
        if amount and currency and pledged_on:
            try:
                self.amount_usd = usd_amount(amount=amount, currency=currency, on_date=pledged_on)
            except ExchangeRateMissing as exc:
                self.add_error("currency", exc)
        return cleaned


class DisbursementInline(ReadOnlyTabularInline):
    model = Disbursement
    fields = ("disbursed_on", "amount", "amount_usd", "note", "created")
    readonly_fields = fields
    show_change_link = False
    verbose_name_plural = "disbursements recorded"


class NewDisbursementFormSet(forms.BaseInlineFormSet):
    """Checks the new tranches against what the pledge has left, before the service runs."""

    def clean(self):
        super().clean()
        pledge = self.instance
        new_forms = [form for form in self.forms if form.has_changed() and form.is_valid()]
        if not new_forms:
            return
        if pledge.status == PledgeStatus.CANCELLED:
            raise ValidationError("This pledge is cancelled: no disbursement can be recorded.")
        remaining = pledge.amount - pledge.realized_amount
        for form in new_forms:
            amount = form.cleaned_data.get("amount")
            disbursed_on = form.cleaned_data.get("disbursed_on")
            if amount is None or disbursed_on is None:
                continue
            if amount > remaining:
                form.add_error(
                    "amount",
                    f"Only {remaining:,} {pledge.currency} of this pledge remains to be realised.",
                )
                continue
            remaining -= amount
            try:
                usd_amount(amount=amount, currency=pledge.currency, on_date=disbursed_on)
            except ExchangeRateMissing as exc:
                form.add_error("disbursed_on", exc)


class NewDisbursementInline(admin.TabularInline):
    """Add-only: a recorded tranche is never edited, since the pledge keeps running totals."""

    model = Disbursement
    formset = NewDisbursementFormSet
    fields = ("disbursed_on", "amount", "note")
    extra = 1
    can_delete = False
    verbose_name_plural = "record a disbursement"

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_change_permission(self, request, obj=None):
        return False


class CurrencyListFilter(admin.SimpleListFilter):
    """Filter pledges by currency, offering the currencies that have rates, plus USD.

    A pledge can only be recorded in a currency with a rate, so these are all there can be;
    Django's own field filter would find them with a SELECT DISTINCT over every pledge.
    """

    title = "currency"
    parameter_name = "currency"

    def lookups(self, request, model_admin):
        codes = set(ExchangeRate.objects.values_list("currency", flat=True).distinct()) | {"USD"}
        return [(code, code) for code in sorted(codes)]

    def queryset(self, request, queryset):
        return queryset.filter(currency=self.value()) if self.value() else queryset


@admin.register(Pledge)
class PledgeAdmin(ServiceErrorsAsMessagesMixin, HistoryImportExportAdmin):
    form = PledgeAdminForm
    resource_classes = (PledgeResource,)
    list_display = (
        "__str__",
        "company",
        "zone",
        "amount",
        "currency",
        "amount_usd",
        "realized_usd",
        "status",
        "pledged_on",
    )
    list_display_links = ("__str__",)
    list_filter = ("status", CurrencyListFilter, "zone", "pledged_on")
    list_select_related = ("company", "zone")
    search_fields = ("company__name", "zone__name", "zone__slug", "description")
    # No date_hierarchy: its year links are a SELECT DISTINCT over every pledge on each page
    # view (264 ms at a million pledges); the pledged_on list filter covers the same need.
    ordering = ("-pledged_on", "-id")
    # One count a page, not a second one of the whole table, and an estimate for that count
    # when the unfiltered table is huge (docs/scale.md).
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    autocomplete_fields = ("company", "zone", "registration")
    readonly_fields = ("amount_usd", "realized_amount", "realized_usd", "created", "updated")
    fieldsets = (
        (None, {"fields": ("company", "zone", "registration", "status", "description")}),
        (
            "Money",
            {
                "fields": (
                    ("amount", "currency", "pledged_on"),
                    "amount_usd",
                    ("realized_amount", "realized_usd"),
                ),
                "description": "The USD amount is converted at the pledge date's rate on save; "
                "realised totals add up the disbursements below.",
            },
        ),
        ("Record", {"fields": (("created", "updated"),)}),
    )

    def get_inlines(self, request, obj):
        # Tranches are recorded against a saved pledge, whose remaining amount is known.
        return (DisbursementInline, NewDisbursementInline) if obj else ()

    def save_model(self, request, obj, form, change):
        values = {field: getattr(obj, field) for field in IMPORTED_FIELDS}
        if change:
            saved = pledge_update(pledge=obj, **values)
        else:
            saved = pledge_record(**values)
            obj.pk = saved.pk
        # The admin goes on to log and redirect with `obj`; give it what the service saved.
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        pledge_delete(pledge=obj)

    def delete_queryset(self, request, queryset):
        # Each under its row lock, as for one pledge (pledge_delete() says why).
        with transaction.atomic():
            for pledge in queryset.order_by("pk"):
                pledge_delete(pledge=pledge)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Disbursement:
            return super().save_formset(request, form, formset, change)
        # disbursement_record() keeps the pledge's realised totals; formset.save() would not.
        formset.new_objects = [
            disbursement_record(
                pledge=form.instance,
                amount=tranche.cleaned_data["amount"],
                disbursed_on=tranche.cleaned_data["disbursed_on"],
                note=tranche.cleaned_data.get("note", ""),
            )
            for tranche in formset.forms
            if tranche.has_changed() and tranche.cleaned_data
        ]
        formset.changed_objects, formset.deleted_objects = [], []
        form.instance.refresh_from_db()
        return None
