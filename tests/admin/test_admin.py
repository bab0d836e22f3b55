"""The admin's changelists, change forms and dashboard, driven through the real views."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from companies.models import InterestRegistration
from investments.models import Pledge
from investments.services import disbursement_record
from tests.factories import (
    CompanyFactory,
    ExchangeRateFactory,
    InterestRegistrationFactory,
    PledgeFactory,
    TargetFactory,
    ZoneDeveloperFactory,
    ZoneFactory,
)
from zones.models import Zone, ZoneStatusChange
from zones.services import zone_change_status

pytestmark = pytest.mark.django_db


def query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def zones_with_pledges(n):
    for _ in range(n):
        zone = ZoneFactory()
        PledgeFactory(zone=zone, company=CompanyFactory())


def companies_with_pledges(n):
    for _ in range(n):
        PledgeFactory(company=CompanyFactory())


def registrations(n):
    for _ in range(n):
        InterestRegistrationFactory()


@pytest.mark.parametrize(
    ("url_name", "make_rows", "ceiling"),
    [
        ("admin:zones_zone_changelist", zones_with_pledges, 14),
        ("admin:companies_company_changelist", companies_with_pledges, 14),
        ("admin:investments_pledge_changelist", companies_with_pledges, 14),
        ("admin:companies_interestregistration_changelist", registrations, 14),
        ("admin:zones_zonedeveloper_changelist", zones_with_pledges, 12),
    ],
)
def test_changelist_costs_the_same_for_3_and_30_rows(
    client, staff_user, django_assert_max_num_queries, url_name, make_rows, ceiling
):
    client.force_login(staff_user)
    url = reverse(url_name)
    make_rows(3)
    with django_assert_max_num_queries(ceiling):
        few = query_count(client, url)
    make_rows(27)
    with django_assert_max_num_queries(ceiling):
        many = query_count(client, url)
    assert few == many


def test_zone_changelist_shows_pledged_and_realised_totals_from_the_queryset(client, staff_user):
    zone = ZoneFactory(name="Karachi Tech Zone")
    pledge = PledgeFactory(zone=zone, amount=Decimal("2000000.00"))
    PledgeFactory(zone=zone, amount=Decimal("500000.00"), status="cancelled")
    disbursement_record(
        pledge=pledge, amount=Decimal("250000.00"), disbursed_on=datetime.date(2026, 6, 1)
    )
    client.force_login(staff_user)
    response = client.get(reverse("admin:zones_zone_changelist"))
    content = response.content.decode()
    assert "2,000,000" in content  # the cancelled pledge is left out
    assert "250,000" in content


def test_adding_a_zone_records_its_first_status_step(client, staff_user):
    developer = ZoneDeveloperFactory()
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:zones_zone_add"),
        {
            "name": "Lahore Software Park",
            "slug": "lahore-software-park",
            "developer": developer.pk,
            "city": "Lahore",
            "province": "Punjab",
            "country": "PK",
            "new_status": "approved",
            "status_changed_on": "2026-02-01",
            "status_note": "Approved by the board.",
            **empty_inlines(),
        },
    )
    assert response.status_code == 302, response.context["adminform"].errors
    zone = Zone.objects.get(slug="lahore-software-park")
    assert zone.status == "approved"
    step = zone.status_changes.get()
    assert (step.status, step.changed_on, step.changed_by) == (
        "approved",
        datetime.date(2026, 2, 1),
        staff_user,
    )


def empty_inlines():
    return {
        "status_changes-TOTAL_FORMS": "0",
        "status_changes-INITIAL_FORMS": "0",
        "pledges-TOTAL_FORMS": "0",
        "pledges-INITIAL_FORMS": "0",
    }


def zone_change_data(zone, **changes):
    data = {
        "name": zone.name,
        "slug": zone.slug,
        "developer": zone.developer_id,
        "city": zone.city,
        "province": zone.province,
        "country": str(zone.country),
        "new_status": "",
        "status_changed_on": "",
        "status_note": "",
        **empty_inlines(),
    }
    data.update(changes)
    return data


@pytest.fixture
def approved_zone():
    zone = ZoneFactory(status="proposed")
    zone_change_status(zone=zone, status="approved", changed_on=datetime.date(2026, 1, 15))
    return zone


def test_zone_status_change_in_the_admin_goes_through_the_service(
    client, staff_user, approved_zone
):
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:zones_zone_change", args=(approved_zone.pk,)),
        zone_change_data(
            approved_zone, new_status="under_development", status_changed_on="2026-03-01"
        ),
    )
    assert response.status_code == 302
    approved_zone.refresh_from_db()
    assert approved_zone.status == "under_development"
    assert list(approved_zone.status_changes.values_list("status", flat=True)) == [
        "approved",
        "under_development",
    ]


def test_zone_form_offers_only_the_allowed_next_statuses(client, staff_user, approved_zone):
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:zones_zone_change", args=(approved_zone.pk,)),
        zone_change_data(approved_zone, new_status="operational", status_changed_on="2026-03-01"),
    )
    assert response.status_code == 200
    assert "new_status" in response.context["adminform"].form.errors
    approved_zone.refresh_from_db()
    assert approved_zone.status == "approved"
    assert approved_zone.status_changes.count() == 1


def test_zone_status_step_cannot_be_dated_before_the_last_one(client, staff_user, approved_zone):
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:zones_zone_change", args=(approved_zone.pk,)),
        zone_change_data(
            approved_zone, new_status="under_development", status_changed_on="2025-12-31"
        ),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["status_changed_on"]
    assert "2026-01-15" in errors[0]
    assert ZoneStatusChange.objects.filter(zone=approved_zone).count() == 1


def test_editing_other_zone_fields_leaves_status_and_history_alone(
    client, staff_user, approved_zone
):
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:zones_zone_change", args=(approved_zone.pk,)),
        zone_change_data(approved_zone, city="Hyderabad", status="cancelled"),
    )
    assert response.status_code == 302
    approved_zone.refresh_from_db()
    assert (approved_zone.city, approved_zone.status) == ("Hyderabad", "approved")
    assert approved_zone.status_changes.count() == 1


def test_reverting_a_zone_to_an_old_version_keeps_the_current_status(
    client, staff_user, approved_zone
):
    old_version = approved_zone.history.earliest()
    zone_change_status(
        zone=approved_zone, status="under_development", changed_on=datetime.date(2026, 2, 1)
    )
    client.force_login(staff_user)
    url = reverse(
        "admin:zones_zone_simple_history", args=(approved_zone.pk, old_version.history_id)
    )
    assert client.get(url).status_code == 200
    response = client.post(url, zone_change_data(approved_zone, city="Sukkur"))
    assert response.status_code == 302
    approved_zone.refresh_from_db()
    assert (approved_zone.city, approved_zone.status) == ("Sukkur", "under_development")


def pledge_form(company, zone, **changes):
    data = {
        "company": company.pk,
        "zone": zone.pk,
        "amount": "2800000.00",
        "currency": "pkr",
        "pledged_on": "2026-03-01",
        "status": "announced",
        "description": "",
    }
    data.update(changes)
    return data


def test_pledge_added_in_the_admin_is_converted_to_usd_by_the_service(client, staff_user):
    ExchangeRateFactory(currency="PKR", rate_to_usd=Decimal("0.0035714286"))
    company, zone = CompanyFactory(), ZoneFactory()
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:investments_pledge_add"), pledge_form(company, zone, amount_usd="1")
    )
    assert response.status_code == 302
    pledge = Pledge.objects.get()
    assert (pledge.currency, pledge.amount_usd) == ("PKR", Decimal("10000.00"))


def test_pledge_in_a_currency_without_a_rate_is_refused_with_a_clear_error(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:investments_pledge_add"),
        pledge_form(CompanyFactory(), ZoneFactory(), currency="EUR"),
    )
    assert response.status_code == 200
    error = response.context["adminform"].form.errors["currency"][0]
    assert "No EUR exchange rate on or before 2026-03-01" in error
    assert not Pledge.objects.exists()


def test_pledge_currency_must_be_an_iso_code(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:investments_pledge_add"),
        pledge_form(CompanyFactory(), ZoneFactory(), currency="$$"),
    )
    assert response.status_code == 200
    assert "ISO 4217" in response.context["adminform"].form.errors["currency"][0]


def pledge_change_form(pledge, **changes):
    data = pledge_form(
        pledge.company,
        pledge.zone,
        amount=str(pledge.amount),
        currency=pledge.currency,
        pledged_on=pledge.pledged_on.isoformat(),
        status=pledge.status,
    )
    data.update(
        {
            "disbursements-TOTAL_FORMS": "0",
            "disbursements-INITIAL_FORMS": "0",
            "disbursements-2-TOTAL_FORMS": "1",
            "disbursements-2-INITIAL_FORMS": "0",
            "disbursements-2-0-disbursed_on": "",
            "disbursements-2-0-amount": "",
            "disbursements-2-0-note": "",
        }
    )
    data.update(changes)
    return data


def test_changing_a_pledge_amount_reconverts_to_usd(client, staff_user):
    pledge = PledgeFactory(amount=Decimal("1000.00"))
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:investments_pledge_change", args=(pledge.pk,)),
        pledge_change_form(pledge, amount="1500.00"),
    )
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert pledge.amount_usd == Decimal("1500.00")


def test_disbursement_recorded_in_the_admin_updates_the_pledge_totals(client, staff_user):
    pledge = PledgeFactory(amount=Decimal("1000.00"))
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:investments_pledge_change", args=(pledge.pk,)),
        pledge_change_form(
            pledge,
            **{"disbursements-2-0-disbursed_on": "2026-06-01", "disbursements-2-0-amount": "400"},
        ),
    )
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert (pledge.realized_amount, pledge.realized_usd) == (Decimal("400"), Decimal("400"))
    assert pledge.disbursements.count() == 1


def test_disbursement_above_what_remains_is_refused(client, staff_user):
    pledge = PledgeFactory(amount=Decimal("1000.00"))
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:investments_pledge_change", args=(pledge.pk,)),
        pledge_change_form(
            pledge,
            **{"disbursements-2-0-disbursed_on": "2026-06-01", "disbursements-2-0-amount": "1200"},
        ),
    )
    assert response.status_code == 200
    assert "Only 1,000.00 USD of this pledge remains" in response.content.decode()
    pledge.refresh_from_db()
    assert pledge.realized_amount == 0


def test_registration_entered_by_staff_is_marked_staff_channel_and_maker(client, staff_user):
    company = CompanyFactory()
    zone = ZoneFactory()
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:companies_interestregistration_add"),
        {
            "company": company.pk,
            "contact": "",
            "zones": [zone.pk],
            "planned_investment_usd": "500000",
            "planned_jobs": "20",
            "target_date": "",
            "message": "Entered from a phone call.",
        },
    )
    assert response.status_code == 302
    registration = InterestRegistration.objects.get()
    assert (registration.channel, registration.submitted_by, registration.status) == (
        "staff",
        staff_user,
        "received",
    )


def test_registration_contact_must_belong_to_the_company(client, staff_user):
    other = InterestRegistrationFactory()
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:companies_interestregistration_add"),
        {"company": CompanyFactory().pk, "contact": other.contact_id, "zones": [ZoneFactory().pk]},
    )
    assert response.status_code == 200
    assert "another company" in response.context["adminform"].form.errors["contact"][0]


def test_dashboard_shows_the_programme_summary(client, staff_user):
    ZoneFactory(status="operational")
    ZoneFactory(status="approved")
    PledgeFactory(amount=Decimal("1250000.00"))
    InterestRegistrationFactory(company__name="Waiting Systems Ltd")
    TargetFactory(name="Private investment in two years")
    client.force_login(staff_user)
    response = client.get(reverse("admin:index"))
    dashboard = response.context["dashboard"]
    assert dashboard["summary"].zones_by_status["operational"] == 1
    assert dashboard["summary"].pledged_usd == Decimal("1250000.00")
    content = response.content.decode()
    assert "$1,250,000" in content
    assert "Private investment in two years" in content
    assert "Waiting Systems Ltd" in content
    assert "Registrations awaiting review (1)" in content
    assert "Latest changes" in content
    assert "<svg" in content and "https://" not in content.split("programme-dashboard")[1][:5000]


def test_zone_export_includes_totals(client, staff_user):
    zone = ZoneFactory(slug="export-me")
    PledgeFactory(zone=zone, amount=Decimal("750000.00"))
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:zones_zone_export"),
        {
            "format": "0",
            "resource": "",
            "zoneresource_slug": "on",
            "zoneresource_pledged_usd": "on",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "export-me" in body and "750000" in body


def test_dashboard_costs_the_same_however_much_data_there_is(
    client, staff_user, django_assert_max_num_queries
):
    TargetFactory()
    client.force_login(staff_user)
    url = reverse("admin:index")
    zones_with_pledges(2)
    registrations(2)
    with django_assert_max_num_queries(30):
        few = query_count(client, url)
    zones_with_pledges(20)
    registrations(20)
    with django_assert_max_num_queries(30):
        many = query_count(client, url)
    assert few == many
