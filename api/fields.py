"""Serializer fields every resource shares."""

from rest_framework import serializers

from core.query import MONEY_DECIMAL_PLACES


class MoneyField(serializers.DecimalField):
    """An amount of money, read-only, as a decimal string with cents ("2500000.00"), never a float.

    No digit limit: sums over a whole programme may exceed any single column's width.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", None)
        kwargs.setdefault("decimal_places", MONEY_DECIMAL_PLACES)
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)
