"""The API's search and ordering backends: DRF's, hardened for partners' paging."""

from rest_framework import exceptions, filters


class SearchFilter(filters.SearchFilter):
    """DRF's `?search=`, refusing text no database column can hold (a 400, not a 500)."""

    def get_search_terms(self, request):
        value = request.query_params.get(self.search_param, "")
        if "\x00" in value:
            raise exceptions.ValidationError(
                {self.search_param: ["Search text cannot contain NUL (0x00) characters."]}
            )
        return super().get_search_terms(request)


class OrderingFilter(filters.OrderingFilter):
    """DRF's `?ordering=`, with the primary key as the last tie-breaker.

    Without it, rows that tie on the requested field (many zones share a status)
    may come back in a different order on each page and be skipped or repeated
    while a partner pages through.
    """

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        if not ordering:
            return queryset
        ordering = list(ordering)
        if not {"pk", "-pk", "id", "-id"} & set(ordering):
            ordering.append("pk")
        return queryset.order_by(*ordering)
