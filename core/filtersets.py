"""Filter building blocks shared by every app's FilterSets.

Naming follows one pattern across the API so that partners can guess it: `field` is an
exact match, `field__in` takes comma-separated values, `field__gte`/`field__lte` bound a
range, and every relation is filterable by slug (`zone`) and by id (`zone_id`).
"""

import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, Model, OuterRef, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.query import MAX_ID, MONEY_DECIMAL_PLACES, MONEY_SUM_MAX_DIGITS


class CharInFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    """Comma-separated strings: `?province__in=Sindh,Punjab`."""


class IdField(forms.IntegerField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class IdFilter(django_filters.NumberFilter):
    field_class = IdField


class IdInFilter(django_filters.BaseInFilter, IdFilter):
    """Comma-separated ids: `?zone_id__in=3,7`."""


class ChoiceInFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    """Comma-separated choice values, each checked against the choices."""


class MoneyFormField(forms.DecimalField):
    def __init__(self, **kwargs: Any) -> None:
        # The widest money column is 18 digits; wider input can only be a mistake.
        kwargs.setdefault("max_digits", MONEY_SUM_MAX_DIGITS)
        kwargs.setdefault("decimal_places", MONEY_DECIMAL_PLACES)
        super().__init__(**kwargs)


class MoneyFilter(django_filters.NumberFilter):
    field_class = MoneyFormField


class DateOrDateTimeField(forms.CharField):
    """An ISO 8601 date or date-time; a date means its midnight, a naive time the server's zone."""

    default_error_messages = {
        "invalid": (
            "Enter an ISO 8601 date or date-time, e.g. 2026-03-01 or 2026-03-01T09:30:00Z "
            "(URL-encode the plus sign of an offset such as +05:00, or use Z)."
        )
    }

    # CharField.to_python is typed to return text; this field parses the text into a moment.
    def to_python(self, value: Any) -> datetime.datetime | None:  # type: ignore[override]
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            moment = parse_datetime(value)
            if moment is None:
                day = parse_date(value)
                if day is not None:
                    moment = datetime.datetime.combine(day, datetime.time.min)
        except ValueError:  # well-formed but impossible, e.g. 2026-02-30
            moment = None
        if moment is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            # In UTC, because PostgreSQL refuses offsets beyond ±15:59 that ISO 8601
            # allows, and a date near year 1 may not survive the shift.
            return moment.astimezone(datetime.UTC)
        except (OverflowError, ValueError):
            raise forms.ValidationError(
                "This date-time is out of range.", code="out_of_range"
            ) from None


@extend_schema_field(OpenApiTypes.DATETIME)
class UpdatedSinceFilter(django_filters.Filter):
    field_class = DateOrDateTimeField


class RegistryFilterSet(django_filters.FilterSet):
    """Base of every API FilterSet: `updated_since` for incremental sync."""

    updated_since = UpdatedSinceFilter(
        method="filter_updated_since",
        label="Changed at or after (ISO 8601 date or date-time)",
    )
    created__gte = UpdatedSinceFilter(field_name="created", lookup_expr="gte")
    created__lte = UpdatedSinceFilter(field_name="created", lookup_expr="lte")

    def filter_updated_since(
        self, queryset: QuerySet, name: str, value: datetime.datetime
    ) -> QuerySet:
        """Rows whose own record changed; subclasses add changes that alter their figures."""
        return queryset.filter(updated__gte=value)


def changed_since(
    model: type[Model], since: datetime.datetime, *, outer_field: str, stamp: str = "updated"
) -> Exists:
    """Exists(a `model` row pointing at the outer row that changed at or after `since`)."""
    return Exists(
        model._default_manager.filter(**{outer_field: OuterRef("pk"), f"{stamp}__gte": since})
    )
