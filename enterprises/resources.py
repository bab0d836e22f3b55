"""Import/export of plots and annual returns (django-import-export).

Plots are keyed by zone slug and plot number; a file sets what a plot is (kind, area, note),
never who holds it: allocation is a workflow step (enterprises.services). Annual returns are
staff filing paper returns in bulk: each row goes through `return_file`, so a file obeys every
rule a person at the admin does, and a refused row is reported with its reason.
"""

from django.core.exceptions import ValidationError
from import_export import fields, widgets

from core.resources import LookupWidget, RegistryResource
from zones.models import Zone

from .models import AnnualReturn, Enterprise, Plot
from .services import return_file

ZONE_WIDGET = LookupWidget(Zone, "slug", noun="zone", hint=" Use the zone's slug.")


class NaturalKeyResource(RegistryResource):
    """Rows identified by natural keys (a zone slug, a licence number) that may not exist."""

    def get_instance(self, instance_loader, row):
        # An unknown key is the row's error, reported by import_instance() with the others,
        # not an exception that would hide every other row's problems.
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            return None


class PlotResource(NaturalKeyResource):
    zone = fields.Field(attribute="zone", column_name="zone", widget=ZONE_WIDGET)
    status = fields.Field(attribute="status", column_name="status", readonly=True)
    holder = fields.Field(column_name="holder_licence_number", readonly=True)

    class Meta:
        model = Plot
        import_id_fields = ("zone", "number")
        fields = ("zone", "number", "kind", "area_m2", "status", "holder", "note")
        export_order = fields
        clean_model_instances = True

    def get_queryset(self):
        return Plot.objects.select_related("zone", "enterprise")

    def dehydrate_zone(self, plot):
        return plot.zone.slug

    def dehydrate_holder(self, plot):
        return plot.enterprise.licence_number if plot.enterprise else ""

    def duplicate_key(self, row):
        zone, number = row.get("zone"), row.get("number")
        if zone in (None, "") or number in (None, ""):
            return None
        return f"{str(zone).strip().lower()}/{str(number).strip().lower()}"

    duplicate_key_column = "number"


class EnterpriseByLicenceWidget(LookupWidget):
    def __init__(self):
        super().__init__(
            Enterprise,
            "licence_number",
            noun="licence number",
            hint=" Returns are filed for issued licences (Operating zone › Enterprises).",
        )


FIGURES = (
    "employees_total",
    "employees_women",
    "employees_foreign",
    "exports_usd",
    "domestic_sales",
    "investment",
)


class AnnualReturnResource(NaturalKeyResource):
    """One row per enterprise and fiscal year, filed as a paper return entered by staff."""

    enterprise = fields.Field(
        attribute="enterprise", column_name="licence_number", widget=EnterpriseByLicenceWidget()
    )
    submitted_on = fields.Field(
        attribute="submitted_on", column_name="submitted_on", widget=widgets.DateWidget()
    )
    due_on = fields.Field(attribute="due_on", column_name="due_on", readonly=True)
    status = fields.Field(attribute="status", column_name="status", readonly=True)
    domestic_sales_usd = fields.Field(
        attribute="domestic_sales_usd", column_name="domestic_sales_usd", readonly=True
    )
    investment_usd = fields.Field(
        attribute="investment_usd", column_name="investment_usd", readonly=True
    )

    class Meta:
        model = AnnualReturn
        import_id_fields = ("enterprise", "fiscal_year")
        fields = (
            "enterprise",
            "fiscal_year",
            *FIGURES,
            "currency",
            "submitted_on",
            "due_on",
            "status",
            "domestic_sales_usd",
            "investment_usd",
        )
        export_order = fields
        # Validation is the service's (it needs the due date and conversion it computes).
        clean_model_instances = False

    def get_queryset(self):
        return AnnualReturn.objects.select_related("enterprise")

    def dehydrate_enterprise(self, annual_return):
        return annual_return.enterprise.licence_number

    def duplicate_key(self, row):
        licence, year = row.get("licence_number"), row.get("fiscal_year")
        if licence in (None, "") or year in (None, ""):
            return None
        return f"{str(licence).strip().lower()}/{str(year).strip()}"

    duplicate_key_column = "fiscal_year"

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for field in (*FIGURES, "submitted_on"):
            if field not in errors and getattr(instance, field) in (None, ""):
                errors[field] = [ValidationError("Required for a filed return.", code="required")]
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        self._user = kwargs.get("user")
        super().save_instance(instance, is_create, row, **kwargs)

    def do_instance_save(self, instance, is_create):
        saved = return_file(
            enterprise=instance.enterprise,
            fiscal_year=instance.fiscal_year,
            **{field: getattr(instance, field) for field in FIGURES},
            currency=instance.currency or "USD",
            submitted_on=instance.submitted_on,
            user=getattr(self, "_user", None),
            filed_by_staff=True,
        )
        instance.pk = saved.pk
        for field in ("due_on", "status", "domestic_sales_usd", "investment_usd"):
            setattr(instance, field, getattr(saved, field))
