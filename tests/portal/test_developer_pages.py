"""The zone developer's portal pages: its own zones' records only, and no contact's personal data.

Developer X (zone_x) sees company A's registration, licence, plot and return; developer Y
(zone_y) gets 404 for every one of them, the same answer as for a record that never existed.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.models import Plot
from portal.choices import ProposalStatus
from portal.models import DescriptionProposal
from tests.factories import (
    AnnualReturnFactory,
    CompanyFactory,
    ContactFactory,
    EnterpriseFactory,
    InterestRegistrationFactory,
    PlotFactory,
)

pytestmark = pytest.mark.django_db

CONTACT_NAME = "Zainab Qureshi-Contact"
CONTACT_EMAIL = "zainab.private@company-a.example"
CONTACT_PHONE = "+92 300 7654321"
MESSAGE = "Our confidential expansion plan for the zone"


@pytest.fixture
def registration(registration_a):
    contact = registration_a.contact
    contact.name, contact.email, contact.phone = CONTACT_NAME, CONTACT_EMAIL, CONTACT_PHONE
    contact.save()
    registration_a.message = MESSAGE
    registration_a.submitted_contact_name = CONTACT_NAME
    registration_a.submitted_contact_phone = CONTACT_PHONE
    registration_a.save()
    return registration_a


@pytest.fixture
def records(registration, enterprise_a, annual_return_a, plot_x):
    return {
        "registration": registration,
        "enterprise": enterprise_a,
        "annual_return": annual_return_a,
        "plot": plot_x,
    }


@pytest.fixture
def client_x(client, dev_user_x):
    client.force_login(dev_user_x)
    return client


@pytest.fixture
def client_y(client, dev_user_y):
    client.force_login(dev_user_y)
    return client


def developer_urls(records, zone):
    return [
        reverse("portal:home"),
        reverse("portal:registrations"),
        reverse("portal:registration", args=[records["registration"].reference]),
        reverse("portal:licences"),
        reverse("portal:licence", args=[records["enterprise"].pk]),
        reverse("portal:plots"),
        reverse("portal:returns"),
        reverse("portal:return", args=[records["annual_return"].pk]),
        reverse("portal:zones"),
        reverse("portal:zone", args=[zone.slug]),
        reverse("portal:compliance"),
    ]


def test_every_developer_page_renders_for_the_developers_user(client_x, records, zone_x):
    for url in developer_urls(records, zone_x):
        response = client_x.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store", url


def test_pages_show_the_developers_own_records(client_x, records, zone_x):
    html = client_x.get(reverse("portal:registrations")).content.decode()
    assert records["registration"].reference in html
    assert "Alpha Software Ltd" in html
    html = client_x.get(reverse("portal:licences")).content.decode()
    assert records["enterprise"].licence_number in html
    html = client_x.get(reverse("portal:plots")).content.decode()
    assert "X-001" in html
    html = client_x.get(reverse("portal:returns")).content.decode()
    assert "2025-26" in html


def test_no_contact_personal_data_on_any_developer_page(client_x, records, zone_x):
    for url in developer_urls(records, zone_x):
        html = client_x.get(url).content.decode()
        for secret in (CONTACT_NAME, CONTACT_EMAIL, CONTACT_PHONE, MESSAGE):
            assert secret not in html, f"{secret!r} shown on {url}"


@pytest.mark.parametrize(
    "name",
    ["portal:registration", "portal:licence", "portal:return", "portal:zone"],
)
def test_another_developers_records_are_404(client_y, records, zone_x, name):
    arg = {
        "portal:registration": records["registration"].reference,
        "portal:licence": records["enterprise"].pk,
        "portal:return": records["annual_return"].pk,
        "portal:zone": zone_x.slug,
    }[name]
    assert client_y.get(reverse(name, args=[arg])).status_code == 404


def test_another_developers_lists_leave_the_records_out(client_y, records):
    for name, text in (
        ("portal:registrations", records["registration"].reference),
        ("portal:licences", records["enterprise"].licence_number),
        ("portal:plots", "X-001"),
        ("portal:returns", "Alpha Software Ltd"),
        ("portal:zones", "Zone X"),
    ):
        response = client_y.get(reverse(name))
        assert response.status_code == 200
        assert text not in response.content.decode(), name


def test_a_company_account_gets_404_on_the_developers_own_pages(client, user_a, plot_x, zone_x):
    client.force_login(user_a)
    assert client.get(reverse("portal:zones")).status_code == 404
    assert client.get(reverse("portal:zone", args=[zone_x.slug])).status_code == 404
    assert client.get(reverse("portal:compliance")).status_code == 404
    response = client.post(
        reverse("portal:plot-occupy", args=[plot_x.pk]), {"occupied_on": "2025-11-01"}
    )
    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, zone_x):
    response = client.get(reverse("portal:zones"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- plots -----------------------------------------------------------------------------------


def test_marking_an_allocated_plot_occupied(client_x, plot_x):
    response = client_x.post(
        reverse("portal:plot-occupy", args=[plot_x.pk]), {"occupied_on": "2025-11-01"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:plots")
    plot_x.refresh_from_db()
    assert plot_x.status == "occupied"
    assert plot_x.occupied_on == datetime.date(2025, 11, 1)
    page = client_x.get(response["Location"]).content.decode()
    assert "recorded as occupied" in page


def test_a_future_occupation_date_is_refused_beside_the_field(client_x, plot_x):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_x.post(
        reverse("portal:plot-occupy", args=[plot_x.pk]), {"occupied_on": tomorrow.isoformat()}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "A plot cannot be occupied on a future date." in html
    assert "field-error" in html
    assert tomorrow.isoformat() in html  # what was typed is kept
    plot_x.refresh_from_db()
    assert plot_x.status == "allocated"


def test_a_date_before_the_lease_is_refused(client_x, plot_x):
    response = client_x.post(
        reverse("portal:plot-occupy", args=[plot_x.pk]), {"occupied_on": "2025-09-01"}
    )
    assert response.status_code == 200
    assert "The lease starts on 2025-10-01." in response.content.decode()


def test_a_plot_that_is_not_allocated_is_refused_with_the_reason(client_x, zone_x):
    vacant = PlotFactory(zone=zone_x, number="X-009")
    response = client_x.post(
        reverse("portal:plot-occupy", args=[vacant.pk]), {"occupied_on": "2025-11-01"}
    )
    assert response.status_code == 200
    assert "only an allocated plot can be occupied" in response.content.decode()
    vacant.refresh_from_db()
    assert vacant.status == "vacant"


def test_a_missing_or_garbled_date_is_a_field_error_not_a_500(client_x, plot_x):
    for data in ({}, {"occupied_on": "not-a-date"}, {"occupied_on": "2025-02-30"}):
        response = client_x.post(reverse("portal:plot-occupy", args=[plot_x.pk]), data)
        assert response.status_code == 200
        assert "field-error" in response.content.decode()
    plot_x.refresh_from_db()
    assert plot_x.status == "allocated"


def test_another_developers_plot_cannot_be_marked(client_y, plot_x):
    response = client_y.post(
        reverse("portal:plot-occupy", args=[plot_x.pk]), {"occupied_on": "2025-11-01"}
    )
    assert response.status_code == 404
    plot_x.refresh_from_db()
    assert plot_x.status == "allocated"


def test_occupying_is_post_only(client_x, plot_x):
    assert client_x.get(reverse("portal:plot-occupy", args=[plot_x.pk])).status_code == 405


def test_plots_can_be_filtered_by_status_and_zone(client_x, plot_x, zone_x):
    PlotFactory(zone=zone_x, number="X-777")
    html = client_x.get(reverse("portal:plots"), {"status": "allocated"}).content.decode()
    assert "X-001" in html
    assert "X-777" not in html
    html = client_x.get(reverse("portal:plots"), {"zone": "zone-y"}).content.decode()
    assert "X-001" in html  # another developer's zone is not a filter: all own plots show


# --- zones and description proposals ---------------------------------------------------------


def test_the_zone_page_shows_the_current_description_and_a_form(client_x, zone_x):
    response = client_x.get(reverse("portal:zone", args=[zone_x.slug]))
    html = response.content.decode()
    assert "Zone X as staff wrote it." in html
    assert '<textarea name="description"' in html
    assert 'for="id_description"' in html


def test_proposing_a_description_waits_for_staff(client_x, zone_x, dev_user_x):
    response = client_x.post(
        reverse("portal:zone", args=[zone_x.slug]),
        {"description": "A new description of Zone X.", "description_ur": ""},
    )
    assert response.status_code == 302
    proposal = DescriptionProposal.objects.get(zone=zone_x)
    assert proposal.status == ProposalStatus.PENDING
    assert proposal.proposed_by == dev_user_x
    zone_x.refresh_from_db()
    assert zone_x.description == "Zone X as staff wrote it."
    html = client_x.get(response["Location"]).content.decode()
    assert "is waiting for staff" in html
    assert '<textarea name="description"' not in html


def test_an_unchanged_description_is_refused_on_the_form(client_x, zone_x):
    response = client_x.post(
        reverse("portal:zone", args=[zone_x.slug]),
        {"description": "Zone X as staff wrote it.", "description_ur": ""},
    )
    assert response.status_code == 200
    assert "This is the description the zone already has." in response.content.decode()
    assert not DescriptionProposal.objects.exists()


def test_a_second_proposal_while_one_waits_is_refused(client_x, zone_x, dev_user_x):
    DescriptionProposal.objects.create(zone=zone_x, description="First.", proposed_by=dev_user_x)
    response = client_x.post(reverse("portal:zone", args=[zone_x.slug]), {"description": "Second."})
    assert response.status_code == 200
    assert "already waiting for staff" in response.content.decode()
    assert DescriptionProposal.objects.count() == 1


def test_decided_proposals_show_with_the_staff_note(client_x, zone_x, dev_user_x):
    DescriptionProposal.objects.create(
        zone=zone_x,
        description="Too short.",
        proposed_by=dev_user_x,
        status=ProposalStatus.REJECTED,
        decided_at=timezone.now(),
        decision_note="Say which sectors the zone serves.",
    )
    html = client_x.get(reverse("portal:zone", args=[zone_x.slug])).content.decode()
    assert "Say which sectors the zone serves." in html
    assert '<textarea name="description"' in html  # a rejected proposal does not block a new one


# --- compliance ------------------------------------------------------------------------------


FIGURES = {
    "employees_total": 10,
    "employees_women": 3,
    "employees_foreign": 1,
    "exports_usd": Decimal("1000"),
    "domestic_sales": Decimal("500"),
    "domestic_sales_usd": Decimal("500"),
    "investment": Decimal("200"),
    "investment_usd": Decimal("200"),
}


def test_compliance_counts_on_time_late_and_overdue_by_year(client_x, zone_x):
    today = timezone.localdate()
    long_ago = today - datetime.timedelta(days=400)
    AnnualReturnFactory(
        enterprise=EnterpriseFactory(zone=zone_x),
        fiscal_year="2022-23",
        due_on=long_ago,
        status="accepted",
        submitted_on=long_ago - datetime.timedelta(days=5),
        **FIGURES,
    )
    AnnualReturnFactory(
        enterprise=EnterpriseFactory(zone=zone_x),
        fiscal_year="2022-23",
        due_on=long_ago,
        status="submitted",
        submitted_on=long_ago + datetime.timedelta(days=20),
        **FIGURES,
    )
    AnnualReturnFactory(
        enterprise=EnterpriseFactory(zone=zone_x), fiscal_year="2022-23", due_on=long_ago
    )
    response = client_x.get(reverse("portal:compliance"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [
        (r["fiscal_year"], r["filed_on_time_count"], r["filed_late_count"], r["overdue_count"])
        for r in rows
    ] == [("2022-23", 1, 1, 1)]
    html = response.content.decode()
    assert "<svg" in html
    assert "2022-23: 1 on time, 1 late, 1 overdue" in html


def test_compliance_without_returns_has_an_empty_state(client_x):
    response = client_x.get(reverse("portal:compliance"))
    assert response.status_code == 200
    assert "No annual return has been opened" in response.content.decode()


# --- query counts ----------------------------------------------------------------------------


@pytest.fixture
def many_records(zone_x):
    """Enough rows for a query per row to show in the counts."""
    for number in range(8):
        company = CompanyFactory()
        contact = ContactFactory(company=company)
        InterestRegistrationFactory(company=company, contact=contact, zones=[zone_x])
        enterprise = EnterpriseFactory(company=company, zone=zone_x)
        PlotFactory(
            zone=zone_x,
            number=f"M-{number}",
            status="allocated",
            enterprise=enterprise,
            lease_starts_on=datetime.date(2025, 10, 1),
        )
        AnnualReturnFactory(enterprise=enterprise)


# Session, user and membership, then the page's own few queries: never one per row. The
# overview counts five things (registrations, enterprises, plots, returns, proposals).
LIST_QUERY_LIMITS = {
    "portal:home": 12,
    "portal:registrations": 6,
    "portal:licences": 5,
    "portal:plots": 7,
    "portal:returns": 5,
    "portal:zones": 5,
    "portal:compliance": 4,
}


@pytest.mark.parametrize("name", LIST_QUERY_LIMITS)
def test_list_pages_make_a_fixed_number_of_queries(
    client_x, many_records, django_assert_max_num_queries, name
):
    with django_assert_max_num_queries(LIST_QUERY_LIMITS[name]):
        response = client_x.get(reverse(name))
    assert response.status_code == 200


def test_plots_page_has_one_occupy_form_per_allocated_plot(client_x, many_records):
    html = client_x.get(reverse("portal:plots")).content.decode()
    assert html.count("Mark occupied</button>") == Plot.objects.filter(status="allocated").count()


def test_a_developer_cannot_write_to_a_companys_return_or_registration(client_x, records):
    for url in (
        reverse("portal:return", args=[records["annual_return"].pk]),
        reverse("portal:registration", args=[records["registration"].reference]),
        reverse("portal:licence", args=[records["enterprise"].pk]),
    ):
        assert client_x.post(url, {"action": "submit"}).status_code == 404, url
    records["annual_return"].refresh_from_db()
    assert records["annual_return"].status == "due"


def test_the_occupy_form_proposes_today_in_the_date_inputs_format(client_x, plot_x):
    html = client_x.get(reverse("portal:plots")).content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in html
