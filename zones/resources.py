"""Import/export column layouts for developers and zones (django-import-export).

The same resources serve the admin's Import/Export buttons and `manage.py import_records`,
so a file behaves the same whichever way it arrives. Rules the resources keep:

* every bad cell becomes a row error with a reason a person can act on (never a traceback);
* a key that appears twice in one file is refused, naming the earlier row;
* zone status goes through `zones.services.zone_change_status`, so status and history agree.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from import_export import fields, widgets

from core.resources import LookupManyWidget, LookupWidget, RegistryResource
from investments.selectors import zones_with_pledge_totals

from .choices import ZoneStatus
from .models import Incentive, Sector, Zone, ZoneDeveloper
from .services import zone_change_status


class Meta:
    abstract = True


class SectorResource(RegistryResource):
    """Sectors by name (the key people use); the slug is only read for a new sector."""

    duplicate_key_column = "name"

    class Meta:
        model = Sector
        import_id_fields = ("name",)
        fields = ("name", "slug")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def import_instance(self, instance, row, **kwargs):
        # Zones and partners filter by slug, so an existing sector keeps the slug it has.
        slug = instance.slug if instance.pk else None
        super().import_instance(instance, row, **kwargs)
        if slug:
            instance.slug = slug


class ZoneDeveloperResource(RegistryResource):
    duplicate_key_column = "slug"

    class Meta:
        model = ZoneDeveloper
        import_id_fields = ("slug",)
        fields = (
            "slug",
            "name",
            "legal_name",
            "registration_number",
            "country",
            "website",
            "licence_number",
            "licence_issued_on",
            "licence_expires_on",
            "description",
        )
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True


class ZoneResource(RegistryResource):
    """Zones by slug. `status` (with `status_changed_on`) records a rollout step when it changes."""

    duplicate_key_column = "slug"
    export_only = ("pledged_usd", "realized_usd")

    developer = fields.Field(
        attribute="developer",
        column_name="developer",
        widget=LookupWidget(
            ZoneDeveloper,
            "slug",
            noun="developer",
            hint=" Import the developer first (Zones › Zone developers).",
        ),
    )
    # Status is owned by zone_change_status(); the field only exports it, and
    # after_save_instance() turns the imported value into a recorded step.
    status = fields.Field(attribute="status", column_name="status", readonly=True)
    status_changed_on = fields.Field(
        column_name="status_changed_on", widget=widgets.DateWidget(), readonly=True
    )
    sectors = fields.Field(
        attribute="sectors",
        column_name="sectors",
        widget=LookupManyWidget(Sector, "slug", noun="sector slug(s)"),
    )
    incentives = fields.Field(
        attribute="incentives",
        column_name="incentives",
        widget=LookupManyWidget(Incentive, "slug", noun="incentive slug(s)"),
    )
    pledged_usd = fields.Field(attribute="pledged_usd", column_name="pledged_usd", readonly=True)
    realized_usd = fields.Field(attribute="realized_usd", column_name="realized_usd", readonly=True)

    class Meta:
        model = Zone
        import_id_fields = ("slug",)
        fields = (
            "slug",
            "name",
            "developer",
            "city",
            "province",
            "country",
            "latitude",
            "longitude",
            "area_hectares",
            "status",
            "status_changed_on",
            "target_opening_date",
            "actual_opening_date",
            "sectors",
            "incentives",
            "description",
            "pledged_usd",
            "realized_usd",
        )
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return zones_with_pledge_totals(Zone.objects.select_related("developer"))

    def dehydrate_developer(self, zone):
        return zone.developer.slug if zone.developer_id else ""

    def dehydrate_status_changed_on(self, zone):
        return ""

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        status = (row.get("status") or "").strip()
        if status and status not in ZoneStatus.values:
            errors.setdefault("status", []).append(
                ValidationError(
                    f"Unknown status “{status}”; use one of {', '.join(ZoneStatus.values)}.",
                    code="invalid_choice",
                )
            )
        try:
            self._status_date(row)
        except ValueError as exc:
            errors.setdefault("status_changed_on", []).append(ValidationError(str(exc)))
        if errors:
            raise ValidationError(errors)

    def _status_date(self, row) -> datetime.date:
        value = row.get("status_changed_on")
        if value in (None, ""):
            return timezone.localdate()
        return self.fields["status_changed_on"].widget.clean(value)

    def pending_status(self, instance, row):
        """The status step this row asks for, or None when the zone already stands there."""
        status = (row.get("status") or "").strip()
        has_history = instance.pk is not None and instance.status_changes.exists()
        if not has_history:
            # A new zone (or one without history) gets its first step, by default "proposed".
            return status or instance.status
        if status and status != instance.status:
            return status
        return None

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if self.pending_status(instance, row):
            return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        status = self.pending_status(instance, row)
        if status is None:
            return
        # The service checks the transition and the date order; its ValidationError
        # becomes this row's error, and the failed file rolls back whole.
        zone_change_status(
            zone=instance,
            status=status,
            changed_on=self._status_date(row),
            note=f"Imported from {kwargs.get('file_name') or 'a file'}.",
            user=kwargs.get("user"),
            # A file that states the opening date (or, with a blank cell, that it is
            # unknown) knows better than the import's own date.
            set_opening_date="actual_opening_date" not in row,
        )
