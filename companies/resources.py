"""Import/export column layout for companies (django-import-export).

A company is matched by its normalised name (companies.normalize), the same key the public form
and the API use, so "Acme Ltd" in a file updates "ACME Limited" instead of adding a twin, and
two rows of one file that normalise alike are refused as duplicates. Contacts (personal data)
are never part of the file.
"""

from import_export import fields

from core.resources import LookupWidget, RegistryResource
from investments.selectors import companies_with_pledge_totals
from zones.models import Sector

from .models import Company
from .normalize import normalize_company_name


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
