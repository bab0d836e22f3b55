"""Each rule of the licence, plot and return workflow, through the services."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from companies.services import registration_transition
from enterprises import services
from enterprises.models import AnnualReturn, Enterprise, LicenceEvent, Plot
from tests.factories import (
    EnterpriseFactory,
    ExchangeRateFactory,
    InterestRegistrationFactory,
    PlotFactory,
    ZoneFactory,
    accept_registration,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def licensed(registration, maker, checker) -> Enterprise:
    enterprise = services.enterprise_apply_from_registration(registration=registration)
    services.enterprise_recommend(enterprise=enterprise, user=maker)
    services.enterprise_approve(enterprise=enterprise, user=checker)
    return services.enterprise_issue_licence(
        enterprise=enterprise, user=checker, issued_on=D(2025, 9, 1), expires_on=D(2030, 8, 31)
    )


def codes(error: ValidationError) -> set[str]:
    return {e.code for e in error.error_list} if hasattr(error, "error_list") else set()


# --- Applications from registrations ---------------------------------------------------------


def test_application_from_accepted_registration_carries_its_figures(accepted_registration):
    enterprise = services.enterprise_apply_from_registration(registration=accepted_registration)

    assert enterprise.status == "applied"
    assert enterprise.company == accepted_registration.company
    assert enterprise.zone == accepted_registration.zones.get()
    assert enterprise.registration == accepted_registration
    assert enterprise.planned_investment_usd == accepted_registration.planned_investment_usd
    assert enterprise.planned_jobs == accepted_registration.planned_jobs
    assert "Cloud services for banks" in enterprise.activities
    assert enterprise.licence_number is None


def test_declined_registration_cannot_become_a_licence(checker):
    registration = InterestRegistrationFactory()
    registration_transition(registration=registration, status="under_review", user=checker)
    registration_transition(registration=registration, status="declined", user=checker)

    with pytest.raises(ValidationError, match="was declined"):
        services.enterprise_apply_from_registration(registration=registration)
    # Nor by naming the company and zone without the registration.
    with pytest.raises(ValidationError, match="was declined"):
        services.enterprise_apply(
            company=registration.company, zone=registration.zones.get(), activities="Software"
        )
    assert not Enterprise.objects.exists()


def test_registration_under_review_must_be_accepted_first():
    registration = InterestRegistrationFactory()
    with pytest.raises(ValidationError, match="accept it before"):
        services.enterprise_apply_from_registration(registration=registration)


def test_registration_for_several_zones_needs_the_zone_chosen(checker):
    zones = [ZoneFactory(), ZoneFactory()]
    registration = InterestRegistrationFactory(zones=zones)
    accept_registration(registration, accepter=checker)

    with pytest.raises(ValidationError, match="choose the one"):
        services.enterprise_apply_from_registration(registration=registration)
    enterprise = services.enterprise_apply_from_registration(
        registration=registration, zone=zones[1]
    )
    assert enterprise.zone == zones[1]
    with pytest.raises(ValidationError, match="is not for"):
        services.enterprise_apply_from_registration(registration=registration, zone=ZoneFactory())


def test_second_live_application_in_one_zone_refused(accepted_registration):
    services.enterprise_apply_from_registration(registration=accepted_registration)
    with pytest.raises(ValidationError, match="already has a live application"):
        services.enterprise_apply_from_registration(registration=accepted_registration)
    assert Enterprise.objects.count() == 1


# --- Maker-checker and issue ---------------------------------------------------------------


def test_recommender_cannot_approve(accepted_registration, maker):
    enterprise = services.enterprise_apply_from_registration(registration=accepted_registration)
    services.enterprise_recommend(enterprise=enterprise, user=maker)

    with pytest.raises(ValidationError, match="maker-checker") as caught:
        services.enterprise_approve(enterprise=enterprise, user=maker)
    assert "maker_checker" in codes(caught.value)
    enterprise.refresh_from_db()
    assert enterprise.status == "applied"


def test_approval_needs_a_recommendation(accepted_registration, checker):
    enterprise = services.enterprise_apply_from_registration(registration=accepted_registration)
    with pytest.raises(ValidationError, match="not been recommended"):
        services.enterprise_approve(enterprise=enterprise, user=checker)


def test_licensing_gives_a_unique_number_and_records_the_issue(
    accepted_registration, maker, checker
):
    enterprise = licensed(accepted_registration, maker, checker)

    assert enterprise.status == "licensed"
    assert enterprise.licence_number == f"TZE-2025-{enterprise.pk:06d}"
    assert enterprise.approved_by == checker
    event = enterprise.events.get()
    assert (event.kind, event.occurred_on, event.recorded_by) == ("issued", D(2025, 9, 1), checker)


def test_cannot_license_an_unapproved_application(accepted_registration, checker):
    enterprise = services.enterprise_apply_from_registration(registration=accepted_registration)
    with pytest.raises(ValidationError, match="cannot become licensed"):
        services.enterprise_issue_licence(
            enterprise=enterprise, user=checker, issued_on=D(2025, 1, 1), expires_on=D(2026, 1, 1)
        )


def test_expiry_before_issue_refused_and_nothing_saved(accepted_registration, maker, checker):
    enterprise = services.enterprise_apply_from_registration(registration=accepted_registration)
    services.enterprise_recommend(enterprise=enterprise, user=maker)
    services.enterprise_approve(enterprise=enterprise, user=checker)

    with pytest.raises(ValidationError) as caught:
        services.enterprise_issue_licence(
            enterprise=enterprise, user=checker, issued_on=D(2025, 9, 1), expires_on=D(2025, 8, 1)
        )
    assert "expires_on" in caught.value.message_dict
    enterprise.refresh_from_db()
    assert (enterprise.status, enterprise.licence_number) == ("approved", None)
    assert not LicenceEvent.objects.exists()


# --- Life of a licence ---------------------------------------------------------------------


def test_suspend_reinstate_renew_amend_revoke_each_recorded(accepted_registration, maker, checker):
    enterprise = licensed(accepted_registration, maker, checker)

    services.enterprise_suspend(
        enterprise=enterprise, user=checker, suspended_on=D(2026, 1, 10), reason="Unpaid fees"
    )
    assert enterprise.status == "suspended"
    services.enterprise_reinstate(
        enterprise=enterprise, user=checker, reinstated_on=D(2026, 2, 1), reason="Fees paid"
    )
    assert enterprise.status == "licensed"
    services.enterprise_renew(
        enterprise=enterprise, user=checker, expires_on=D(2035, 8, 31), renewed_on=D(2026, 3, 1)
    )
    assert enterprise.expires_on == D(2035, 8, 31)
    services.enterprise_amend(
        enterprise=enterprise,
        user=checker,
        amended_on=D(2026, 4, 1),
        reason="Adds data centre",
        activities="Software; data centre",
    )
    assert enterprise.activities == "Software; data centre"
    services.enterprise_revoke(
        enterprise=enterprise, user=checker, revoked_on=D(2026, 5, 1), reason="Fraud"
    )

    events = list(enterprise.events.values_list("kind", "occurred_on", "reason"))
    assert events == [
        ("issued", D(2025, 9, 1), ""),
        ("suspended", D(2026, 1, 10), "Unpaid fees"),
        ("reinstated", D(2026, 2, 1), "Fees paid"),
        ("renewed", D(2026, 3, 1), ""),
        ("amended", D(2026, 4, 1), "Adds data centre"),
        ("revoked", D(2026, 5, 1), "Fraud"),
    ]
    renewal = enterprise.events.get(kind="renewed")
    assert (renewal.previous_expires_on, renewal.new_expires_on) == (D(2030, 8, 31), D(2035, 8, 31))
    with pytest.raises(ValidationError, match="Only a suspended licence"):
        services.enterprise_reinstate(
            enterprise=enterprise, user=checker, reinstated_on=D(2026, 6, 1)
        )


def test_suspension_needs_a_reason():
    enterprise = EnterpriseFactory()
    with pytest.raises(ValidationError) as caught:
        services.enterprise_suspend(
            enterprise=enterprise, user=None, suspended_on=D(2026, 1, 1), reason="  "
        )
    assert "reason" in caught.value.message_dict


def test_renewal_must_extend_the_licence():
    enterprise = EnterpriseFactory()
    with pytest.raises(ValidationError) as caught:
        services.enterprise_renew(
            enterprise=enterprise, user=None, expires_on=D(2030, 1, 1), renewed_on=D(2026, 1, 1)
        )
    assert "expires_on" in caught.value.message_dict


def test_expired_licence_cannot_be_reinstated_until_renewed():
    enterprise = EnterpriseFactory(
        status="suspended", issued_on=D(2020, 1, 1), expires_on=D(2024, 1, 1)
    )
    assert enterprise.current_status() == "expired"
    with pytest.raises(ValidationError, match="renew it"):
        services.enterprise_reinstate(enterprise=enterprise, user=None, reinstated_on=D(2026, 1, 1))
    services.enterprise_renew(
        enterprise=enterprise, user=None, expires_on=D(2030, 1, 1), renewed_on=D(2026, 1, 1)
    )
    services.enterprise_reinstate(enterprise=enterprise, user=None, reinstated_on=D(2026, 1, 2))
    assert enterprise.current_status() == "licensed"


def test_step_dated_before_issue_refused():
    enterprise = EnterpriseFactory()
    with pytest.raises(ValidationError, match="cannot be dated earlier"):
        services.enterprise_suspend(
            enterprise=enterprise, user=None, suspended_on=D(2025, 1, 1), reason="x"
        )


def test_revocation_releases_the_plots():
    enterprise = EnterpriseFactory()
    plot = PlotFactory(zone=enterprise.zone)
    services.plot_allocate(plot=plot, enterprise=enterprise, lease_starts_on=D(2025, 10, 1))

    services.enterprise_revoke(
        enterprise=enterprise, user=None, revoked_on=D(2026, 1, 1), reason="Ceased trading"
    )
    plot.refresh_from_db()
    assert (plot.status, plot.enterprise) == ("vacant", None)


# --- Plots ---------------------------------------------------------------------------------


def test_plot_flow_vacant_reserved_allocated_occupied():
    enterprise = EnterpriseFactory()
    plot = services.plot_create(zone=enterprise.zone, number=" B-7 ", area_m2=Decimal("1500"))
    assert plot.number == "B-7"

    services.plot_reserve(plot=plot, enterprise=enterprise, reserved_on=D(2025, 9, 15))
    assert plot.status == "reserved"
    services.plot_allocate(
        plot=plot,
        enterprise=enterprise,
        lease_starts_on=D(2025, 10, 1),
        lease_ends_on=D(2055, 9, 30),
    )
    assert (plot.status, plot.enterprise) == ("allocated", enterprise)
    services.plot_occupy(plot=plot, occupied_on=D(2026, 1, 5))
    assert plot.status == "occupied"
    services.plot_release(plot=plot, note="Moved out")
    assert (plot.status, plot.enterprise, plot.lease_starts_on) == ("vacant", None, None)


def test_duplicate_plot_number_refused_with_field_error():
    plot = PlotFactory(number="C-1")
    with pytest.raises(ValidationError) as caught:
        services.plot_create(zone=plot.zone, number="C-1", area_m2=Decimal("10"))
    assert "number" in caught.value.message_dict or "__all__" in caught.value.message_dict


def test_plot_cannot_be_allocated_twice():
    first = EnterpriseFactory()
    second = EnterpriseFactory(zone=first.zone)
    plot = PlotFactory(zone=first.zone)
    services.plot_allocate(plot=plot, enterprise=first, lease_starts_on=D(2025, 10, 1))

    with pytest.raises(ValidationError, match="already allocated"):
        services.plot_allocate(plot=plot, enterprise=second, lease_starts_on=D(2025, 10, 1))
    plot.refresh_from_db()
    assert plot.enterprise == first


def test_plot_reserved_for_another_enterprise_cannot_be_allocated():
    first = EnterpriseFactory()
    second = EnterpriseFactory(zone=first.zone)
    plot = PlotFactory(zone=first.zone)
    services.plot_reserve(plot=plot, enterprise=first, reserved_on=D(2025, 10, 1))
    with pytest.raises(ValidationError, match="already reserved"):
        services.plot_allocate(plot=plot, enterprise=second, lease_starts_on=D(2025, 10, 1))


def test_plot_only_for_an_enterprise_licensed_in_its_zone():
    enterprise = EnterpriseFactory()
    plot = PlotFactory()  # another zone
    with pytest.raises(ValidationError, match="not in") as caught:
        services.plot_allocate(plot=plot, enterprise=enterprise, lease_starts_on=D(2025, 10, 1))
    assert "enterprise" in caught.value.message_dict


@pytest.mark.parametrize(
    "licence",
    [
        {"status": "applied", "licence_number": None, "issued_on": None, "expires_on": None},
        {"status": "suspended"},
        {"issued_on": D(2020, 1, 1), "expires_on": D(2024, 1, 1)},  # expired
    ],
)
def test_plot_refused_to_an_enterprise_without_a_licence_in_force(licence):
    enterprise = EnterpriseFactory(**licence)
    plot = PlotFactory(zone=enterprise.zone)
    with pytest.raises(ValidationError, match="not in force"):
        services.plot_allocate(plot=plot, enterprise=enterprise, lease_starts_on=D(2025, 10, 1))
    assert Plot.objects.get(pk=plot.pk).status == "vacant"


def test_only_allocated_plot_can_be_occupied():
    with pytest.raises(ValidationError, match="only an allocated"):
        services.plot_occupy(plot=PlotFactory(), occupied_on=D(2026, 1, 1))


# --- Annual returns ------------------------------------------------------------------------


def figures(**overrides):
    values = {
        "employees_total": 100,
        "employees_women": 30,
        "employees_foreign": 5,
        "exports_usd": Decimal("1500000"),
        "domestic_sales": Decimal("280000000"),
        "investment": Decimal("56000000"),
        "currency": "PKR",
        "submitted_on": D(2026, 9, 30),
    }
    values.update(overrides)
    return values


@pytest.fixture
def pkr_rate(db):
    return ExchangeRateFactory(currency="PKR", date=D(2026, 6, 1))


def test_return_due_days_after_year_end(settings):
    settings.ANNUAL_RETURN_DUE_DAYS = 90
    annual_return = services.return_open(enterprise=EnterpriseFactory(), fiscal_year="2025-26")
    assert annual_return.due_on == D(2026, 6, 30) + datetime.timedelta(days=90)
    assert annual_return.status == "due"


def test_return_for_a_year_before_the_licence_refused():
    enterprise = EnterpriseFactory(issued_on=D(2025, 9, 1))
    with pytest.raises(ValidationError, match="after the 2024-25 fiscal year ended") as caught:
        services.return_open(enterprise=enterprise, fiscal_year="2024-25")
    assert "fiscal_year" in caught.value.message_dict
    # The year in which the licence was issued is due.
    services.return_open(enterprise=enterprise, fiscal_year="2025-26")


@pytest.mark.parametrize("label", ["2025", "2025-27", "25-26", "2025/26", ""])
def test_malformed_fiscal_year_refused(label):
    with pytest.raises(ValidationError) as caught:
        services.return_open(enterprise=EnterpriseFactory(), fiscal_year=label)
    assert "fiscal_year" in caught.value.message_dict


def test_return_for_an_unlicensed_application_refused():
    enterprise = EnterpriseFactory(
        status="applied", licence_number=None, issued_on=None, expires_on=None
    )
    with pytest.raises(ValidationError, match="no licence yet"):
        services.return_open(enterprise=enterprise, fiscal_year="2025-26")


def test_duplicate_return_refused():
    enterprise = EnterpriseFactory()
    services.return_open(enterprise=enterprise, fiscal_year="2025-26")
    with pytest.raises(ValidationError):
        services.return_open(enterprise=enterprise, fiscal_year="2025-26")
    assert AnnualReturn.objects.count() == 1


def test_submission_converts_to_usd_at_the_year_end_rate(pkr_rate, checker):
    annual_return = services.return_open(enterprise=EnterpriseFactory(), fiscal_year="2025-26")
    services.return_submit(annual_return=annual_return, user=checker, **figures())

    assert annual_return.status == "submitted"
    assert annual_return.domestic_sales_usd == Decimal("1000000.01")  # 280m PKR at 1/280
    assert annual_return.investment_usd == Decimal("200000.00")
    assert annual_return.exports_usd == Decimal("1500000")


def test_submission_without_a_rate_refused():
    annual_return = services.return_open(enterprise=EnterpriseFactory(), fiscal_year="2025-26")
    with pytest.raises(ValidationError, match="No EUR exchange rate"):
        services.return_submit(annual_return=annual_return, **figures(currency="EUR"))
    annual_return.refresh_from_db()
    assert annual_return.status == "due"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"employees_women": 101}, "employees_women"),
        ({"employees_foreign": 101}, "employees_foreign"),
        ({"exports_usd": Decimal("-1")}, "exports_usd"),
        ({"investment": Decimal("-1")}, "investment"),
        ({"employees_total": 5_000_000, "employees_women": 0}, "employees_total"),
        ({"submitted_on": D(2026, 6, 1)}, "submitted_on"),
    ],
)
def test_absurd_figures_refused_with_a_field_error(pkr_rate, overrides, field):
    annual_return = services.return_open(enterprise=EnterpriseFactory(), fiscal_year="2025-26")
    with pytest.raises(ValidationError) as caught:
        services.return_submit(annual_return=annual_return, **figures(**overrides))
    assert field in caught.value.message_dict
    annual_return.refresh_from_db()
    assert (annual_return.status, annual_return.employees_total) == ("due", None)


def test_returned_goes_back_with_a_note_and_keeps_the_first_filing_date(pkr_rate, maker, checker):
    annual_return = services.return_open(enterprise=EnterpriseFactory(), fiscal_year="2025-26")
    services.return_submit(annual_return=annual_return, user=maker, **figures())

    with pytest.raises(ValidationError):
        services.return_send_back(annual_return=annual_return, user=checker, note="")
    services.return_send_back(
        annual_return=annual_return, user=checker, note="Exports missing the Q4 invoices"
    )
    assert annual_return.status == "returned"
    assert annual_return.review_note == "Exports missing the Q4 invoices"

    services.return_submit(
        annual_return=annual_return, user=maker, **figures(submitted_on=D(2026, 11, 15))
    )
    services.return_accept(annual_return=annual_return, user=checker)
    assert annual_return.status == "accepted"
    assert annual_return.submitted_on == D(2026, 9, 30)
    with pytest.raises(ValidationError, match="cannot be filed again"):
        services.return_submit(annual_return=annual_return, **figures())


def test_paper_return_entered_by_staff_needs_another_reviewer(pkr_rate, maker, checker):
    annual_return = services.return_open(enterprise=EnterpriseFactory(), fiscal_year="2025-26")
    services.return_submit(
        annual_return=annual_return, user=maker, filed_by_staff=True, **figures()
    )
    assert annual_return.filed_by_staff is True
    with pytest.raises(ValidationError, match="maker-checker"):
        services.return_accept(annual_return=annual_return, user=maker)
    services.return_accept(annual_return=annual_return, user=checker)


def test_only_submitted_return_can_be_accepted(checker):
    annual_return = services.return_open(enterprise=EnterpriseFactory(), fiscal_year="2025-26")
    with pytest.raises(ValidationError, match="only a submitted return"):
        services.return_accept(annual_return=annual_return, user=checker)
