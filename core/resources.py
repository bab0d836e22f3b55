"""Import building blocks shared by every app's resources (django-import-export)."""

from decimal import InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from import_export import resources, widgets


class LookupWidget(widgets.ForeignKeyWidget):
    """A foreign key by a natural key, failing with a sentence instead of DoesNotExist."""

    def __init__(self, model: type[Model], field: str, *, noun: str, hint: str = "") -> None:
        super().__init__(model, field)
        self.noun = noun
        self.hint = hint

    def clean(self, value: Any, row: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        try:
            return super().clean(value, row=row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(f"Unknown {self.noun} “{value}”.{self.hint}") from None


class LookupManyWidget(widgets.ManyToManyWidget):
    """Several natural keys in one cell, refusing the row when any of them is unknown."""

    def __init__(self, model: type[Model], field: str, *, noun: str) -> None:
        super().__init__(model, separator=",", field=field)
        self.noun = noun

    def clean(self, value: Any, row: dict[str, Any] | None = None, **kwargs: Any) -> QuerySet:
        if not value:
            return self.model.objects.none()
        wanted = [key.strip() for key in str(value).split(self.separator) if key.strip()]
        found = self.model.objects.filter(**{f"{self.field}__in": wanted})
        missing = sorted(set(wanted) - {getattr(obj, self.field) for obj in found})
        if missing:
            raise ValueError(f"Unknown {self.noun}: {', '.join(missing)}.")
        return found


class RegistryResource(resources.ModelResource):
    """Validates whole instances and refuses a key that repeats within one file."""

    # The column whose value identifies a row's record; subclasses name it.
    duplicate_key_column: str | None = None
    # Computed columns a file may carry (an export read back in) but never sets.
    export_only: tuple[str, ...] = ()

    def get_user_visible_fields(self) -> list[Any]:
        """The columns the Import page lists as importable: export-only ones left out."""
        return [
            field
            for field in super().get_user_visible_fields()
            if field.column_name not in self.export_only
        ]

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        self._rows_by_key: dict[str, int | None] = {}
        super().before_import(dataset, **kwargs)

    def duplicate_key(self, row: dict[str, Any]) -> str | None:
        """The value under which two rows of one file would be the same record."""
        if self.duplicate_key_column is None:
            return None
        value = row.get(self.duplicate_key_column)
        return str(value).strip().lower() if value not in (None, "") else None

    def import_field(
        self, field: Any, instance: Model, row: dict[str, Any], is_m2m: bool = False, **kwargs: Any
    ) -> None:
        try:
            super().import_field(field, instance, row, is_m2m, **kwargs)
        except InvalidOperation:
            # DecimalWidget lets decimal's own exception through; import_instance() only turns
            # ValueError into a row error with the column's name.
            raise ValueError(f"“{row.get(field.column_name)}” is not a number.") from None

    def import_instance(self, instance: Model, row: dict[str, Any], **kwargs: Any) -> None:
        errors: dict[str, list[ValidationError]] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        key = self.duplicate_key(row)
        row_number = kwargs.get("row_number")
        column = self.duplicate_key_column
        if key is not None and column is not None:
            earlier = self._rows_by_key.setdefault(key, row_number)
            if earlier != row_number:
                field = self.fields[column].attribute
                errors.setdefault(field, []).append(
                    ValidationError(
                        f"Duplicate: row {earlier} of this file already has “{row.get(column)}”.",
                        code="duplicate",
                    )
                )
        if errors:
            raise ValidationError(errors)
