"""A zone's Urdu name and description, entered by staff, on the Urdu public site."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import TargetFactory, ZoneFactory

pytestmark = pytest.mark.django_db

URDU_NAME = "کراچی ٹیکنالوجی زون"
URDU_TEXT = "کراچی میں سافٹ ویئر کمپنیوں کے لیے زون۔"


@pytest.fixture
def zone(karachi_zone):
    karachi_zone.description = "A zone for software firms in Karachi."
    karachi_zone.name_ur = URDU_NAME
    karachi_zone.description_ur = URDU_TEXT
    karachi_zone.save()
    return karachi_zone


@pytest.fixture
def urdu_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ur"
    return client


@pytest.mark.parametrize("url", ["/", "/zones/", "/zones/karachi-technology-zone/", "/register/"])
def test_urdu_readers_see_the_urdu_name(urdu_client, zone, url):
    urdu = urdu_client.get(url).text
    assert URDU_NAME in urdu
    english = Client().get(url).text
    assert URDU_NAME not in english and "Karachi Technology Zone" in english


def test_the_zone_page_in_urdu_has_the_urdu_description_and_title(urdu_client, zone):
    page = urdu_client.get(zone.get_absolute_url()).text
    assert URDU_TEXT in page and "A zone for software firms" not in page
    assert f"<h1>{URDU_NAME}</h1>" in page
    assert f"<title>{URDU_NAME}" in page


def test_a_zone_without_an_urdu_name_keeps_its_english_one(urdu_client, karachi_zone):
    other = ZoneFactory(name="Hyderabad Software Park", slug="hyderabad", description="Near HQ")
    page = urdu_client.get(other.get_absolute_url()).text
    assert "<h1>Hyderabad Software Park</h1>" in page and "Near HQ" in page
    assert "Hyderabad Software Park" in urdu_client.get("/zones/").text


def test_the_urdu_name_is_escaped(urdu_client, zone):
    zone.name_ur = "<script>alert(1)</script>"
    zone.save()
    page = urdu_client.get("/zones/").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_zone_list_costs_the_same_with_urdu_names(
    urdu_client, zone, django_assert_max_num_queries
):
    from tests.admin.test_admin import query_count

    few = query_count(urdu_client, "/zones/")
    for n in range(10):
        ZoneFactory(name_ur=f"زون {n}", slug=f"zone-{n}")
    with django_assert_max_num_queries(few):
        urdu_client.get("/zones/")


def test_staff_enter_the_urdu_name_in_the_admin(client, staff_user, zone):
    client.force_login(staff_user)
    page = client.get(reverse("admin:zones_zone_change", args=(zone.pk,))).text
    assert "Urdu (public site)" in page
    assert 'name="name_ur"' in page and 'name="description_ur"' in page


# --- Incentives: the same two fields, the same fallback -----------------------------------------

URDU_INCENTIVE = "کارپوریٹ ٹیکس سے استثنا"
URDU_INCENTIVE_TEXT = "دس سال تک کارپوریٹ ٹیکس نہیں۔"


@pytest.fixture
def incentive(karachi_zone):
    incentive = karachi_zone.incentives.get(name="Corporate-tax waiver")
    incentive.description = "No corporate tax for ten years."
    incentive.name_ur = URDU_INCENTIVE
    incentive.description_ur = URDU_INCENTIVE_TEXT
    incentive.save()
    return incentive


def test_urdu_readers_see_the_incentives_urdu_name_and_description(urdu_client, incentive):
    page = urdu_client.get("/zones/karachi-technology-zone/").text
    assert f"<strong>{URDU_INCENTIVE}</strong>" in page and URDU_INCENTIVE_TEXT in page
    assert "Corporate-tax waiver" not in page and "No corporate tax" not in page
    english = Client().get("/zones/karachi-technology-zone/").text
    assert "<strong>Corporate-tax waiver</strong>" in english
    assert "No corporate tax for ten years." in english and URDU_INCENTIVE not in english


def test_an_incentive_without_urdu_keeps_its_english(urdu_client, incentive):
    page = urdu_client.get("/zones/karachi-technology-zone/").text
    assert "<strong>Customs-duty exemption</strong>" in page


def test_an_urdu_description_alone_is_shown_under_the_english_name(urdu_client, incentive):
    incentive.name_ur = ""
    incentive.save()
    page = urdu_client.get("/zones/karachi-technology-zone/").text
    assert "<strong>Corporate-tax waiver</strong>" in page and URDU_INCENTIVE_TEXT in page


def test_staff_enter_the_incentives_urdu_in_the_admin(client, staff_user, incentive):
    client.force_login(staff_user)
    page = client.get(reverse("admin:zones_incentive_change", args=(incentive.pk,))).text
    assert "Urdu (public site)" in page
    assert 'name="name_ur"' in page and 'name="description_ur"' in page


def test_the_api_keeps_the_incentives_shape(client, incentive):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ur"
    response = client.get(f"/api/v1/incentives/{incentive.slug}/")
    assert response.status_code == 200
    item = response.json()
    assert item["name"] == "Corporate-tax waiver"
    assert "name_ur" not in item and "description_ur" not in item


# --- Targets on the home page: an Urdu name, the same fallback ----------------------------------


@pytest.fixture
def targets(db):
    return (
        TargetFactory(name="Private investment pledged", name_ur="نجی سرمایہ کاری کے وعدے کا ہدف"),
        TargetFactory(
            name="Zones operational",
            name_ur="فعال زونز کا ہدف",
            metric="zones_operational",
            target_value=12,
        ),
        TargetFactory(name="IT exports", metric="it_exports_usd", target_value=1000),
    )


def test_urdu_readers_see_the_targets_urdu_names(urdu_client, targets):
    page = urdu_client.get("/").text
    assert "نجی سرمایہ کاری کے وعدے کا ہدف:" in page
    assert "<strong>فعال زونز کا ہدف</strong>" in page
    assert "<strong>IT exports</strong>" in page  # no Urdu entered: the English
    english = Client().get("/").text
    assert "Private investment pledged:" in english
    assert "<strong>Zones operational</strong>" in english and "فعال زونز کا ہدف" not in english


def test_the_api_report_keeps_the_english_target_names(client, targets):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ur"
    body = client.get("/api/v1/reports/investment/").json()
    names = {target["name"] for target in body["targets"]}
    assert "Private investment pledged" in names
    assert not any("name_ur" in target for target in body["targets"])


def test_staff_enter_the_targets_urdu_name_in_the_admin(client, staff_user, targets):
    client.force_login(staff_user)
    page = client.get(reverse("admin:investments_target_change", args=(targets[0].pk,))).text
    assert "Urdu (public site)" in page and 'name="name_ur"' in page
