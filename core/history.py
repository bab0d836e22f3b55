"""History pages staff can read: labels instead of codes, money as money, local times."""

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, Model
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from core.formats import usd


class ReadableHistoryContextHelper(HistoricalRecordContextHelper):
    """Formats each changed value as the change form would show it.

    django-simple-history prints raw values: status codes ("under_review"), Decimals
    ("2500000.00"), UTC datetimes, and "Deleted user (pk=None)" for a foreign key that was
    simply empty.
    """

    def prepare_delta_change_value(self, change: Any, value: Any) -> Any:
        value = super().prepare_delta_change_value(change, value)
        field = self.model._meta.get_field(change.field)
        if isinstance(value, DeletedObject):
            if value.pk is None:
                return "—"
            return f"a deleted {value.model._meta.verbose_name}"
        if value is None or value == "":
            return "—"
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        if isinstance(value, datetime.datetime):
            return date_format(timezone.localtime(value), "DATETIME_FORMAT")
        if isinstance(value, datetime.date):
            return date_format(value, "DATE_FORMAT")
        if isinstance(field, DecimalField) and field.name.endswith("_usd"):
            return usd(Decimal(value))
        return value


class ReadableHistoryMixin:
    """For SimpleHistoryAdmin subclasses: readable changes on the History page."""

    model: type[Model]  # set by the ModelAdmin it is mixed into

    def get_historical_record_context_helper(
        self, request: HttpRequest, historical_record: Any
    ) -> ReadableHistoryContextHelper:
        return ReadableHistoryContextHelper(self.model, historical_record)


def skip_history_for_fixture_rows(
    sender: type[Model], instance: Model, raw: bool, **kwargs: Any
) -> None:
    """Loading a backup must not write history of its own.

    ``loaddata`` saves each row raw (which django-simple-history already skips) and then sets its
    many-to-many fields, which fires ``m2m_changed``: without this, every restored registration
    gained a spurious "changed" version whose new rows collided on PostgreSQL with the backup's own
    history rows (the sequences are only reset after the load).
    """
    if raw:
        instance.skip_history_when_saving = True  # type: ignore[attr-defined]
