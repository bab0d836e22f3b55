from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget
from django.utils import timezone
from django_countries.filters import CountryFilter

from core.admin import (
    HistoryImportExportAdmin,
    PledgeAmountColumnsMixin,
    PledgeTotalsColumnsMixin,
    ReadOnlyTabularInline,
    ServiceErrorsAsMessagesMixin,
)
from core.query import subquery_count
from investments.models import Pledge
from investments.selectors import zones_with_pledge_totals
from programme.foreign_formats import ZoneImportResource

from .choices import ZONE_STATUS_TRANSITIONS, ZoneStatus
from .models import Incentive, Sector, Zone, ZoneDeveloper, ZoneStatusChange
from .resources import ZoneDeveloperResource, ZoneResource
from .services import zone_change_status


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Incentive)
class IncentiveAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "duration_years")
    list_filter = ("kind",)
    search_fields = ("name", "slug", "description", "name_ur")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "duration_years", "description")}),
        (
            "Urdu (public site)",
            {
                "fields": ("name_ur", "description_ur"),
                "description": "Shown to readers of the Urdu site; left empty, they see "
                "the English.",
            },
        ),
    )


@admin.register(ZoneDeveloper)
class ZoneDeveloperAdmin(HistoryImportExportAdmin):
    resource_classes = (ZoneDeveloperResource,)
    list_display = ("name", "country", "licence_number", "licence_expires_on", "zone_count")
    list_filter = (("country", CountryFilter),)
    search_fields = ("name", "legal_name", "slug", "registration_number", "licence_number")
    prepopulated_fields = {"slug": ("name",)}
    date_hierarchy = "licence_expires_on"

    def get_queryset(self, request):
        # The zone count comes from one correlated subquery per page, not one query per row.
        return (
            super()
            .get_queryset(request)
            .annotate(zone_count=subquery_count(Zone.objects.all(), outer_field="developer"))
        )

    @admin.display(description="zones", ordering="zone_count")
    def zone_count(self, developer):
        return developer.zone_count


class ZoneAdminForm(forms.ModelForm):
    """The zone's fields plus one rollout step, which zone_change_status() records on save."""

    new_status = forms.ChoiceField(
        label="Change status to",
        required=False,
        help_text="Recorded in the status history with the date and note below.",
    )
    status_changed_on = forms.DateField(
        label="Status date", required=False, initial=timezone.localdate, widget=AdminDateWidget
    )
    status_note = forms.CharField(
        label="Status note", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta:
        model = Zone
        fields = (
            "name",
            "slug",
            "developer",
            "description",
            "city",
            "province",
            "country",
            "latitude",
            "longitude",
            "area_hectares",
            "target_opening_date",
            "actual_opening_date",
            "sectors",
            "incentives",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["new_status"]
        self.latest_step = None
        if self.instance.pk:
            self.latest_step = self.instance.status_changes.order_by("-changed_on", "-id").first()
        if self.latest_step is None:
            # A new zone, or one without history, may start at any stage of its rollout.
            field.label = "Status"
            field.choices = ZoneStatus.choices
            field.required = True
            field.initial = self.instance.status or ZoneStatus.PROPOSED
            self.fields["status_changed_on"].required = True
        else:
            # Offer only the steps the rollout allows from where the zone stands.
            current = ZoneStatus(self.instance.status)
            allowed = ZONE_STATUS_TRANSITIONS[current]
            field.choices = [("", f"— keep “{current.label}” —")] + [
                (status.value, status.label) for status in ZoneStatus if status in allowed
            ]

    def clean(self):
        cleaned = super().clean()
        new_status = cleaned.get("new_status")
        changed_on = cleaned.get("status_changed_on")
        if new_status and not changed_on and "status_changed_on" not in self.errors:
            self.add_error("status_changed_on", "Give the date of the status change.")
        if (
            new_status
            and changed_on
            and self.latest_step
            and changed_on < self.latest_step.changed_on
        ):
            self.add_error(
                "status_changed_on",
                f"The last recorded step is dated {self.latest_step.changed_on:%Y-%m-%d}; "
                f"a new step cannot be dated earlier.",
            )
        return cleaned


class ZoneStatusChangeInline(ReadOnlyTabularInline):
    model = ZoneStatusChange
    fields = ("status", "changed_on", "note", "changed_by")
    readonly_fields = fields
    show_change_link = False
    verbose_name_plural = "status history (add a step with “Change status to” above)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")


class ZonePledgeInline(PledgeAmountColumnsMixin, ReadOnlyTabularInline):
    model = Pledge
    fields = (
        "company",
        "amount_display",
        "amount_usd_display",
        "realized_usd_display",
        "status",
        "pledged_on",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("company", "zone")


@admin.register(Zone)
class ZoneAdmin(ServiceErrorsAsMessagesMixin, PledgeTotalsColumnsMixin, HistoryImportExportAdmin):
    form = ZoneAdminForm
    resource_classes = (ZoneResource,)

    def get_import_resource_classes(self, request):
        # The native columns, or the KEK list recognised by its headers.
        return (ZoneImportResource,)

    # Few enough columns that the money fits beside the filters at 1366 px; city and dates
    # are on the zone's page and in the filters.
    list_display = (
        "name",
        "developer",
        "province",
        "status",
        "opening",
        "pledged_usd",
        "realized_usd",
    )
    list_filter = ("status", "province", ("country", CountryFilter), "sectors", "developer")
    list_select_related = ("developer",)
    search_fields = ("name", "slug", "city", "province", "developer__name")
    date_hierarchy = "target_opening_date"
    ordering = ("name",)
    autocomplete_fields = ("developer", "sectors", "incentives")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = (
        "status",
        "pledged_usd",
        "realized_usd",
        "pledge_count",
        "created",
        "updated",
    )
    inlines = (ZoneStatusChangeInline, ZonePledgeInline)

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ("name", "slug", "developer", "description")}),
            (
                "Urdu (public site)",
                {
                    "fields": ("name_ur", "description_ur"),
                    "description": "Shown to readers of the Urdu site; left empty, they see "
                    "the English.",
                },
            ),
            (
                "Location",
                {
                    "fields": (
                        ("city", "province", "country"),
                        ("latitude", "longitude"),
                        "area_hectares",
                    )
                },
            ),
            (
                "Rollout",
                {
                    "fields": (["status"] if obj else [])
                    + [
                        "new_status",
                        "status_changed_on",
                        "status_note",
                        ("target_opening_date", "actual_opening_date"),
                    ]
                },
            ),
            ("Offer", {"fields": ("sectors", "incentives")}),
        ]
        if obj:
            fieldsets.append(
                (
                    "Investment (active pledges)",
                    {"fields": (("pledged_usd", "realized_usd", "pledge_count"),)},
                )
            )
            fieldsets.append(("Record", {"fields": (("created", "updated"),)}))
        return fieldsets

    @admin.display(description="opening", ordering="target_opening_date")
    def opening(self, zone):
        if zone.actual_opening_date:
            return f"{zone.actual_opening_date:%b %Y}"
        if zone.target_opening_date:
            return f"{zone.target_opening_date:%b %Y} (target)"
        return "—"

    def get_queryset(self, request):
        # Totals come from zones_with_pledge_totals(): one subquery per column for the
        # whole page, so the changelist costs the same whether it shows 3 rows or 100.
        return zones_with_pledge_totals(super().get_queryset(request))

    def save_model(self, request, obj, form, change):
        if change:
            # Status belongs to zone_change_status(); a reverted old version must not rewrite it.
            obj.status = Zone.objects.values_list("status", flat=True).get(pk=obj.pk)
        super().save_model(request, obj, form, change)
        new_status = form.cleaned_data.get("new_status")
        if new_status:
            zone_change_status(
                zone=obj,
                status=new_status,
                changed_on=form.cleaned_data["status_changed_on"],
                note=form.cleaned_data.get("status_note", ""),
                user=request.user,
            )
