"""Serializer bases every resource shares."""

import functools
from collections.abc import Callable, Mapping
from typing import Any

from rest_framework import serializers


class RowSerializer(serializers.Serializer):
    """Read-only rows of plain values (a dict or a dataclass a row): the reports' sections.

    DRF reads each field through `Field.get_attribute`, with its dotted sources, callables
    and skip rules, for every row. A report with 1,000 zones × 12 fiscal years spends more
    time there than in its queries. A row here is one level of plain values, so each field is
    read by its name and handed straight to its `to_representation`: the same output, a
    fraction of the calls. A serializer with a nested, dotted or whole-object (`*`) field
    takes DRF's own path.
    """

    @functools.cached_property
    def _plain_fields(self) -> list[tuple[str, str, serializers.Field]] | None:
        fields = []
        for name, field in self.fields.items():
            if field.write_only:
                continue
            if isinstance(field, serializers.BaseSerializer) or len(field.source_attrs) != 1:
                return None
            fields.append((name, field.source_attrs[0], field))
        return fields

    def to_representation(self, instance: Any) -> dict[str, Any]:
        fields = self._plain_fields
        if fields is None:
            return super().to_representation(instance)
        read: Callable[[str], Any] = (
            instance.__getitem__
            if isinstance(instance, Mapping)
            else functools.partial(getattr, instance)
        )
        row = {}
        for name, source, field in fields:
            value = read(source)
            if callable(value):  # a method named as the source, as DRF calls it
                value = value()
            row[name] = None if value is None else field.to_representation(value)
        return row
