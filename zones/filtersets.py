import django_filters

from .models import Zone, ZoneStatus


class ZoneFilterSet(django_filters.FilterSet):
    """Filters shared by the public zone catalogue and the API's zone list."""

    q = django_filters.CharFilter(method="search", label="Search")
    province = django_filters.CharFilter(field_name="province", lookup_expr="iexact")
    city = django_filters.CharFilter(field_name="city", lookup_expr="iexact")
    status = django_filters.MultipleChoiceFilter(field_name="status", choices=ZoneStatus.choices)
    sector = django_filters.CharFilter(field_name="sectors__slug", label="Sector (slug)")
    sector_id = django_filters.NumberFilter(field_name="sectors__id", label="Sector (ID)")
    developer = django_filters.CharFilter(field_name="developer__slug", label="Developer (slug)")
    developer_id = django_filters.NumberFilter(field_name="developer_id", label="Developer (ID)")

    class Meta:
        model = Zone
        fields = ()

    def search(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(
            Q(name__icontains=value) | Q(city__icontains=value) | Q(province__icontains=value)
        )

    @property
    def qs(self):
        # Filtering through a many-to-many (sector) may repeat a zone.
        queryset = super().qs
        if self.form.cleaned_data.get("sector") or self.form.cleaned_data.get("sector_id"):
            queryset = queryset.distinct()
        return queryset
