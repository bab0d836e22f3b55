"""The public interest-registration form.

The form only parses what a person typed (types, formats, lengths of single fields);
companies.services.registration_submit decides what a registration may contain (companies.rules)
and does the writing, so the web form, the API, the admin and the importer give the same answer.
The view shows the service's objections on the page, by field, with the typed values kept.
"""

import re
import unicodedata

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.forms import ServiceErrorsMixin
from core.query import by_slug_or_id
from zones.models import Sector, Zone

from . import rules
from .choices import Origin

# The one-time token in each rendered form: signed (so it cannot be forged) and short-lived.
FORM_TOKEN_SALT = "public-register-form-token"  # noqa: S105 - a namespace, not a secret
FORM_TOKEN_MAX_AGE_SECONDS = 24 * 60 * 60

_PHONE_ALLOWED = re.compile(r"^\+?[0-9 ()./-]+$")
_URL_IN_TEXT = re.compile(r"(https?://|www\.)", re.IGNORECASE)


def issue_form_token() -> str:
    """A fresh, signed token for one rendering of the form (see companies.views)."""
    return signing.dumps(get_random_string(24), salt=FORM_TOKEN_SALT)


def form_token_is_valid(token: str) -> bool:
    try:
        signing.loads(token, salt=FORM_TOKEN_SALT, max_age=FORM_TOKEN_MAX_AGE_SECONDS)
    except signing.BadSignature:  # SignatureExpired is a subclass
        return False
    return True


def _reject_control_characters(value: str, *, allow_newlines: bool = False) -> str:
    allowed = {"\n", "\r", "\t"} if allow_newlines else set()
    if any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in value):
        raise ValidationError(
            _("Remove the invisible control characters (they are often pasted by accident)."),
            code="control_characters",
        )
    return value


def _collapse_spaces(value: str) -> str:
    return " ".join(value.split())


class GroupedNumberMixin:
    """Accept "1,500,000", "1 500 000" and "$1,500,000" as people write amounts."""

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"[,\s_]|^\s*(US\$|USD|\$)", "", value.strip(), flags=re.IGNORECASE)
        return super().to_python(value)


class AmountField(GroupedNumberMixin, forms.DecimalField):
    pass


class CountField(GroupedNumberMixin, forms.IntegerField):
    pass


class SlugOrIdChoiceField(forms.ModelChoiceField):
    """One row, named by its slug (what the form sends) or by its numeric id (what scripts send)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        found, unknown = by_slug_or_id(self.queryset, [value])
        if unknown:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return found[0]


class ZoneChoiceField(forms.ModelMultipleChoiceField):
    """One or more zones, each named by its slug or its numeric id (both are in the contract).

    The choices offered are the open zones; a value naming any existing zone is accepted here,
    so that a closed one reaches the service and is refused with the same words as on the API.
    """

    def _check_values(self, value):
        try:
            values = {str(item).strip() for item in value}
        except TypeError:
            raise ValidationError(
                self.error_messages["invalid_list"], code="invalid_list"
            ) from None
        # Before the look-up, so that thousands of values cost no query.
        try:
            rules.check_zone_count(len(values))
        except ValidationError as error:
            raise ValidationError(error.error_dict["zones"]) from None
        zones, unknown = by_slug_or_id(Zone.objects.all(), sorted(values))
        if unknown:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={}
            )
        return zones


_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF]")


def _countries_in_order() -> list:
    """django-countries' order, except that names in Urdu come before those left in English.

    Only some countries have Urdu names (zones_project/i18n_countries.py); sorted together,
    every Latin name would come first and put Pakistan last of about 250. In English nothing
    moves (the sort is stable).
    """
    return sorted(countries, key=lambda country: not _ARABIC_SCRIPT.search(str(country.name)))


class InterestRegistrationForm(ServiceErrorsMixin, forms.Form):
    """What a company tells the authority when it registers interest in zones."""

    company_name = forms.CharField(
        label=_("Company name"),
        max_length=200,
        help_text=_("The registered name, as on your incorporation papers."),
        error_messages={"required": _("Enter your company’s name.")},
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    origin = forms.ChoiceField(
        label=_("Is your company domestic or global?"),
        choices=[(origin.value, _(origin.label)) for origin in Origin],
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether your company is domestic or global.")},
    )
    country = forms.ChoiceField(
        label=_("Country of registration"),
        choices=[],  # filled in __init__ so that translations and overrides apply
        error_messages={"required": _("Choose the country where your company is registered.")},
        widget=forms.Select(attrs={"autocomplete": "country"}),
    )
    sector = SlugOrIdChoiceField(
        label=_("Sector (optional)"),
        queryset=Sector.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Choose a sector"),
        error_messages={"invalid_choice": _("Choose a sector from the list.")},
    )
    website = forms.URLField(
        label=_("Website (optional)"),
        max_length=200,
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        error_messages={"invalid": _("Enter a web address such as https://example.com.")},
        widget=forms.URLInput(attrs={"autocomplete": "url", "spellcheck": "false"}),
    )
    contact_name = forms.CharField(
        label=_("Your full name"),
        max_length=200,
        error_messages={"required": _("Enter the name of the person we should contact.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("We send the reference and your private status link here."),
        error_messages={
            "required": _("Enter the email address we should reply to."),
            "invalid": _("Enter an email address in the correct format, like name@example.com."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    contact_phone = forms.CharField(
        label=_("Phone number (optional)"),
        max_length=40,
        required=False,
        help_text=_("Include the country code, for example +92 21 1234567."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    zones = ZoneChoiceField(
        label=_("Which zones interest you?"),
        queryset=Zone.objects.open_for_registration().order_by("name"),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose one or more."),
        error_messages={
            "required": _("Choose at least one zone."),
            "invalid_choice": _("Choose zones from the list; one of those sent is not a zone."),
        },
    )
    planned_investment_usd = AmountField(
        label=_("Planned investment in US dollars (optional)"),
        max_digits=18,
        decimal_places=2,
        required=False,
        help_text=_("An estimate is fine, for example 2,500,000."),
        error_messages={"invalid": _("Enter the amount as a number, for example 2500000.")},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    planned_jobs = CountField(
        label=_("Jobs you expect to create (optional)"),
        required=False,
        error_messages={"invalid": _("Enter the number of jobs as a whole number, like 120.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    message = forms.CharField(
        label=_("Anything else we should know? (optional)"),
        required=False,
        help_text=format_lazy(
            _("Up to {count} characters."), count=f"{rules.MAX_MESSAGE_LENGTH:,}"
        ),
        # The browser's own bound; the service decides (companies.rules).
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": rules.MAX_MESSAGE_LENGTH}),
    )
    # Explicit, unticked by default: the label links to the privacy notice (register.html).
    consent = forms.BooleanField(
        # The summary's words; the page's label says more and links the notice.
        label=_("Consent"),
        help_text=_(
            "The privacy notice says what we collect, why, who sees it and how long we keep it."
        ),
        error_messages={
            "required": _(
                "Tick the box to agree to the privacy notice, or we cannot take your registration."
            )
        },
    )
    # Honeypot: hidden from people by CSS, but form-filling bots complete every field.
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    honeypot_field = "homepage"
    fieldsets = (
        (_("About your company"), ("company_name", "origin", "country", "sector", "website")),
        (_("Who we should contact"), ("contact_name", "contact_email", "contact_phone")),
        (_("Your interest"), ("zones", "planned_investment_usd", "planned_jobs", "message")),
        (_("Your consent"), ("consent",)),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Choose a country")), *_countries_in_order()]
        self.fields["zones"].label_from_instance = self._zone_label

    @staticmethod
    def _zone_label(zone):
        # The status label in the page's language (zones.choices marks the labels for it).
        status = gettext(zone.get_status_display())
        return f"{zone.local_name} — {zone.city}, {zone.province} ({status})"

    def clean_company_name(self):
        return _collapse_spaces(_reject_control_characters(self.cleaned_data["company_name"]))

    def clean_contact_name(self):
        name = _collapse_spaces(_reject_control_characters(self.cleaned_data["contact_name"]))
        if _URL_IN_TEXT.search(name):
            raise ValidationError(_("A name cannot contain a web address."), code="url_in_name")
        if not any(ch.isalpha() for ch in name):
            raise ValidationError(_("Enter a name with letters in it."), code="no_letters")
        return name

    def clean_contact_email(self):
        return _reject_control_characters(self.cleaned_data["contact_email"]).strip()

    def clean_contact_phone(self):
        phone = _collapse_spaces(self.cleaned_data["contact_phone"])
        if not phone:
            return ""
        digits = sum(ch.isdigit() for ch in phone)
        if not _PHONE_ALLOWED.match(phone) or not 6 <= digits <= 15:
            raise ValidationError(
                _("Enter a phone number of 6 to 15 digits, like +92 21 1234567."),
                code="invalid_phone",
            )
        return phone

    def clean_message(self):
        return _reject_control_characters(self.cleaned_data["message"], allow_newlines=True)

    def clean_homepage(self):
        if self.cleaned_data["homepage"]:
            raise ValidationError(
                _(
                    "This submission looks automated. If you are a person, clear the field "
                    "labelled “Leave this field empty” and send the form again."
                ),
                code="honeypot",
            )
        return ""

    def registration_kwargs(self) -> dict:
        """The cleaned values as registration_submit() takes them."""
        data = self.cleaned_data
        return {
            "company_name": data["company_name"],
            "origin": data["origin"],
            "country": data["country"],
            "sector": data["sector"],
            "website": data["website"],
            "contact_name": data["contact_name"],
            "contact_email": data["contact_email"],
            "contact_phone": data["contact_phone"],
            "zones": data["zones"],
            "planned_investment_usd": data["planned_investment_usd"],
            "planned_jobs": data["planned_jobs"],
            "message": data["message"],
            "consented_at": timezone.now(),
        }

    def visible_fieldsets(self):
        """[(legend, [bound fields])] in the order the page shows them."""
        return [(legend, [self[name] for name in names]) for legend, names in self.fieldsets]

    def error_summary(self):
        """[(anchor id or "", text)] for the summary at the top, in the page's field order."""
        items = [("", str(message)) for message in self.non_field_errors()]
        for _legend, names in self.fieldsets:
            for name in names:
                bound = self[name]
                anchor = f"{bound.auto_id}_0" if bound.use_fieldset else bound.id_for_label
                items.extend((anchor, f"{bound.label}: {message}") for message in bound.errors)
        honeypot = self[self.honeypot_field]
        items.extend(("", str(message)) for message in honeypot.errors)
        return items
