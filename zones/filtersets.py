"""Query-string filters for zones, developers and incentives, and the shared pieces.

Naming follows one pattern across the API so that partners can guess it: `field` is an
exact match, `field__in` takes comma-separated values, `field__gte`/`field__lte` bound a
range, and every relation is filterable by slug (`zone`) and by id (`zone_id`).
"""

import datetime

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .models import Incentive, IncentiveKind, Zone, ZoneDeveloper, ZoneStatus

# Ids beyond a 64-bit integer cannot exist; refusing them keeps the database from
# overflowing on absurd input.
MAX_ID = 2**63 - 1


class CharInFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    """Comma-separated strings: `?province__in=Sindh,Punjab`."""


class IdField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class IdFilter(django_filters.NumberFilter):
    field_class = IdField


class IdInFilter(django_filters.BaseInFilter, IdFilter):
    """Comma-separated ids: `?zone_id__in=3,7`."""


class ChoiceInFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    """Comma-separated choice values, each checked against the choices."""


class MoneyField(forms.DecimalField):
    def __init__(self, **kwargs):
        # The widest money column is 18 digits; wider input can only be a mistake.
        kwargs.setdefault("max_digits", 20)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)


class MoneyFilter(django_filters.NumberFilter):
    field_class = MoneyField


class DateOrDateTimeField(forms.CharField):
    """An ISO 8601 date or date-time; a date means its midnight, a naive time the server's zone."""

    default_error_messages = {
        "invalid": (
            "Enter an ISO 8601 date or date-time, e.g. 2026-03-01 or 2026-03-01T09:30:00Z "
            "(URL-encode the plus sign of an offset such as +05:00, or use Z)."
        )
    }

    def to_python(self, value):
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

    def filter_updated_since(self, queryset, name, value):
        """Rows whose own record changed; subclasses add changes that alter their figures."""
        return queryset.filter(updated__gte=value)


def changed_since(model, since, *, outer_field, stamp="updated"):
    """Exists(a `model` row pointing at the outer row that changed at or after `since`)."""
    return Exists(model.objects.filter(**{outer_field: OuterRef("pk"), f"{stamp}__gte": since}))


class ZoneFilterSet(RegistryFilterSet):
    """Filters shared by the public zone catalogue and the API's zone list."""

    q = django_filters.CharFilter(method="search", label="Search")
    province = django_filters.CharFilter(field_name="province", lookup_expr="iexact")
    province__in = CharInFilter(field_name="province", lookup_expr="in")
    city = django_filters.CharFilter(field_name="city", lookup_expr="iexact")
    city__in = CharInFilter(field_name="city", lookup_expr="in")
    status = django_filters.MultipleChoiceFilter(field_name="status", choices=ZoneStatus.choices)
    status__in = ChoiceInFilter(field_name="status", lookup_expr="in", choices=ZoneStatus.choices)
    sector = django_filters.CharFilter(field_name="sectors__slug", label="Sector (slug)")
    sector__in = CharInFilter(field_name="sectors__slug", lookup_expr="in")
    sector_id = IdFilter(field_name="sectors__id", label="Sector (ID)")
    incentive = django_filters.CharFilter(field_name="incentives__slug", label="Incentive (slug)")
    developer = django_filters.CharFilter(field_name="developer__slug", label="Developer (slug)")
    developer__in = CharInFilter(field_name="developer__slug", lookup_expr="in")
    developer_id = IdFilter(field_name="developer_id", label="Developer (ID)")
    developer_id__in = IdInFilter(field_name="developer_id", lookup_expr="in")
    target_opening_date__gte = django_filters.DateFilter(
        field_name="target_opening_date", lookup_expr="gte"
    )
    target_opening_date__lte = django_filters.DateFilter(
        field_name="target_opening_date", lookup_expr="lte"
    )
    actual_opening_date__gte = django_filters.DateFilter(
        field_name="actual_opening_date", lookup_expr="gte"
    )
    actual_opening_date__lte = django_filters.DateFilter(
        field_name="actual_opening_date", lookup_expr="lte"
    )
    pledged_usd__gte = MoneyFilter(method="filter_pledged_usd", label="Pledged USD at least")
    pledged_usd__lte = MoneyFilter(method="filter_pledged_usd", label="Pledged USD at most")

    class Meta:
        model = Zone
        fields = ()

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(city__icontains=value) | Q(province__icontains=value)
        )

    def filter_pledged_usd(self, queryset, name, value):
        # The public catalogue's queryset may come without the totals.
        if "pledged_usd" not in queryset.query.annotations:
            queryset = queryset.with_pledge_totals()
        return queryset.filter(**{name: value})

    def filter_updated_since(self, queryset, name, value):
        # A zone's pledged and realised totals are part of it: a new pledge or
        # disbursement changes the zone as a partner sees it.
        from investments.models import Disbursement, Pledge

        return queryset.filter(
            Q(updated__gte=value)
            | changed_since(Pledge, value, outer_field="zone")
            | changed_since(Disbursement, value, outer_field="pledge__zone", stamp="created")
        )

    @property
    def qs(self):
        # Filtering through a many-to-many (sector, incentive) may repeat a zone.
        queryset = super().qs
        data = self.form.cleaned_data
        if any(data.get(name) for name in ("sector", "sector__in", "sector_id", "incentive")):
            queryset = queryset.distinct()
        return queryset


class ZoneDeveloperFilterSet(RegistryFilterSet):
    country = django_filters.CharFilter(field_name="country", lookup_expr="iexact")
    country__in = CharInFilter(field_name="country", lookup_expr="in")
    licence_expires_on__gte = django_filters.DateFilter(
        field_name="licence_expires_on", lookup_expr="gte"
    )
    licence_expires_on__lte = django_filters.DateFilter(
        field_name="licence_expires_on", lookup_expr="lte"
    )

    class Meta:
        model = ZoneDeveloper
        fields = ()


class IncentiveFilterSet(RegistryFilterSet):
    kind = django_filters.ChoiceFilter(field_name="kind", choices=IncentiveKind.choices)
    kind__in = ChoiceInFilter(field_name="kind", lookup_expr="in", choices=IncentiveKind.choices)
    duration_years__gte = django_filters.NumberFilter(
        field_name="duration_years", lookup_expr="gte"
    )
    duration_years__lte = django_filters.NumberFilter(
        field_name="duration_years", lookup_expr="lte"
    )
    zone = django_filters.CharFilter(method="filter_zone", label="Offered in zone (slug)")
    zone_id = IdFilter(method="filter_zone", label="Offered in zone (ID)")

    class Meta:
        model = Incentive
        fields = ()

    def filter_zone(self, queryset, name, value):
        # Exists rather than a join, so an incentive offered twice is listed once.
        lookup = "slug" if name == "zone" else "pk"
        return queryset.filter(
            Exists(Zone.objects.filter(incentives=OuterRef("pk"), **{lookup: value}))
        )
