"""The portal's forms. They check shapes; the services (portal.services and the apps' own)
decide what may be, and their objections are shown on the fields (ServiceErrorsMixin)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ServiceErrorsMixin


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class DocumentsField(forms.FileField):
    """Any number of files in one input; each is checked by portal.services.document_check."""

    widget = MultipleFileInput(
        attrs={"accept": ".pdf,.png,.jpg,.jpeg,.xlsx,.docx", "multiple": True}
    )

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Documents"))
        kwargs.setdefault(
            "help_text",
            _("PDF, PNG, JPEG, XLSX or DOCX, up to 10 MB each. You may choose several files."),
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class AcceptInvitationForm(ServiceErrorsMixin, forms.Form):
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; not only numbers, and not a common password."),
    )
    password2 = forms.CharField(
        label=_("The same password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, needs_password: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_password:
            del self.fields["password1"]
            del self.fields["password2"]

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


class InviteColleagueForm(ServiceErrorsMixin, forms.Form):
    email = forms.EmailField(
        label=_("Colleague’s email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class PlotOccupiedForm(ServiceErrorsMixin, forms.Form):
    occupied_on = forms.DateField(
        label=_("Occupied since"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day the enterprise moved in and began operating on the plot."),
    )


class DescriptionProposalForm(ServiceErrorsMixin, forms.Form):
    description = forms.CharField(
        label=_("Public description"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": 5000}),
        help_text=_("What the zone’s public page says about it. Staff review it before it shows."),
    )
    description_ur = forms.CharField(
        label=_("Public description in Urdu"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 5000, "dir": "rtl", "lang": "ur"}),
        help_text=_("Optional. Urdu readers see the English text where this is empty."),
    )
