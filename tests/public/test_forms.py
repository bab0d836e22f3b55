"""The interest form's checks, field by field, as a person filling it in meets them."""

from decimal import Decimal

import pytest

from companies.forms import InterestRegistrationForm
from companies.rules import MAX_ZONES_PER_REGISTRATION
from tests.factories import ZoneFactory

pytestmark = pytest.mark.django_db


def make_form(data, **changes):
    return InterestRegistrationForm({**data, **changes})


def test_complete_submission_is_valid(registration_data, karachi_zone, software):
    form = make_form(registration_data)
    assert form.is_valid(), form.errors
    kwargs = form.registration_kwargs()
    assert kwargs["zones"] == [karachi_zone]
    assert kwargs["sector"] == software
    assert kwargs["planned_investment_usd"] == Decimal("2500000")
    assert kwargs["planned_jobs"] == 120


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("company_name", "", "required"),
        ("company_name", "   ", "required"),
        ("company_name", "A" * 201, "max_length"),
        ("company_name", "Acme\x07 Ltd", "control_characters"),
        ("company_name", "Acme\x00 Ltd", "null_characters_not_allowed"),
        ("origin", "", "required"),
        ("origin", "martian", "invalid_choice"),
        ("country", "", "required"),
        ("country", "XX", "invalid_choice"),
        ("sector", "no-such-sector", "invalid_choice"),
        ("sector", "9" * 30, "invalid_choice"),
        ("website", "not a web address", "invalid"),
        ("website", "javascript:alert(1)", "invalid"),
        ("website", "ftp://files.acme.example", "invalid"),
        ("website", "https://acme.example/" + "a" * 200, "max_length"),
        ("contact_name", "", "required"),
        ("contact_name", "N" * 201, "max_length"),
        ("contact_name", "Buy now at https://spam.example", "url_in_name"),
        ("contact_name", "12345", "no_letters"),
        ("contact_email", "", "required"),
        ("contact_email", "not-an-email", "invalid"),
        ("contact_email", "ayesha@", "invalid"),
        ("contact_email", "a" * 250 + "@acme.example", "max_length"),
        ("contact_phone", "call me maybe", "invalid_phone"),
        ("contact_phone", "12", "invalid_phone"),
        ("contact_phone", "+92 21 1234567 1234567 99", "invalid_phone"),
        ("contact_phone", "1" * 41, "max_length"),
        ("planned_investment_usd", "lots", "invalid"),
        ("planned_investment_usd", "NaN", "invalid"),
        ("planned_investment_usd", "1" * 19, "max_digits"),
        ("planned_investment_usd", "10.005", "max_decimal_places"),
        ("planned_jobs", "1.5", "invalid"),
        ("message", "Hello \x1b[31m", "control_characters"),
    ],
)
def test_bad_value_is_rejected_with_a_reason(registration_data, field, value, code):
    form = make_form(registration_data, **{field: value})
    assert not form.is_valid()
    assert form.has_error(field, code), form.errors.as_data()


@pytest.mark.parametrize(
    ("zones", "code"),
    [
        ([], "required"),
        (["no-such-zone"], "invalid_choice"),
        (["9" * 40], "invalid_choice"),
        (["karachi-technology-zone", "no-such-zone"], "invalid_choice"),
    ],
)
def test_bad_zone_choices_are_rejected(registration_data, zones, code):
    form = make_form(registration_data, zones=zones)
    assert not form.is_valid()
    assert form.has_error("zones", code)


def test_a_cancelled_zone_is_not_offered_but_reaches_the_service(registration_data):
    # The refusal is the service's (tests/companies/test_rules.py), in the same words as the API.
    cancelled = ZoneFactory(status="cancelled")
    assert cancelled not in InterestRegistrationForm().fields["zones"].queryset
    form = make_form(registration_data, zones=[cancelled.slug])
    assert form.is_valid(), form.errors
    assert form.cleaned_data["zones"] == [cancelled]


def test_too_many_zones_are_refused_before_any_lookup(registration_data, django_assert_num_queries):
    form = make_form(
        registration_data, zones=[f"zone-{n}" for n in range(MAX_ZONES_PER_REGISTRATION + 1)]
    )
    with django_assert_num_queries(1):  # the sector only; no zone query
        assert not form.is_valid()
    assert form.has_error("zones", "too_many")


def test_zones_may_be_named_by_slug_or_id(registration_data, karachi_zone, lahore_zone):
    form = make_form(registration_data, zones=[karachi_zone.slug, str(lahore_zone.pk)])
    assert form.is_valid(), form.errors
    assert set(form.cleaned_data["zones"]) == {karachi_zone, lahore_zone}


def test_sector_may_be_named_by_id(registration_data, software):
    form = make_form(registration_data, sector=str(software.pk))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["sector"] == software


def test_amounts_are_read_as_people_write_them(registration_data):
    form = make_form(
        registration_data, planned_investment_usd="US$ 1,500,000.50", planned_jobs="1 200"
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["planned_investment_usd"] == Decimal("1500000.50")
    assert form.cleaned_data["planned_jobs"] == 1200


def test_optional_fields_may_be_left_empty(registration_data):
    optional = ("sector", "website", "contact_phone", "planned_investment_usd", "planned_jobs")
    form = make_form(registration_data, message="", **dict.fromkeys(optional, ""))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["planned_investment_usd"] is None
    assert form.cleaned_data["sector"] is None


def test_website_without_a_scheme_is_taken_as_https(registration_data):
    form = make_form(registration_data, website="acme.example")
    assert form.is_valid()
    assert form.cleaned_data["website"] == "https://acme.example"


def test_names_have_runs_of_spaces_collapsed(registration_data):
    form = make_form(registration_data, company_name="  Acme    Ltd ", contact_name="Ayesha   Khan")
    assert form.is_valid()
    assert form.cleaned_data["company_name"] == "Acme Ltd"
    assert form.cleaned_data["contact_name"] == "Ayesha Khan"


def test_a_filled_honeypot_is_refused(registration_data):
    form = make_form(registration_data, homepage="http://spam.example")
    assert form.has_error("homepage", "honeypot")


def test_error_summary_links_each_error_to_its_field(registration_data):
    form = make_form(registration_data, contact_email="nope", origin="", zones=[])
    assert not form.is_valid()
    anchors = [anchor for anchor, _text in form.error_summary()]
    # In the page's order; radio and checkbox groups link to their first option.
    assert anchors == ["id_origin_0", "id_contact_email", "id_zones_0"]
    assert "Email address: Enter an email address" in form.error_summary()[1][1]


def test_every_field_has_a_length_bound():
    form = InterestRegistrationForm()
    for name in ("company_name", "website", "contact_name", "contact_email", "contact_phone"):
        assert form.fields[name].max_length, name
    assert form.fields["message"].widget.attrs["maxlength"] == 5000
    assert form.fields["planned_investment_usd"].max_digits == 18
