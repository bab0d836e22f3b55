import functools
import re

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework import exceptions
from rest_framework.pagination import BasePagination, CursorPagination, PageNumberPagination

MAX_PAGE_SIZE = 1000
BASE64 = re.compile(r"[A-Za-z0-9+/]{1,200}={0,2}")


# Query parameters that change which page is shown, not which rows are counted.
PAGING_PARAMETERS = frozenset({"page", "page_size", "ordering", "format"})


class KnownCountPaginator(Paginator):
    """A paginator told its count, so that it need not run `COUNT(*)` over the table."""

    def __init__(self, *args, known_count: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.known_count = known_count

    @cached_property
    def count(self) -> int:
        return super().count if self.known_count is None else self.known_count


class PagePagination(PageNumberPagination):
    """DRF's page format; partners may ask for up to 1000 rows a page.

    A view with `unfiltered_count()` (the exact number of rows its whole list has, from
    summary rows) lends it to the page count when the request filters nothing, instead of
    counting a million pledges for every page.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        known = None
        if hasattr(view, "unfiltered_count") and set(request.query_params) <= PAGING_PARAMETERS:
            known = view.unfiltered_count()
        self.django_paginator_class = functools.partial(KnownCountPaginator, known_count=known)
        return super().paginate_queryset(queryset, request, view)


class IdCursorPagination(CursorPagination):
    """Keyset pages in id order: `?cursor=` (empty for the first page), then follow `next`.

    A page number counts rows, so a row that moves or vanishes between two pages shifts
    every later row by one and one is never fetched. A keyset cursor names the last id
    read; ids never change, so every row that was there throughout is read exactly once.
    """

    ordering = ("id",)
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    cursor_query_description = (
        "Keyset paging in id order, for sync reads: send it empty for the first page, then "
        "follow `next`. Rows changed between pages are never skipped."
    )

    def get_ordering(self, request, queryset, view):
        if request.query_params.get("ordering"):
            raise exceptions.ValidationError(
                {"ordering": ["Cursor pages are always in id order: drop `ordering` or `cursor`."]}
            )
        return self.ordering

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if not encoded:
            return None  # `?cursor=` starts at the first page
        invalid = exceptions.ValidationError(
            {self.cursor_query_param: ["Not a cursor: follow the `next` link of a page."]}
        )
        # DRF's decoder skips characters base64 does not use, so garbage could pass for
        # the first page: refuse it instead.
        if not BASE64.fullmatch(encoded):
            raise invalid
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound:
            raise invalid from None


class StandardPagination(BasePagination):
    """Page numbers (`page`, `page_size`) by default; a keyset cursor with `?cursor=`.

    Page numbers stay for compatibility and for people; sync reads use the cursor.
    """

    cursor_query_param = IdCursorPagination.cursor_query_param

    def __init__(self):
        self.pages = PagePagination()
        self.cursors = IdCursorPagination()
        self.active = self.pages

    def paginate_queryset(self, queryset, request, view=None):
        by_cursor = self.cursor_query_param in request.query_params
        self.active = self.cursors if by_cursor else self.pages
        return self.active.paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        return self.active.get_paginated_response(data)

    def get_paginated_response_schema(self, schema):
        body = self.pages.get_paginated_response_schema(schema)
        body["required"] = ["next", "previous", "results"]
        body["properties"]["count"]["description"] = "With page numbers only (not with `cursor`)."
        return body

    def get_schema_operation_parameters(self, view):
        page_parameters = self.pages.get_schema_operation_parameters(view)
        cursor_parameters = [
            parameter
            for parameter in self.cursors.get_schema_operation_parameters(view)
            if parameter["name"] == self.cursor_query_param
        ]
        return [*page_parameters, *cursor_parameters]
