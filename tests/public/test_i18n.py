"""English and Urdu on the public site (issue 16, ADR 0705).

The language comes from the `django_language` cookie that the switch on every page sets
through Django's set_language, or from Accept-Language; English whenever nothing asks for
Urdu. The URLs never change.
"""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from companies.choices import Origin, RegistrationStatus
from companies.models import InterestRegistration
from enterprises.choices import LicenceStatus
from investments.choices import PledgeStatus
from notifications.models import Notification
from tests.public.conftest import fresh_form_token
from zones.choices import ZoneStatus

PROJECT = Path(__file__).resolve().parents[2]
PO_FILE = PROJECT / "locale" / "ur" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")

URDU_LETTERS = re.compile(r"[\u0600-\u06FF]")
PUBLIC_PAGES = ["/", "/zones/", "/zones/karachi-technology-zone/", "/register/"]


@pytest.fixture
def urdu_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ur"
    return client


def html_tag(html):
    return re.search(r"<html[^>]*>", html).group(0)


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_english_is_the_default(client, karachi_zone, url):
    response = client.get(url)
    assert response.status_code == 200
    assert html_tag(response.text) == '<html lang="en-GB" dir="ltr">'
    assert "Technology Zones Authority" in response.text
    assert "ٹیکنالوجی زونز اتھارٹی" not in response.text


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_the_language_cookie_gives_urdu_right_to_left(urdu_client, karachi_zone, url):
    response = urdu_client.get(url)
    assert response.status_code == 200
    assert html_tag(response.text) == '<html lang="ur" dir="rtl">'
    assert "ٹیکنالوجی زونز اتھارٹی" in response.text
    assert response["Content-Language"] == "ur"


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_accept_language_gives_urdu(client, karachi_zone, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="ur-PK,ur;q=0.9,en;q=0.5")
    assert html_tag(response.text) == '<html lang="ur" dir="rtl">'
    assert "Accept-Language" in response["Vary"]


def test_an_unsupported_language_falls_back_to_english(client, karachi_zone):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,de;q=0.8")
    assert html_tag(response.text) == '<html lang="en-GB" dir="ltr">'


def test_urdu_pages_carry_urdu_text(urdu_client, karachi_zone):
    home = urdu_client.get("/").text
    assert "پاکستان کے ٹیکنالوجی زونز میں اپنا کاروبار قائم کریں" in home
    zones = urdu_client.get("/zones/").text
    assert "زون چھانٹیں" in zones
    # The enums' labels are translated on the page (ZoneStatus "Under development").
    assert "زیرِ تعمیر" in zones
    zone = urdu_client.get(karachi_zone.get_absolute_url()).text
    assert "مراعات" in zone
    assert "اس زون میں دلچسپی درج کریں" in zone
    # Data stays as staff typed it.
    assert "Karachi Technology Zone" in zone
    form = urdu_client.get("/register/").text
    assert "کمپنی کا نام" in form
    assert "رجسٹریشن بھیجیں" in form


def test_every_page_has_a_language_switch_to_set_language(client, karachi_zone):
    html = client.get("/zones/").text
    form = re.search(r'<form class="language-switch"[^>]*>.*?</form>', html, re.S).group(0)
    assert f'action="{reverse("set_language")}"' in form
    assert 'method="post"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert '<input type="hidden" name="next" value="/zones/">' in form
    assert 'name="language" value="en"' in form
    assert 'name="language" value="ur"' in form
    assert "اردو" in form


def test_the_switch_comes_back_to_the_same_page_in_the_chosen_language(client, karachi_zone):
    page = karachi_zone.get_absolute_url()
    response = client.post(reverse("set_language"), {"language": "ur", "next": page})
    assert response.status_code == 302
    assert response["Location"] == page
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ur"
    assert html_tag(client.get(page).text) == '<html lang="ur" dir="rtl">'

    back = client.post(reverse("set_language"), {"language": "en", "next": page})
    assert back["Location"] == page
    assert html_tag(client.get(page).text) == '<html lang="en-GB" dir="ltr">'


def test_the_switch_refuses_to_send_a_visitor_elsewhere(client, db):
    response = client.post(
        reverse("set_language"), {"language": "ur", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_form_errors_are_in_urdu(urdu_client, karachi_zone):
    response = urdu_client.post("/register/", {"form_token": fresh_form_token(urdu_client)})
    assert response.status_code == 200
    html = response.text
    assert "آپ کے جوابات میں کچھ مسائل ہیں" in html
    assert "اپنی کمپنی کا نام درج کریں۔" in html
    assert "کم از کم ایک زون منتخب کریں۔" in html
    assert "رازداری کے نوٹس سے اتفاق کے لیے خانے پر نشان لگائیں" in html
    assert "Enter your company’s name." not in html


def test_a_rule_from_the_service_is_in_urdu(urdu_client, registration_data, settings):
    settings.PROGRAMME_COUNTRY = "PK"
    data = {**registration_data, "origin": "domestic", "country": "GB"}
    data["form_token"] = fresh_form_token(urdu_client)
    html = urdu_client.post("/register/", data).text
    assert "ملکی کمپنی" in html
    assert not InterestRegistration.objects.exists()


def test_a_valid_submission_in_urdu_is_registered(urdu_client, registration_data):
    data = {**registration_data, "form_token": fresh_form_token(urdu_client)}
    response = urdu_client.post("/register/", data, follow=True)
    assert response.status_code == 200
    registration = InterestRegistration.objects.get()
    assert registration.company.name == "Acme Ltd"
    assert registration.planned_jobs == 120
    html = response.text
    assert "رجسٹریشن موصول ہو گئی" in html
    assert registration.reference in html
    assert html_tag(html) == '<html lang="ur" dir="rtl">'


def test_the_api_and_the_admin_stay_english(client, karachi_zone):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ur"
    api = client.get("/api/v1/zones/", HTTP_ACCEPT_LANGUAGE="ur")
    assert api.status_code == 200
    assert "Accept-Language" not in api.get("Vary", "")
    login = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="ur")
    assert 'lang="en-gb"' in login.text.lower()


def test_english_and_urdu_pages_are_never_cached_for_each_other(client, karachi_zone):
    """A shared cache keys public pages by language: both Vary headers are on every page."""
    response = client.get("/")
    vary = {part.strip() for part in response["Vary"].split(",")}
    assert {"Accept-Language", "Cookie"} <= vary


# --- The catalogue ---------------------------------------------------------------------


def _po_entries(text):
    """{msgctxt?, msgid, msgid_plural?, msgstr or msgstr[n], fuzzy} per entry, obsolete skipped."""

    def unquote(line):
        return line[line.index('"') + 1 : line.rindex('"')].encode().decode("unicode_escape")

    entries, current, key = [], None, None
    for raw in [*text.splitlines(), ""]:
        line = raw.strip()
        if not line:
            if current and "msgid" in current:
                entries.append(current)
            current = None
            continue
        if current is None:
            current = {"fuzzy": False}
        if line.startswith("#"):
            if line.startswith("#,") and "fuzzy" in line:
                current["fuzzy"] = True
            continue
        if not line.startswith('"'):
            key = line.split(" ", 1)[0]
            current[key] = ""
        current[key] += unquote(line)

    def utf8(value):
        return value.encode("latin-1").decode("utf-8") if isinstance(value, str) else value

    return [
        {key: utf8(value) for key, value in entry.items()} for entry in entries if entry["msgid"]
    ]


def test_the_committed_mo_matches_the_po():
    """CI may lack gettext, so the compiled catalogue is committed: it must be up to date."""
    catalogue = gettext.GNUTranslations(MO_FILE.open("rb"))
    entries = _po_entries(PO_FILE.read_text(encoding="utf-8"))
    assert len(entries) > 250
    for entry in entries:
        msgid = entry["msgid"]
        if "msgctxt" in entry:
            msgid = f"{entry['msgctxt']}\x04{msgid}"
        if entry["fuzzy"]:  # not compiled: the English shows
            assert catalogue.gettext(msgid) == msgid, f"fuzzy in .po but compiled: {msgid}"
        elif "msgid_plural" in entry:
            for n, form in ((1, "msgstr[0]"), (2, "msgstr[1]")):
                if entry[form]:
                    got = catalogue.ngettext(msgid, entry["msgid_plural"], n)
                    assert got == entry[form], msgid
        elif entry["msgstr"]:
            assert catalogue.gettext(msgid) == entry["msgstr"], msgid
        else:
            assert catalogue.gettext(msgid) == msgid, f"untranslated in .po but not in .mo: {msgid}"


PUBLIC_SOURCES = re.compile(
    r"templates/(public/|base\.html|40\d|41\d|42\d|50\d)|companies/(forms|rules|views)\.py"
    r"|zones_project/i18n_(labels|countries)\.py|core/views\.py|programme/open_data\.py"
)


def test_every_string_of_the_public_site_has_an_urdu_translation():
    text = PO_FILE.read_text(encoding="utf-8")
    untranslated = []
    for block in text.split("\n\n"):
        references = " ".join(line for line in block.splitlines() if line.startswith("#:"))
        if not PUBLIC_SOURCES.search(references) or block.lstrip().startswith("#~"):
            continue
        for entry in _po_entries(block):
            values = [value for key, value in entry.items() if key.startswith("msgstr")]
            if entry["fuzzy"] or not all(values):
                untranslated.append(entry["msgid"])
    assert untranslated == []


def test_translations_keep_their_placeholders():
    placeholder = re.compile(r"%\(\w+\)s|\{\w+\}|%%")
    for entry in _po_entries(PO_FILE.read_text(encoding="utf-8")):
        for key, value in entry.items():
            if key.startswith("msgstr") and value:
                source = entry["msgid_plural"] if key == "msgstr[1]" else entry["msgid"]
                assert sorted(placeholder.findall(value)) == sorted(placeholder.findall(source)), (
                    entry["msgid"]
                )


@pytest.mark.parametrize(
    "enum", [ZoneStatus, Origin, RegistrationStatus, PledgeStatus, LicenceStatus]
)
def test_every_label_the_public_pages_show_is_in_the_catalogue(enum):
    catalogue = gettext.GNUTranslations(MO_FILE.open("rb"))
    for label in enum.labels:
        assert catalogue.gettext(label) != label, f"{enum.__name__}: {label!r} has no Urdu"


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/privacy/", "رازداری کا نوٹس"),
        ("/accessibility/", "رسائی کا بیان"),
        ("/contact/", "ہم سے رابطہ کریں"),
        ("/data/", "اوپن ڈیٹا"),
    ],
)
def test_the_trust_pages_are_in_urdu(urdu_client, db, url, heading):
    html = urdu_client.get(url).text
    assert html_tag(html) == '<html lang="ur" dir="rtl">'
    assert f"<h1>{heading}</h1>" in html


def test_error_pages_follow_the_language(urdu_client, db):
    response = urdu_client.get("/zones/no-such-zone/")
    assert response.status_code == 404
    assert "ہمیں یہ صفحہ نہیں ملا" in response.text


@pytest.mark.parametrize("template", ["500.html", "503.html"])
def test_the_last_resort_pages_render_in_urdu_without_a_request(template):
    with translation.override("ur"):
        html = render_to_string(template, {"message": ""})
    assert html_tag(html) == '<html lang="ur" dir="rtl">'
    assert "ٹیکنالوجی زونز اتھارٹی" in html
    with translation.override("en"):
        english = render_to_string(template, {"message": ""})
    assert html_tag(english) == '<html lang="en-GB" dir="ltr">'


def test_the_acknowledgement_is_written_in_the_language_of_the_form(urdu_client, registration_data):
    data = {**registration_data, "form_token": fresh_form_token(urdu_client)}
    urdu_client.post("/register/", data)
    registration = InterestRegistration.objects.get()
    acknowledgement = Notification.objects.get(event="registration_received")
    assert acknowledgement.subject == f"آپ کی دلچسپی کی رجسٹریشن {registration.reference}"
    assert "ٹیکنالوجی زونز اتھارٹی" in acknowledgement.body_text
    assert 'lang="ur" dir="rtl"' in acknowledgement.body_html
    # Staff are told in English.
    staff = Notification.objects.get(event="registration_received_staff")
    assert not URDU_LETTERS.search(staff.subject)


def test_the_acknowledgement_of_an_english_registration_stays_english(client, registration_data):
    data = {**registration_data, "form_token": fresh_form_token(client)}
    client.post("/register/", data)
    acknowledgement = Notification.objects.get(event="registration_received")
    assert acknowledgement.subject.startswith("Your interest registration TZR-")
    assert not URDU_LETTERS.search(acknowledgement.body_html)
