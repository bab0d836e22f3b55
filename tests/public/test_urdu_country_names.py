"""Country names for Urdu readers: django-countries has no Urdu, the project's catalogue does."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django_countries import countries

from zones_project.i18n_countries import URDU_COUNTRIES

pytestmark = pytest.mark.django_db

DEMO_AND_DATA_COUNTRIES = [
    *("PK", "CN", "AE", "SA", "US", "GB", "DE", "CA", "CH", "SE", "SG"),
    *("ID", "JP", "KR", "MY", "NL", "TR"),
]
OPTION = re.compile(r'<option value="([A-Z]{2})"[^>]*>([^<]+)</option>')


@pytest.fixture
def urdu_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ur"
    return client


def test_every_listed_country_has_its_urdu_name():
    assert set(DEMO_AND_DATA_COUNTRIES) <= set(URDU_COUNTRIES)
    for code in URDU_COUNTRIES:
        with translation.override("en"):
            english = str(countries.name(code))
        assert english, f"{code} is not a django-countries code"
        with translation.override("ur"):
            urdu = str(countries.name(code))
        assert urdu != english and re.search(r"[\u0600-\u06FF]", urdu), code


def test_the_form_offers_urdu_country_names_first_to_urdu_readers(urdu_client, karachi_zone):
    options = OPTION.findall(urdu_client.get("/register/").text)
    names = dict(options)
    assert names["PK"] == "پاکستان" and names["GB"] == "برطانیہ"
    # The Urdu names lead, the countries still in English follow; every country is there.
    codes = [code for code, _ in options]
    assert set(codes[: len(URDU_COUNTRIES)]) == set(URDU_COUNTRIES)
    assert names["FJ"] == "Fiji"
    assert len(codes) == len(countries)


def test_english_readers_keep_the_english_names_in_their_order(client, karachi_zone):
    options = OPTION.findall(client.get("/register/").text)
    assert dict(options)["PK"] == "Pakistan"
    assert [code for code, _ in options] == [country.code for country in countries]


def test_the_zone_page_names_the_country_in_urdu(urdu_client, karachi_zone):
    assert ", پاکستان" in urdu_client.get(karachi_zone.get_absolute_url()).text
    assert ", Pakistan" in Client().get(karachi_zone.get_absolute_url()).text


def test_an_urdu_registration_stores_the_code_not_the_name(urdu_client, registration_data):
    from companies.models import Company
    from tests.public.conftest import fresh_form_token

    registration_data["country"] = "PK"
    registration_data["origin"] = "domestic"
    registration_data["form_token"] = fresh_form_token(urdu_client)
    assert urdu_client.post("/register/", registration_data).status_code == 302
    assert Company.objects.get().country.code == "PK"
