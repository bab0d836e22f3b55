"""Import/export column layout for pledges (django-import-export).

Pledges are written through investments.services (pledge_record / pledge_update), so the USD
equivalent is always converted at the pledge date's rate and never taken from the file. The
realised totals belong to the disbursements and are export-only.
"""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from import_export import fields

from companies.models import Company
from companies.normalize import normalize_company_name
from core.resources import LookupWidget, RegistryResource
from zones.models import Zone

from .models import CURRENCY_CODE_REGEX, Pledge
from .services import ExchangeRateMissing, pledge_record, pledge_update, usd_amount

# The fields a file may set; everything else on a pledge is derived.
IMPORTED_FIELDS = (
    "company",
    "zone",
    "registration",
    "amount",
    "currency",
    "pledged_on",
    "status",
    "description",
)


class CompanyByNameWidget(LookupWidget):
    """A company by any spelling of its name that normalises to the stored one."""

    def __init__(self):
        super().__init__(
            Company,
            "normalized_name",
            noun="company",
            hint=" Import or add the company first (Companies › Companies).",
        )

    def get_lookup_kwargs(self, value, row, **kwargs):
        return {"normalized_name": normalize_company_name(value)}

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class PledgeResource(RegistryResource):
    """Pledges by `id` (blank for a new pledge); company by name, zone by slug."""

    duplicate_key_column = "id"

    company = fields.Field(attribute="company", column_name="company", widget=CompanyByNameWidget())
    zone = fields.Field(
        attribute="zone",
        column_name="zone",
        widget=LookupWidget(Zone, "slug", noun="zone", hint=" Use the zone's slug."),
    )
    amount_usd = fields.Field(attribute="amount_usd", column_name="amount_usd", readonly=True)
    realized_amount = fields.Field(
        attribute="realized_amount", column_name="realized_amount", readonly=True
    )
    realized_usd = fields.Field(attribute="realized_usd", column_name="realized_usd", readonly=True)

    class Meta:
        model = Pledge
        fields = (
            "id",
            "company",
            "zone",
            "amount",
            "currency",
            "amount_usd",
            "pledged_on",
            "status",
            "realized_amount",
            "realized_usd",
            "description",
        )
        export_order = fields
        clean_model_instances = True

    def get_queryset(self):
        return Pledge.objects.select_related("company", "zone")

    def dehydrate_zone(self, pledge):
        return pledge.zone.slug

    def get_or_init_instance(self, instance_loader, row):
        instance, is_new = super().get_or_init_instance(instance_loader, row)
        # An id that matches no pledge is most likely a stale export's: creating a new pledge
        # for it would duplicate one that was since deleted or renumbered.
        self._unknown_id = row.get("id") if is_new and row.get("id") not in (None, "") else None
        return instance, is_new

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if self._unknown_id is not None:
            errors["id"] = [
                ValidationError(
                    f"No pledge has id {self._unknown_id}; leave id blank to add a new pledge.",
                    code="unknown_id",
                )
            ]
        # A placeholder so full_clean() reports the file's problems, not this derived field;
        # the services below always recompute it.
        if instance.amount_usd is None:
            instance.amount_usd = Decimal("0")
        currency = (instance.currency or "").strip().upper()
        instance.currency = currency
        if not re.fullmatch(CURRENCY_CODE_REGEX, currency):
            errors["currency"] = [
                ValidationError(
                    f"Currency “{row.get('currency')}” is not a three-letter ISO 4217 code.",
                    code="invalid_currency",
                )
            ]
        elif (
            instance.amount and instance.pledged_on and not {"amount", "pledged_on"} & errors.keys()
        ):
            try:
                instance.amount_usd = usd_amount(
                    amount=instance.amount, currency=currency, on_date=instance.pledged_on
                )
            except ExchangeRateMissing as exc:
                errors["currency"] = [exc]
        if errors:
            raise ValidationError(errors)

    def do_instance_save(self, instance, is_create):
        values = {field: getattr(instance, field) for field in IMPORTED_FIELDS}
        if is_create:
            saved = pledge_record(**values)
            instance.pk = saved.pk
        else:
            saved = pledge_update(pledge=instance, **values)
        instance.amount_usd = saved.amount_usd
        instance.realized_amount = saved.realized_amount
        instance.realized_usd = saved.realized_usd
