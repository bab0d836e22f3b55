"""Template filters for the public pages, usable inside {% blocktranslate with ... %}."""

from typing import Any

from django import template
from django.contrib.humanize.templatetags.humanize import intword
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def usd_words(amount: Any) -> str:
    """`1500000000` → "US$1.5 billion" (the number words in the page's language); under a
    million, the whole figure: "US$250,000"."""
    try:
        large = amount >= 1000000
    except TypeError:  # None or text: as the template's `>=` did, not large
        large = False
    if large:
        return f"US${intword(amount)}"
    return f"US${floatformat(amount, '0g')}"
