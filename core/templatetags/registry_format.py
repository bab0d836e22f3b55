"""Template filters for the admin templates: amounts (`{{ value|usd }}`) and labels."""

from typing import Any

from django import template
from django.contrib.admin.utils import get_fields_from_path
from django.utils.text import capfirst

from core.formats import money as format_money
from core.formats import usd as format_usd

register = template.Library()


@register.filter
def usd(amount: Any) -> str:
    return format_usd(amount)


@register.filter
def money(amount: Any, currency: str = "USD") -> str:
    return format_money(amount, currency)


@register.filter
def drilldown_label(changelist: Any) -> str:
    """What a changelist's date drill-down drills into: "Target opening date"."""
    field = get_fields_from_path(changelist.model, changelist.date_hierarchy)[-1]
    return str(capfirst(field.verbose_name))
