"""Template filters for amounts, shared by the admin templates: `{{ value|usd }}`."""

from django import template

from core.formats import money as format_money
from core.formats import usd as format_usd

register = template.Library()


@register.filter
def usd(amount):
    return format_usd(amount)


@register.filter
def money(amount, currency="USD"):
    return format_money(amount, currency)
