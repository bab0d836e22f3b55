"""The operating zone in the admin: one company from registration to licence, plot and returns."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from enterprises.models import AnnualReturn, Enterprise, Plot
from tests.admin.roles import user_in_role
from tests.factories import (
    AnnualReturnFactory,
    EnterpriseFactory,
    ExchangeRateFactory,
    PlotFactory,
    ZoneFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
roles = importlib.import_module("enterprises.migrations.0003_roles")


def in_role(role, username):
    """A staff user in a role group, with the operating-zone rights migration 0003 gives it."""
    user = user_in_role(role, username)
    group = user.groups.get()
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="enterprises", codename__in=roles.role_codenames()[role]
        )
    )
    return user


@pytest.fixture
def clerk(db):
    return in_role("Data entry", "clerk")


@pytest.fixture
def reviewer(db):
    return in_role("Reviewer", "reviewer")


def step(client, obj, url_name, name, **data):
    return client.post(reverse(url_name, args=(obj.pk,)), {"step": name, **data}, follow=True)


def texts(response):
    return [str(message) for message in response.context["messages"]]


def test_one_company_from_registration_to_licence_plot_and_returns(
    client, clerk, reviewer, accepted_registration, settings
):
    zone = accepted_registration.zones.get()
    # Data entry opens the application from the registration, with one action.
    client.force_login(clerk)
    response = client.post(
        reverse("admin:companies_interestregistration_changelist"),
        {"action": "create_licence_applications", "_selected_action": [accepted_registration.pk]},
        follow=True,
    )
    assert any("Licence applications opened" in text for text in texts(response))
    enterprise = Enterprise.objects.get()
    assert (enterprise.company, enterprise.zone) == (accepted_registration.company, zone)

    # Maker recommends; the maker cannot approve (no right, and maker-checker besides).
    url = "admin:enterprises_enterprise_step"
    step(client, enterprise, url, "recommend", on_date="2025-08-01")
    enterprise.refresh_from_db()
    assert enterprise.recommended_by == clerk
    assert step(client, enterprise, url, "approve", on_date="2025-08-02").status_code == 403

    client.force_login(reviewer)
    step(client, enterprise, url, "approve", on_date="2025-08-02")
    response = step(client, enterprise, url, "issue", on_date="2025-09-01", expires_on="2035-08-31")
    enterprise.refresh_from_db()
    assert enterprise.status == "licensed", texts(response)
    assert enterprise.licence_number in response.content.decode()
    assert "Issued" in response.content.decode()  # the events inline

    # A plot, allocated through the plot's workflow panel.
    client.force_login(clerk)
    plot = PlotFactory(zone=zone, number="K-12")
    step(
        client,
        plot,
        "admin:enterprises_plot_step",
        "allocate",
        enterprise=enterprise.pk,
        on_date="2025-10-01",
    )
    plot.refresh_from_db()
    assert (plot.status, plot.enterprise) == ("allocated", enterprise)

    # Two paper returns entered by staff; the reviewer accepts one and returns the other.
    ExchangeRateFactory(currency="PKR", date=D(2025, 6, 1))
    for year, filed in (("2025-26", "2026-09-15"), ("2026-27", None)):
        if filed is None:
            continue
        response = client.post(
            reverse("admin:enterprises_annualreturn_add"),
            {
                "enterprise": enterprise.pk,
                "fiscal_year": year,
                "employees_total": 80,
                "employees_women": 20,
                "employees_foreign": 3,
                "exports_usd": "1200000",
                "currency": "PKR",
                "domestic_sales": "28000000",
                "investment": "2800000",
                "submitted_on": filed,
            },
            follow=True,
        )
    annual_return = AnnualReturn.objects.get(enterprise=enterprise, fiscal_year="2025-26")
    assert (annual_return.status, annual_return.filed_by_staff) == ("submitted", True)
    assert annual_return.domestic_sales_usd == Decimal("100000.00")

    client.force_login(reviewer)
    step(client, annual_return, "admin:enterprises_annualreturn_step", "accept")
    annual_return.refresh_from_db()
    assert annual_return.status == "accepted"


def test_paper_return_with_women_above_total_is_refused_and_nothing_saved(client, staff_user):
    enterprise = EnterpriseFactory()
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:enterprises_annualreturn_add"),
        {
            "enterprise": enterprise.pk,
            "fiscal_year": "2025-26",
            "employees_total": 10,
            "employees_women": 12,
            "employees_foreign": 0,
            "exports_usd": "0",
            "currency": "USD",
            "domestic_sales": "0",
            "investment": "0",
            "submitted_on": "2026-09-01",
        },
    )
    assert response.status_code == 200
    assert "employees_women" in response.context["adminform"].form.errors
    assert not AnnualReturn.objects.exists()


def test_maker_cannot_approve_own_recommendation_even_as_reviewer(client, accepted_registration):
    both = in_role("Reviewer", "both")
    both.groups.add(in_role("Data entry", "other-clerk").groups.get())
    from enterprises.services import enterprise_apply_from_registration

    enterprise = enterprise_apply_from_registration(registration=accepted_registration)
    client.force_login(both)
    url = "admin:enterprises_enterprise_step"
    step(client, enterprise, url, "recommend", on_date="2025-08-01")
    response = step(client, enterprise, url, "approve", on_date="2025-08-01")
    assert any("maker-checker" in text for text in texts(response))
    enterprise.refresh_from_db()
    assert enterprise.status == "applied"


def test_add_view_prefilled_from_a_registration_reference(
    client, staff_user, accepted_registration
):
    client.force_login(staff_user)
    response = client.get(
        reverse("admin:enterprises_enterprise_add"),
        {"registration": accepted_registration.reference},
    )
    initial = response.context["adminform"].form.initial
    assert initial["company"] == accepted_registration.company_id
    assert initial["zone"] == accepted_registration.zones.get().pk
    assert initial["planned_jobs"] == accepted_registration.planned_jobs


def test_declined_registration_refused_from_the_add_form(client, staff_user, checker):
    from companies.services import registration_transition
    from tests.factories import InterestRegistrationFactory

    registration = InterestRegistrationFactory()
    registration_transition(registration=registration, status="under_review", user=checker)
    registration_transition(registration=registration, status="declined", user=checker)
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:enterprises_enterprise_add"),
        {
            "company": registration.company_id,
            "zone": registration.zones.get().pk,
            "registration": registration.pk,
            "activities": "Software",
            "events-TOTAL_FORMS": 0,
            "events-INITIAL_FORMS": 0,
            "plots-TOTAL_FORMS": 0,
            "plots-INITIAL_FORMS": 0,
            "annual_returns-TOTAL_FORMS": 0,
            "annual_returns-INITIAL_FORMS": 0,
        },
        follow=True,
    )
    assert any("was declined" in text for text in texts(response))
    assert not Enterprise.objects.exists()


def test_bulk_suspend_asks_for_a_reason_and_records_it(client, staff_user):
    enterprise = EnterpriseFactory()
    client.force_login(staff_user)
    changelist = reverse("admin:enterprises_enterprise_changelist")
    response = client.post(
        changelist, {"action": "bulk_suspend", "_selected_action": [enterprise.pk]}
    )
    assert response.status_code == 200
    assert "confirm" in response.content.decode()
    response = client.post(
        changelist,
        {
            "action": "bulk_suspend",
            "_selected_action": [enterprise.pk],
            "confirm_step": "yes",
            "on_date": "2026-01-05",
            "reason": "Fees unpaid",
        },
        follow=True,
    )
    enterprise.refresh_from_db()
    assert enterprise.status == "suspended"
    assert enterprise.events.get().reason == "Fees unpaid"


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?status=expired",
        "?status=licensed",
        "?expiring=60",
        "?overdue_returns=yes",
    ],
)
def test_licence_changelist_filters(client, staff_user, query, django_assert_max_num_queries):
    EnterpriseFactory(expires_on=datetime.date.today() + datetime.timedelta(days=30))
    EnterpriseFactory(issued_on=D(2020, 1, 1), expires_on=D(2021, 1, 1))
    AnnualReturnFactory(due_on=D(2024, 10, 28), fiscal_year="2023-24")
    client.force_login(staff_user)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("admin:enterprises_enterprise_changelist") + query)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:enterprises_enterprise_changelist",
        "admin:enterprises_plot_changelist",
        "admin:enterprises_annualreturn_changelist",
    ],
)
def test_changelists_cost_the_same_for_3_and_30_rows(
    client, staff_user, django_assert_max_num_queries, url_name
):
    from tests.admin.test_admin import query_count

    def rows(n):
        for _ in range(n):
            annual_return = AnnualReturnFactory()
            PlotFactory(
                zone=annual_return.enterprise.zone,
                status="allocated",
                enterprise=annual_return.enterprise,
            )

    client.force_login(staff_user)
    rows(3)
    with django_assert_max_num_queries(14):
        few = query_count(client, reverse(url_name))
    rows(27)
    with django_assert_max_num_queries(14):
        many = query_count(client, reverse(url_name))
    assert few == many


def test_overdue_returns_filter(client, staff_user):
    overdue = AnnualReturnFactory(due_on=D(2024, 10, 28), fiscal_year="2023-24")
    AnnualReturnFactory(due_on=datetime.date.today() + datetime.timedelta(days=10))
    client.force_login(staff_user)
    response = client.get(reverse("admin:enterprises_annualreturn_changelist") + "?overdue=yes")
    assert list(response.context["cl"].result_list) == [overdue]


def import_file(client, url_name, body, name="rows.csv"):
    upload = SimpleUploadedFile(name, body.encode(), content_type="text/csv")
    return client.post(
        reverse(url_name),
        {"import_file": upload, "format": "0", "resource": "0"},
    )


def test_plot_import_reports_bad_rows_and_imports_nothing(client, staff_user):
    zone = ZoneFactory(slug="kz")
    client.force_login(staff_user)
    body = (
        "zone,number,kind,area_m2,note\nkz,A-1,land,1200,\nkz,A-2,land,-5,\nnowhere,A-3,land,10,\n"
    )
    response = import_file(client, "admin:enterprises_plot_import", body)
    content = response.content.decode()
    assert "Some rows failed to validate" in content
    assert "Unknown zone" in content
    assert "greater than or equal to" in content or "must be positive" in content
    assert not Plot.objects.exists()

    body = "zone,number,kind,area_m2,note\nkz,A-1,land,1200,\nkz,A-2,office,300,\n"
    response = import_file(client, "admin:enterprises_plot_import", body)
    assert response.status_code == 200
    confirm = response.context["confirm_form"]
    client.post(reverse("admin:enterprises_plot_process_import"), confirm.initial, follow=True)
    assert sorted(Plot.objects.filter(zone=zone).values_list("number", flat=True)) == ["A-1", "A-2"]


def test_return_import_files_paper_returns_with_row_errors(client, staff_user):
    enterprise = EnterpriseFactory(licence_number="TZE-2025-000042")
    client.force_login(staff_user)
    header = (
        "licence_number,fiscal_year,employees_total,employees_women,employees_foreign,"
        "exports_usd,domestic_sales,investment,currency,submitted_on\n"
    )
    bad = header + (
        "TZE-2025-000042,2025-26,10,12,0,100,100,100,USD,2026-09-01\n"
        "TZE-2025-000042,2024-25,10,1,0,100,100,100,USD,2025-09-01\n"
        "TZE-0000-000000,2025-26,10,1,0,100,100,100,USD,2026-09-01\n"
    )
    content = import_file(client, "admin:enterprises_annualreturn_import", bad).content.decode()
    assert "Some rows failed to validate" in content
    assert "Women employed" in content
    assert "after the 2024-25 fiscal year ended" in content
    assert "Unknown licence number" in content
    assert not AnnualReturn.objects.exists()

    good = header + "TZE-2025-000042,2025-26,10,1,0,100,100,100,USD,2026-09-01\n"
    response = import_file(client, "admin:enterprises_annualreturn_import", good)
    confirm = response.context["confirm_form"]
    client.post(
        reverse("admin:enterprises_annualreturn_process_import"), confirm.initial, follow=True
    )
    annual_return = AnnualReturn.objects.get()
    assert (annual_return.enterprise, annual_return.status) == (enterprise, "submitted")
    assert annual_return.filed_by_staff


def test_analyst_cannot_open_licence_applications(client, accepted_registration):
    analyst = in_role("Analyst", "analyst")
    analyst.groups.get().permissions.add(
        Permission.objects.get(codename="view_interestregistration")
    )
    client.force_login(analyst)
    response = client.post(
        reverse("admin:companies_interestregistration_changelist"),
        {"action": "create_licence_applications", "_selected_action": [accepted_registration.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert not Enterprise.objects.exists()
