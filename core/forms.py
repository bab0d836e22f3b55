"""What every form of the project's surfaces shares."""

from django import forms
from django.core.exceptions import ValidationError


class ServiceErrorsMixin(forms.BaseForm):
    """Show a service's own objections (rules the form does not repeat) on the page."""

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            self.add_error(field if field in self.fields else None, errors)
