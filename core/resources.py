"""Import building blocks shared by every app's resources (django-import-export)."""

from decimal import InvalidOperation

from django.core.exceptions import ValidationError
from import_export import resources, widgets


class LookupWidget(widgets.ForeignKeyWidget):
    """A foreign key by a natural key, failing with a sentence instead of DoesNotExist."""

    def __init__(self, model, field, *, noun, hint=""):
        super().__init__(model, field)
        self.noun = noun
        self.hint = hint

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row=row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(f"Unknown {self.noun} “{value}”.{self.hint}") from None


class LookupManyWidget(widgets.ManyToManyWidget):
    """Several natural keys in one cell, refusing the row when any of them is unknown."""

    def __init__(self, model, field, *, noun):
        super().__init__(model, separator=",", field=field)
        self.noun = noun

    def clean(self, value, row=None, **kwargs):
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
    duplicate_key_column = None
    # Computed columns a file may carry (an export read back in) but never sets.
    export_only = ()

    def get_user_visible_fields(self):
        """The columns the Import page lists as importable: export-only ones left out."""
        return [
            field
            for field in super().get_user_visible_fields()
            if field.column_name not in self.export_only
        ]

    def before_import(self, dataset, **kwargs):
        self._rows_by_key = {}
        super().before_import(dataset, **kwargs)

    def duplicate_key(self, row):
        """The value under which two rows of one file would be the same record."""
        value = row.get(self.duplicate_key_column)
        return str(value).strip().lower() if value not in (None, "") else None

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        try:
            super().import_field(field, instance, row, is_m2m, **kwargs)
        except InvalidOperation:
            # DecimalWidget lets decimal's own exception through; import_instance() only turns
            # ValueError into a row error with the column's name.
            raise ValueError(f"“{row.get(field.column_name)}” is not a number.") from None

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        key = self.duplicate_key(row)
        row_number = kwargs.get("row_number")
        if key is not None:
            earlier = self._rows_by_key.setdefault(key, row_number)
            if earlier != row_number:
                field = self.fields[self.duplicate_key_column].attribute
                errors.setdefault(field, []).append(
                    ValidationError(
                        f"Duplicate: row {earlier} of this file already has "
                        f"“{row.get(self.duplicate_key_column)}”.",
                        code="duplicate",
                    )
                )
        if errors:
            raise ValidationError(errors)
