"""Filter building blocks shared by every app's FilterSets, and the declarative base.

One naming rule across the API, so that partners can guess a parameter: `name` is an
exact match (case-insensitive for free text), `name__in` any of several values (comma-
separated, or the parameter repeated), `name__gte`/`name__lte` bound a range, and a
relation is filterable by slug (`zone`) and by id (`zone_id`). A FilterSet declares its
parameters in `Meta.fields` with `Param` and `RegistryFilterSet` generates the filters;
docs/api.md states the rule for partners.
"""

import datetime
from dataclasses import dataclass
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django_countries.fields import CountryField
from django_filters.fields import BaseCSVField
from django_filters.widgets import BaseCSVWidget
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.query import MAX_ID, MONEY_DECIMAL_PLACES, MONEY_SUM_MAX_DIGITS


class ExplodedCSVWidget(BaseCSVWidget):
    """Reads `x__in=a,b`, `x__in=a&x__in=b` and any mix of the two as the same list.

    Clients generated from the OpenAPI document repeat the parameter (explode) even
    where the schema says comma-separated; taking only the last would answer for part
    of the list with no sign that anything was dropped.
    """

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        values = data.getlist(name) if hasattr(data, "getlist") else None
        if values and len(values) > 1:
            return [item for value in values for item in value.split(",")]
        return super().value_from_datadict(data, files, name)


class ExplodedCSVField(BaseCSVField):
    base_widget_class = ExplodedCSVWidget


class InFilter(django_filters.BaseInFilter):
    """Base of every `__in` filter: comma-separated or repeated values."""

    base_field_class = ExplodedCSVField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        label = kwargs.get("label")
        kwargs.setdefault(
            "help_text",
            (f"{label}. " if label else "")
            + "Several values, comma-separated (a,b) or the parameter repeated.",
        )
        super().__init__(*args, **kwargs)


class CharInFilter(InFilter, django_filters.CharFilter):
    """Strings: `?province__in=Sindh,Punjab`."""


class IdField(forms.IntegerField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class IdFilter(django_filters.NumberFilter):
    """A primary key: a whole number from 1 (documented so in the OpenAPI schema)."""

    field_class = IdField
    openapi_schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID}


class IdInFilter(InFilter, IdFilter):
    """Ids: `?zone_id__in=3,7`."""


class _BlankTolerantMultipleChoiceField(django_filters.fields.MultipleChoiceField):
    def clean(self, value: Any) -> Any:
        return super().clean([choice for choice in value or () if choice != ""])


class RepeatableChoiceFilter(django_filters.MultipleChoiceFilter):
    """Choices given by repeating the parameter (`status=a&status=b`), as checkboxes send them.

    An empty value (`status=`) is "not given", as for every other parameter of the API.
    """

    field_class = _BlankTolerantMultipleChoiceField


class ChoiceInFilter(InFilter, django_filters.ChoiceFilter):
    """Choice values, each checked against the choices."""


class MoneyFormField(forms.DecimalField):
    def __init__(self, **kwargs: Any) -> None:
        # The widest money column is 18 digits; wider input can only be a mistake.
        kwargs.setdefault("max_digits", MONEY_SUM_MAX_DIGITS)
        kwargs.setdefault("decimal_places", MONEY_DECIMAL_PLACES)
        super().__init__(**kwargs)


class MoneyFilter(django_filters.NumberFilter):
    """An amount as a decimal string, as the API writes money ("2500000.00"), never a float."""

    field_class = MoneyFormField
    openapi_schema = {
        "type": "string",
        "format": "decimal",
        "pattern": rf"^-?\d{{1,{MONEY_SUM_MAX_DIGITS - MONEY_DECIMAL_PLACES}}}"
        rf"(?:\.\d{{1,{MONEY_DECIMAL_PLACES}}})?$",
    }


class DateOrDateTimeField(forms.CharField):
    """An ISO 8601 date or date-time; a date means its midnight, a naive time the server's zone."""

    default_error_messages = {
        "invalid": (
            "Enter an ISO 8601 date or date-time, e.g. 2026-03-01 or 2026-03-01T09:30:00Z "
            "(URL-encode the plus sign of an offset such as +05:00, or use Z)."
        )
    }

    def to_python(self, value: Any) -> Any:
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


EXACT, IN, GTE, LTE = "exact", "in", "gte", "lte"
RANGE = (GTE, LTE)
EXACT_IN = (EXACT, IN)


@dataclass(frozen=True)
class Param:
    """One parameter family in a FilterSet's `Meta.fields`: `name`, `name__in`, `name__gte` …

    `path` is the ORM path from the model (the parameter's name when omitted), `kind`
    how a value is read: `id`, `slug`, `text` (case-insensitive), `choice`, `date`, `datetime`,
    `number` or `money`. It is inferred from the model field at `path`; give it for an
    annotation or a `method`, which then receives the parameter's name and value.
    """

    path: str | None = None
    lookups: tuple[str, ...] = EXACT_IN
    help: str = ""
    kind: str | None = None
    method: str | None = None


def _model_field(model: Any, path: str) -> Any:
    """The model field at the end of an ORM path (`company__sector__slug`), or None."""
    field = None
    for part in path.split("__"):
        if model is None:
            return None
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        model = field.related_model
    return field


def _kind(field: Any) -> str:
    if field.is_relation or isinstance(field, models.AutoField):
        return "id"
    if isinstance(field, models.SlugField):
        return "slug"
    if isinstance(field, CountryField):
        return "text"  # ISO codes, matched case-insensitively rather than as an enum
    if field.choices:
        return "choice"
    if isinstance(field, models.DateTimeField):
        return "datetime"
    if isinstance(field, models.DateField):
        return "date"
    if isinstance(field, models.DecimalField):
        return "money"
    if isinstance(field, models.IntegerField):
        return "number"
    return "text"


# kind → (filter for one value, its lookup for `exact`, filter for `__in`)
_FILTERS = {
    "id": (IdFilter, "exact", IdInFilter),
    "slug": (django_filters.CharFilter, "exact", CharInFilter),
    "text": (django_filters.CharFilter, "iexact", CharInFilter),
    "choice": (django_filters.ChoiceFilter, "exact", ChoiceInFilter),
    "date": (django_filters.DateFilter, "exact", None),
    "datetime": (django_filters.IsoDateTimeFilter, "exact", None),
    "number": (django_filters.NumberFilter, "exact", None),
    "money": (MoneyFilter, "exact", None),
}

_HELP_SUFFIX = {IN: " (any of)", GTE: " (at least)", LTE: " (at most)"}


class OneValueEachForm(forms.Form):
    """Refuses a single-value parameter given twice rather than silently keeping the last."""

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        getlist = getattr(self.data, "getlist", None)
        if getlist is None:
            return cleaned
        for name, field in self.fields.items():
            takes_several = isinstance(field.widget, BaseCSVWidget) or getattr(
                field.widget, "allow_multiple_selected", False
            )
            if not takes_several and len(getlist(name)) > 1:
                hint = (
                    f" For any of several values use {name}__in."
                    if f"{name}__in" in self.fields
                    else ""
                )
                self.add_error(
                    name,
                    forms.ValidationError(
                        f"Give {name} once: it takes a single value.{hint}", code="repeated"
                    ),
                )
        return cleaned


class RegistryFilterSet(django_filters.FilterSet):
    """Base of every API FilterSet: generates filters from `Meta.fields` and adds `updated_since`.

    `Meta.fields` maps each parameter name to a `Param`; each lookup it lists becomes one
    filter named by the rule in this module's docstring. Filters declared on the class
    (a search box, a multiple-choice list) are kept as written and win over generated ones.
    """

    updated_since = UpdatedSinceFilter(
        method="filter_updated_since",
        label="Changed at or after (ISO 8601 date or date-time)",
    )
    created__gte = UpdatedSinceFilter(field_name="created", lookup_expr="gte")
    created__lte = UpdatedSinceFilter(field_name="created", lookup_expr="lte")

    @classmethod
    def get_filters(cls) -> dict[str, Any]:
        filters = {}
        declared = cls._meta.fields or {}
        if cls._meta.model is not None and not isinstance(declared, dict):
            raise TypeError(f"{cls.__name__}.Meta.fields maps parameter names to Param.")
        for name, param in declared.items():
            filters.update(cls.generate_filters(name, param))
        filters.update(cls.declared_filters)
        return filters

    @classmethod
    def generate_filters(cls, name: str, param: Param) -> dict:
        path = param.path or name
        kind = param.kind
        field = _model_field(cls._meta.model, path)
        if kind is None:
            if field is None:
                raise TypeError(f"{cls.__name__}: give the kind of {name!r} ({path} is no field).")
            kind = _kind(field)
        single, exact_lookup, many = _FILTERS[kind]
        extra = {"choices": field.choices} if kind == "choice" else {}
        filters = {}
        for lookup in param.lookups:
            if lookup == EXACT:
                filter_class, lookup_expr, filter_name = single, exact_lookup, name
            elif lookup == IN:
                if many is None:
                    raise TypeError(f"{cls.__name__}: {name!r} ({kind}) has no __in.")
                filter_class, lookup_expr, filter_name = many, IN, f"{name}__in"
            elif lookup in RANGE:
                filter_class, lookup_expr, filter_name = single, lookup, f"{name}__{lookup}"
            else:
                raise TypeError(f"{cls.__name__}: unknown lookup {lookup!r} for {name!r}.")
            filters[filter_name] = filter_class(
                # A method receives the parameter's own name, as for a declared filter.
                field_name=filter_name if param.method else path,
                lookup_expr=lookup_expr,
                method=param.method,
                label=(param.help + _HELP_SUFFIX.get(lookup, "")) if param.help else None,
                **extra,
            )
        return filters

    def get_form_class(self) -> type[forms.Form]:
        form = super().get_form_class()
        return type(form.__name__, (OneValueEachForm, form), {})

    def filter_updated_since(
        self, queryset: models.QuerySet, name: str, value: datetime.datetime
    ) -> models.QuerySet:
        """Rows whose own record changed; subclasses add changes that alter their figures."""
        return queryset.filter(updated__gte=value)


def changed_since(
    model: type[models.Model],
    since: datetime.datetime,
    *,
    outer_field: str,
    stamp: str = "updated",
) -> Exists:
    """Exists(a `model` row pointing at the outer row that changed at or after `since`)."""
    return Exists(
        model._default_manager.filter(**{outer_field: OuterRef("pk"), f"{stamp}__gte": since})
    )
