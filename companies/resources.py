"""Import/export column layout for companies (django-import-export).

A company is matched by its normalised name (companies.normalize), the same key the public form
and the API use, so "Acme Ltd" in a file updates "ACME Limited" instead of adding a twin, and
two rows of one file that normalise alike are refused as duplicates. Contacts (personal data)
are never part of the file.
"""

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets

from core.query import by_slug_or_id
from core.resources import LookupWidget, RegistryResource
from investments.selectors import companies_with_pledge_totals
from zones.models import Sector, Zone

from . import rules
from .choices import RegistrationChannel
from .models import Company, InterestRegistration
from .normalize import normalize_company_name
from .services import registration_submit


class CompanyResource(RegistryResource):
    duplicate_key_column = "name"
    export_only = ("pledged_usd", "realized_usd", "pledge_count", "registration_count")

    sector = fields.Field(
        attribute="sector",
        column_name="sector",
        widget=LookupWidget(Sector, "name", noun="sector", hint=" Add it under Zones › Sectors."),
    )
    pledged_usd = fields.Field(attribute="pledged_usd", column_name="pledged_usd", readonly=True)
    realized_usd = fields.Field(attribute="realized_usd", column_name="realized_usd", readonly=True)
    pledge_count = fields.Field(attribute="pledge_count", column_name="pledge_count", readonly=True)
    registration_count = fields.Field(
        attribute="registration_count", column_name="registration_count", readonly=True
    )

    class Meta:
        model = Company
        import_id_fields = ("name",)
        fields = (
            "name",
            "origin",
            "country",
            "sector",
            "website",
            "size",
            "description",
            "pledged_usd",
            "realized_usd",
            "pledge_count",
            "registration_count",
        )
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return companies_with_pledge_totals(Company.objects.select_related("sector"))

    def get_instance(self, instance_loader, row):
        normalized = normalize_company_name(row.get("name") or "")
        if not normalized:
            return None
        return Company.objects.filter(normalized_name=normalized).first()

    def duplicate_key(self, row):
        return normalize_company_name(row.get("name") or "") or None

    def dehydrate_sector(self, company):
        return company.sector.name if company.sector_id else ""


class ZoneListWidget(widgets.Widget):
    """Zones by slug or id, comma-separated in one cell; the count is checked before look-up."""

    def clean(self, value, row=None, **kwargs):
        values = {item.strip() for item in str(value or "").split(",") if item.strip()}
        rules.check_zone_count(len(values))
        zones, unknown = by_slug_or_id(Zone.objects.all(), sorted(values))
        if unknown:
            raise ValueError(f"No zone with slug or id {', '.join(unknown)}.")
        return zones


class InterestRegistrationResource(resources.ModelResource):
    """Registrations from a file, one per row (channel `import`), each through the service.

    The resource only parses a row (the public form's columns); registration_submit decides
    what it may contain (companies.rules) and writes it, so a file gets the same answers as
    the form and the API, keyed by column. A file is all or nothing (import_records).
    """

    company_name = fields.Field(attribute="company_name", column_name="company_name")
    origin = fields.Field(attribute="origin", column_name="origin")
    country = fields.Field(attribute="country", column_name="country")
    sector = fields.Field(
        attribute="sector",
        column_name="sector",
        widget=LookupWidget(Sector, "name", noun="sector", hint=" Add it under Zones › Sectors."),
    )
    website = fields.Field(attribute="website", column_name="website")
    contact_name = fields.Field(attribute="contact_name", column_name="contact_name")
    contact_email = fields.Field(attribute="contact_email", column_name="contact_email")
    contact_phone = fields.Field(attribute="contact_phone", column_name="contact_phone")
    zones = fields.Field(attribute="zones", column_name="zones", widget=ZoneListWidget())
    planned_investment_usd = fields.Field(
        attribute="planned_investment_usd",
        column_name="planned_investment_usd",
        widget=widgets.DecimalWidget(),
    )
    planned_jobs = fields.Field(
        attribute="planned_jobs", column_name="planned_jobs", widget=widgets.IntegerWidget()
    )
    target_date = fields.Field(
        attribute="target_date", column_name="target_date", widget=widgets.DateWidget("%Y-%m-%d")
    )
    message = fields.Field(attribute="message", column_name="message")

    TEXT_FIELDS = (
        "company_name",
        "origin",
        "country",
        "website",
        "contact_name",
        "contact_email",
        "contact_phone",
        "message",
    )

    class Meta:
        model = InterestRegistration
        fields = (
            "company_name",
            "origin",
            "country",
            "sector",
            "website",
            "contact_name",
            "contact_email",
            "contact_phone",
            "zones",
            "planned_investment_usd",
            "planned_jobs",
            "target_date",
            "message",
        )
        skip_diff = True

    def get_instance(self, instance_loader, row):
        return None  # every row is a new registration

    def import_instance(self, instance, row, **kwargs):
        """Parse the row's columns into the service's arguments, collecting every bad column."""
        submission, errors = {}, {}
        for name in self._meta.fields:
            field = self.fields[name]
            if field.column_name not in row:
                continue
            try:
                value = field.clean(row, **kwargs)
            except ValidationError as error:
                errors.update(error.update_error_dict({}))
                continue
            except ValueError as error:
                errors[name] = [str(error)]
                continue
            if name in self.TEXT_FIELDS:
                value = "" if value is None else str(value).strip()
            if name == "country":
                value = value.upper()  # ISO codes, however the spreadsheet spelled them
            submission[name] = value
        if errors:
            raise ValidationError(errors)
        instance.submission = submission

    def save_instance(self, instance, is_create, row, **kwargs):
        registration = registration_submit(
            **instance.submission,
            channel=RegistrationChannel.IMPORT,
            submitted_by=kwargs.get("user"),
        )
        instance.pk = registration.pk
        instance.refresh_from_db()

    def save_m2m(self, instance, row, **kwargs):
        """The service set the zones."""
