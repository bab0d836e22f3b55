"""The portal's forms. They check shapes; the services (portal.services and the apps' own)
decide what may be, and their objections are shown on the fields (ServiceErrorsMixin)."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from core.forms import ServiceErrorsMixin
from enterprises.services import RETURN_FIGURES


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
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
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


# --- the company's forms ---

RETURN_ACTIONS = ("draft", "check", "submit")


class AnswerForm(ServiceErrorsMixin, forms.Form):
    message = forms.CharField(
        label=_("Your answer"),
        # Not required here: the service says what is missing, in the reviewers' terms.
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 5000}),
        help_text=_("Answer the reviewers’ question. You may attach documents below."),
    )
    documents = DocumentsField()


class WithdrawForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why are you withdrawing? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
    )


class RenewalRequestForm(ServiceErrorsMixin, forms.Form):
    message = forms.CharField(
        label=_("Message to the authority (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
        help_text=_("For example, changes to your activities or the period you ask for."),
    )


def _count(label, help_text=""):
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"min": 0, "step": 1, "inputmode": "numeric"}),
    )


def _amount(label, help_text=""):
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_digits=18,
        decimal_places=2,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"min": 0, "step": "0.01", "inputmode": "decimal"}),
    )


class AnnualReturnForm(ServiceErrorsMixin, forms.Form):
    """Every figure may be empty in a draft; checking and filing say which are still missing."""

    employees_total = _count(_("Employees at the year’s end"), _("Everyone on the payroll."))
    employees_women = _count(_("of whom women"))
    employees_foreign = _count(_("of whom foreign nationals"))
    exports_usd = _amount(_("Exports in the year (US dollars)"))
    domestic_sales = _amount(_("Sales in Pakistan in the year"), _("In the currency below."))
    investment = _amount(
        _("Investment in the year"), _("Capital spent in the zone, in the currency below.")
    )
    currency = forms.CharField(
        label=_("Currency of sales and investment"),
        required=False,
        max_length=3,
        initial="USD",
        validators=[
            RegexValidator(
                r"^[A-Za-z]{3}$",
                _("Use the three-letter code of the currency, such as PKR or USD."),
            )
        ],
        help_text=_("Three letters, such as PKR or USD."),
        widget=forms.TextInput(
            attrs={"size": 4, "maxlength": 3, "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    documents = DocumentsField(
        help_text=_(
            "Optional: audited accounts or payroll summaries. PDF, PNG, JPEG, XLSX or DOCX, "
            "up to 10 MB each."
        )
    )
    # Set by the submit button pressed (name="action"), not typed by anyone.
    action = forms.ChoiceField(
        choices=[(action, action) for action in RETURN_ACTIONS],
        required=False,
        widget=forms.HiddenInput,
    )

    def clean_currency(self):
        return (self.cleaned_data.get("currency") or "USD").strip().upper()

    def clean_action(self):
        # A form posted without a button (Enter in some browsers) keeps a draft: the safe choice.
        return self.cleaned_data.get("action") or "draft"

    def figures(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in RETURN_FIGURES}
