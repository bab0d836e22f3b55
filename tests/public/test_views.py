"""The public pages as a visitor sees them: figures, catalogue, zone pages, errors, escaping."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.views.defaults import server_error

from companies.models import Company
from tests.factories import (
    CompanyFactory,
    ContactFactory,
    InterestRegistrationFactory,
    PledgeFactory,
    SectorFactory,
    TargetFactory,
    ZoneFactory,
    ZoneStatusChangeFactory,
)

pytestmark = pytest.mark.django_db

SCRIPT_NAME = "<script>alert(1)</script>"
ESCAPED_SCRIPT_NAME = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture
def programme(karachi_zone, lahore_zone):
    """Two zones, three companies (two domestic, one global) and $600m pledged of $1.5bn."""
    ZoneFactory(status="operational", province="Islamabad Capital Territory")
    ZoneFactory(status="cancelled")
    acme = CompanyFactory(name="Acme Ltd", origin="global", country="GB")
    PledgeFactory(company=acme, zone=karachi_zone, amount=Decimal("500000000"))
    PledgeFactory(zone=karachi_zone, amount=Decimal("100000000"))
    PledgeFactory(zone=lahore_zone, amount=Decimal("999"), status="cancelled")
    TargetFactory(name="Private investment pledged", target_value=Decimal("1500000000"))
    TargetFactory(name="Zones operational", metric="zones_operational", target_value=12)
    return {"acme": acme}


# Home ---------------------------------------------------------------------------------------


def test_home_shows_the_headline_figures(client, programme):
    response = client.get("/")
    html = response.text

    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary.zone_count == 4
    assert summary.zones_by_status["operational"] == 1
    assert summary.companies_by_origin == {"domestic": 2, "global": 1}
    assert summary.pledged_usd == Decimal("600000000")
    assert "US$600.0 million" in html
    assert "40.0% of the US$1.5 billion target" in html
    assert "Zones operational" in html  # the other targets are listed too


def test_home_draws_its_charts_inline_without_external_assets(client, programme):
    ZoneFactory(status="approved")  # two approved zones, the largest group
    html = client.get("/").text
    assert "<svg" in html
    # One bar per zone status, scaled to the largest group.
    bars = dict(re.findall(r'class="bar-fill status-(\w+)" width="([\d.]+)%"', html))
    assert float(bars["approved"]) == 100.0
    assert float(bars["operational"]) == 50.0
    assert float(bars["suspended"]) == 0.0
    assert not re.search(r'(src|href)="(https?:)?//', html.split("<footer")[0])


def test_home_works_with_an_empty_registry(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "No zones have been announced yet." in response.text
    assert "No investment target has been set yet." in response.text


def test_home_query_count_does_not_grow_with_zones(
    client, programme, django_assert_max_num_queries
):
    for _ in range(10):
        zone = ZoneFactory()
        zone.sectors.add(SectorFactory())
        PledgeFactory(zone=zone)
    # summary (zones, statuses, origins, registrations ×2, pledges ×2, targets + one per
    # target), the targets' Urdu names and the featured zones with their sectors
    with django_assert_max_num_queries(13):
        response = client.get("/")
    assert response.status_code == 200


# Zone list ----------------------------------------------------------------------------------


def test_zone_list_shows_every_zone(client, programme):
    response = client.get("/zones/")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 4
    assert "Karachi Technology Zone" in response.text


def test_zone_list_filters_by_province(client, karachi_zone, lahore_zone):
    response = client.get("/zones/", {"province": "punjab"})
    assert [zone.name for zone in response.context["page"]] == ["Lahore Technology Park"]
    assert '<option value="Punjab" selected>' in response.text


def test_zone_list_filters_by_one_or_more_statuses(client, karachi_zone, lahore_zone):
    ZoneFactory(name="Gwadar Zone", status="operational")
    both = client.get("/zones/", {"status": ["under_development", "operational"]})
    assert {zone.name for zone in both.context["page"]} == {
        "Karachi Technology Zone",
        "Gwadar Zone",
    }


def test_zone_list_filters_by_sector_without_repeating_zones(client, karachi_zone, software):
    karachi_zone.sectors.add(SectorFactory(slug="fintech"))
    ZoneFactory(name="Other Zone")
    response = client.get("/zones/", {"sector": software.slug})
    assert [zone.name for zone in response.context["page"]] == ["Karachi Technology Zone"]


@pytest.mark.parametrize(
    "query",
    [
        {"status": "bogus"},
        {"province": "\x00"},
        {"page": "999"},
        {"page": "-1"},
        {"q": "x" * 5000},
        {"sector_id": "not-a-number"},
    ],
)
def test_zone_list_survives_odd_queries(client, karachi_zone, query):
    response = client.get("/zones/", query)
    assert response.status_code == 200


def test_zone_list_reports_filters_it_could_not_use(client, karachi_zone):
    response = client.get("/zones/", {"status": "bogus"})
    assert "Some filters were not understood" in response.text


def test_zone_list_paginates_and_keeps_the_filters(client, db):
    for number in range(15):
        ZoneFactory(name=f"Zone {number:02}", province="Sindh")
    response = client.get("/zones/", {"province": "Sindh", "page": 2})
    assert len(response.context["page"]) == 3
    assert "?province=Sindh&amp;page=1" in response.text


def test_zone_list_query_count(client, db, django_assert_max_num_queries):
    sectors = SectorFactory.create_batch(3)
    for _ in range(12):
        ZoneFactory().sectors.set(sectors)
    # count, page of zones, their sectors, provinces, sectors for the filter
    with django_assert_max_num_queries(5):
        response = client.get("/zones/", {"status": "approved"})
    assert len(response.context["page"]) == 12


# Zone detail --------------------------------------------------------------------------------


def test_zone_page_shows_what_a_company_needs_to_decide(client, karachi_zone, programme):
    ZoneStatusChangeFactory(
        zone=karachi_zone, status="approved", changed_on=datetime.date(2025, 3, 1)
    )
    ZoneStatusChangeFactory(
        zone=karachi_zone,
        status="under_development",
        changed_on=datetime.date(2025, 9, 1),
        note="Ground broken",
    )
    response = client.get(karachi_zone.get_absolute_url())
    html = response.text

    assert response.status_code == 200
    assert karachi_zone.developer.name in html
    assert "Karachi, Sindh, Pakistan" in html
    assert "50 hectares" in html
    assert "Software" in html
    assert "Corporate-tax waiver" in html and "10 years" in html
    assert html.index("1 March 2025") < html.index("1 September 2025")
    assert "Ground broken" in html
    assert "US$600.0 million" in html  # the cancelled pledge elsewhere does not count
    assert "Acme Ltd" in html
    assert 'href="/register/?zone=karachi-technology-zone"' in html


def test_a_busy_zone_lists_its_largest_pledges_and_says_how_many_there_are(client):
    zone = ZoneFactory()
    for amount in range(1, 31):
        PledgeFactory(zone=zone, amount=Decimal(amount * 1000))

    html = client.get(zone.get_absolute_url()).text

    rows = re.findall(r'data-label="Amount \(USD\)"><span class="nowrap">([\d,]+)</span>', html)
    assert rows[0] == "30,000" and rows[-1] == "6,000" and len(rows) == 25
    assert "The 25 largest of 30 pledges." in html


def test_a_cancelled_zone_offers_no_registration(client):
    zone = ZoneFactory(status="cancelled")
    html = client.get(zone.get_absolute_url()).text
    assert "/register/?zone=" not in html
    assert "no longer takes registrations" in html


def test_unknown_zone_is_a_helpful_404(client, db):
    response = client.get("/zones/no-such-zone/")
    assert response.status_code == 404
    assert "We can’t find that page" in response.text
    assert 'action="/zones/"' in response.text


def test_zone_page_query_count(client, karachi_zone, django_assert_max_num_queries):
    for number in range(5):
        ZoneStatusChangeFactory(zone=karachi_zone, changed_on=datetime.date(2025, 1, number + 1))
        PledgeFactory(zone=karachi_zone)
    # zone with totals, sectors, incentives, status changes, pledges, interested companies,
    # licences by status, plots (the register is read only when the zone has licences)
    with django_assert_max_num_queries(8):
        response = client.get(karachi_zone.get_absolute_url())
    assert response.status_code == 200


# Errors -------------------------------------------------------------------------------------


def test_unknown_address_is_a_helpful_404(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "register interest" in response.text


def test_the_500_page_renders_without_a_request_or_database(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    assert b"Sorry, something went wrong on our side" in response.content


# Escaping and personal data -----------------------------------------------------------------


@pytest.fixture
def script_company(karachi_zone):
    company = CompanyFactory(name=SCRIPT_NAME)
    PledgeFactory(company=company, zone=karachi_zone)
    return company


def assert_shown_as_text(response):
    assert response.status_code == 200
    assert SCRIPT_NAME not in response.text
    assert ESCAPED_SCRIPT_NAME in response.text


def test_a_script_company_name_is_text_on_the_zone_page(client, karachi_zone, script_company):
    assert_shown_as_text(client.get(karachi_zone.get_absolute_url()))


def test_a_script_company_name_is_text_on_the_status_page(client, script_company):
    registration = InterestRegistrationFactory(company=script_company)
    assert_shown_as_text(client.get(registration.get_absolute_url()))


def test_a_script_company_name_is_text_on_the_confirmation_and_form(
    client, submit, registration_data
):
    response = submit({**registration_data, "company_name": SCRIPT_NAME})
    assert response.status_code == 302
    assert_shown_as_text(client.get("/register/done/"))
    # Redisplayed after an error, the typed name is escaped too.
    again = submit({**registration_data, "company_name": SCRIPT_NAME, "contact_email": "x"})
    assert_shown_as_text(again)


def test_a_script_company_name_is_text_in_the_admin(client, script_company, staff_user):
    if not admin.site.is_registered(Company):
        pytest.skip("companies.Company is not registered in the admin yet")
    client.force_login(staff_user)
    assert_shown_as_text(client.get("/admin/companies/company/"))


def test_contact_personal_data_never_appears_on_public_pages(client, karachi_zone):
    contact = ContactFactory(
        name="Private Person", email="private@person.example", phone="+92 300 7654321"
    )
    registration = InterestRegistrationFactory(
        company=contact.company, contact=contact, zones=[karachi_zone]
    )
    PledgeFactory(company=contact.company, zone=karachi_zone)
    pages = ["/", "/zones/", karachi_zone.get_absolute_url(), registration.get_absolute_url()]
    for url in pages:
        html = client.get(url).text
        for personal in ("Private Person", "private@person.example", "7654321"):
            assert personal not in html, (url, personal)


def test_pages_are_keyboard_and_screen_reader_friendly(client, karachi_zone):
    html = client.get("/register/").text
    assert 'class="skip-link" href="#main"' in html
    assert '<html lang="en-GB" dir="ltr">' in html
    # Every visible input has a label.
    for input_id in re.findall(r'<(?:input|select|textarea)[^>]*\bid="(id_[a-z_]+)"', html):
        if input_id.startswith(("id_zones_", "id_origin_")):
            continue
        assert f'for="{input_id}"' in html, input_id
    assert 'aria-current="page"' in html
