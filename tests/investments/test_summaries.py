"""Pledge summary rows: every write path keeps them equal to a fresh aggregate of the pledges."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from investments import summaries
from investments.models import CompanyPledgeTotal, Pledge, PledgeQuarterTotal, ZonePledgeTotal
from investments.services import disbursement_record, pledge_delete, pledge_record, pledge_update
from tests.factories import CompanyFactory, DisbursementFactory, PledgeFactory, ZoneFactory

pytestmark = pytest.mark.django_db
D = Decimal


def assert_in_step():
    assert summaries.differences() == []


def zone_row(zone, status):
    return ZonePledgeTotal.objects.get(zone=zone, status=status)


def test_a_recorded_pledge_adds_to_its_zone_company_and_quarter():
    zone, company = ZoneFactory(), CompanyFactory(origin="global")
    pledge_record(
        company=company,
        zone=zone,
        amount=D("250000"),
        currency="USD",
        pledged_on=datetime.date(2026, 5, 20),
    )
    pledge_record(
        company=company,
        zone=zone,
        amount=D("100000"),
        currency="USD",
        pledged_on=datetime.date(2026, 6, 30),
    )

    row = zone_row(zone, "announced")
    assert (row.pledge_count, row.amount_usd, row.realized_usd) == (2, D("350000"), D("0"))
    assert CompanyPledgeTotal.objects.get(company=company, status="announced").pledge_count == 2
    quarter = PledgeQuarterTotal.objects.get()
    assert (quarter.zone, quarter.origin, quarter.quarter) == (
        zone,
        "global",
        datetime.date(2026, 4, 1),
    )
    assert quarter.amount_usd == D("350000")
    assert_in_step()


def test_status_amount_and_zone_changes_move_the_figures():
    first, second = ZoneFactory(), ZoneFactory()
    pledge = PledgeFactory(zone=first, amount=D("1000"))

    pledge_update(pledge=pledge, status="committed", amount=D("1500"))
    assert zone_row(first, "announced").pledge_count == 0
    assert zone_row(first, "committed").amount_usd == D("1500")

    pledge_update(pledge=pledge, zone=second, pledged_on=datetime.date(2025, 1, 2))
    assert zone_row(first, "committed").pledge_count == 0
    assert zone_row(second, "committed").pledge_count == 1
    assert PledgeQuarterTotal.objects.filter(quarter=datetime.date(2025, 1, 1)).exists()
    assert_in_step()


def test_tranches_count_by_the_quarter_they_were_paid_in():
    pledge = PledgeFactory(amount=D("1000"), pledged_on=datetime.date(2026, 1, 10))
    disbursement_record(pledge=pledge, amount=D("300"), disbursed_on=datetime.date(2026, 8, 1))
    disbursement_record(pledge=pledge, amount=D("200"), disbursed_on=datetime.date(2026, 8, 2))

    pledged = PledgeQuarterTotal.objects.get(quarter=datetime.date(2026, 1, 1))
    paid = PledgeQuarterTotal.objects.get(quarter=datetime.date(2026, 7, 1))
    assert (pledged.pledge_count, pledged.realized_usd, pledged.realized_count) == (
        1,
        D("500"),
        1,
    )
    assert (paid.pledge_count, paid.disbursement_count, paid.disbursed_usd) == (0, 2, D("500"))
    assert_in_step()


def test_deleting_a_tranche_or_a_pledge_takes_its_figures_away():
    pledge = PledgeFactory(amount=D("1000"))
    tranche = disbursement_record(
        pledge=pledge, amount=D("300"), disbursed_on=datetime.date(2026, 8, 1)
    )
    other = PledgeFactory(zone=pledge.zone, company=pledge.company, amount=D("5"))

    tranche.delete()
    assert_in_step()
    pledge_delete(pledge=pledge)
    assert_in_step()
    assert zone_row(other.zone, "announced").pledge_count == 1
    other.delete()
    assert_in_step()
    assert summaries.differences(current=summaries.stored(), wanted=summaries.expected()) == []


def test_a_tranche_moved_to_another_pledge_settles_both():
    first, second = PledgeFactory(amount=D("1000")), PledgeFactory(amount=D("1000"))
    tranche = DisbursementFactory(pledge=first, amount=D("100"))

    tranche.pledge = second
    tranche.save()

    assert_in_step()


def test_a_company_changing_origin_moves_its_pledges_between_origins():
    company = CompanyFactory(origin="domestic")
    PledgeFactory(company=company, amount=D("700"))

    company.origin = "global"
    company.save()

    assert list(PledgeQuarterTotal.objects.exclude(amount_usd=0).values_list("origin")) == [
        ("global",)
    ]
    assert_in_step()


def test_a_failed_write_leaves_the_summary_rows_as_they_were():
    pledge = PledgeFactory(amount=D("1000"))
    with pytest.raises(ValidationError):
        pledge_update(pledge=pledge, amount=D("-5"))
    assert zone_row(pledge.zone, "announced").amount_usd == D("1000")
    assert_in_step()


def test_raw_saves_are_left_to_the_restore(django_assert_max_num_queries):
    now = timezone.now()
    pledge = PledgeFactory.build(
        zone=ZoneFactory(), company=CompanyFactory(), created=now, updated=now
    )
    with django_assert_max_num_queries(2):
        pledge.save_base(raw=True)
    assert not ZonePledgeTotal.objects.filter(zone=pledge.zone).exists()


def test_admin_edits_and_deletes_keep_them_in_step(admin_client):
    pledge = PledgeFactory(amount=D("1000"))
    PledgeFactory(zone=pledge.zone)

    response = admin_client.post(
        f"/admin/investments/pledge/{pledge.pk}/delete/", {"post": "yes"}, follow=True
    )
    assert response.status_code == 200
    assert not Pledge.objects.filter(pk=pledge.pk).exists()
    assert_in_step()

    response = admin_client.post(
        "/admin/investments/pledge/",
        {
            "action": "delete_selected",
            "_selected_action": list(Pledge.objects.values_list("pk", flat=True)),
            "post": "yes",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert Pledge.objects.count() == 0
    assert_in_step()
    assert ZonePledgeTotal.objects.exclude(pledge_count=0).count() == 0


# ---------------------------------------------------------------------------
# Random sequences of service calls


operations = st.lists(
    st.tuples(
        st.sampled_from(["record", "status", "amount", "zone", "disburse", "delete", "origin"]),
        st.integers(min_value=0, max_value=50),
        st.integers(min_value=1, max_value=400),
    ),
    min_size=1,
    max_size=14,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=operations)
def test_any_sequence_of_writes_keeps_the_rows_equal_to_a_fresh_aggregate(steps):
    zones = [ZoneFactory(), ZoneFactory()]
    companies = [CompanyFactory(origin="domestic"), CompanyFactory(origin="global")]
    try:
        for action, pick, day in steps:
            pledges = list(Pledge.objects.order_by("pk"))
            pledge = pledges[pick % len(pledges)] if pledges else None
            when = datetime.date(2025, 1, 1) + datetime.timedelta(days=day)
            if action == "record" or pledge is None:
                pledge_record(
                    company=companies[pick % 2],
                    zone=zones[day % 2],
                    amount=D(1000 + pick),
                    currency="USD",
                    pledged_on=when,
                )
            elif action == "status":
                statuses = ["announced", "committed", "in_progress", "realized", "cancelled"]
                pledge_update(pledge=pledge, status=statuses[day % 5])
            elif action == "amount" and pledge.realized_amount <= D(500 + day):
                pledge_update(pledge=pledge, amount=D(500 + day))
            elif action == "zone":
                pledge_update(pledge=pledge, zone=zones[day % 2], pledged_on=when)
            elif action == "disburse" and pledge.status != "cancelled":
                room = pledge.amount - pledge.realized_amount
                if room >= 1:
                    disbursement_record(
                        pledge=pledge, amount=min(room, D(pick + 1)), disbursed_on=when
                    )
            elif action == "delete":
                pledge_delete(pledge=pledge)
            elif action == "origin":
                company = companies[pick % 2]
                company.origin = "global" if company.origin == "domestic" else "domestic"
                company.save()
            assert_in_step()
    finally:
        Pledge.objects.all().delete()
        for model in summaries.SUMMARY_MODELS:
            model.objects.all().delete()


# ---------------------------------------------------------------------------
# verify_totals and rebuild


def run_verify(*args):
    out = io.StringIO()
    call_command("verify_totals", *args, stdout=out)
    return out.getvalue()


def test_verify_totals_finds_a_wrong_summary_row_and_repairs_it():
    pledge = PledgeFactory(amount=D("1000"))
    ZonePledgeTotal.objects.filter(zone=pledge.zone).update(amount_usd=D("1"))
    PledgeQuarterTotal.objects.all().delete()

    with pytest.raises(CommandError, match="summary row"):
        run_verify()
    assert len(summaries.differences()) == 2

    output = run_verify("--repair")
    assert "repaired" in output
    assert_in_step()
    assert "Every summary row matches" in run_verify()


def test_a_summary_row_for_pledges_that_do_not_exist_is_reported():
    zone = ZoneFactory()
    ZonePledgeTotal.objects.create(zone=zone, status="committed", pledge_count=3)

    (difference,) = summaries.differences()
    assert difference.stored["pledge_count"] == 3
    assert "pledge_count 3 (should be 0)" in difference.describe()


def test_rebuild_writes_what_bulk_writers_left_out():
    pledge = PledgeFactory(amount=D("1000"))
    for model in summaries.SUMMARY_MODELS:
        model.objects.all().delete()
    Disbursement = pledge.disbursements.model
    # What generate_data's bulk writes do: rows without signals.
    Disbursement.objects.bulk_create(
        [
            Disbursement(
                pledge=pledge, amount=D("10"), amount_usd=D("10"), disbursed_on=pledge.pledged_on
            )
        ]
    )
    assert summaries.differences()

    written = summaries.rebuild()

    assert written["zone pledge totals"] == 1
    assert_in_step()
