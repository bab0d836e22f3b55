"""verify_totals: the pledges' running realised totals against their disbursements."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from investments.models import Pledge
from investments.services import disbursement_record
from tests.factories import PledgeFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def pledges():
    first, second = PledgeFactory(amount=D("1000000")), PledgeFactory(amount=D("500000"))
    disbursement_record(pledge=first, amount=D("250000"), disbursed_on=first.pledged_on)
    disbursement_record(pledge=first, amount=D("50000"), disbursed_on=first.pledged_on)
    return first, second


def run(*args):
    out = io.StringIO()
    call_command("verify_totals", *args, stdout=out)
    return out.getvalue()


def test_totals_written_by_the_services_match(pledges, django_assert_max_num_queries):
    # One query for the pledges' running totals; five to recompute the summary rows and the
    # pledge-stage tallies, four to read the tables, two to read the tallies' members and totals;
    # three to recompute the registration tallies and two to read them; three for the plot
    # tallies. None per row.
    with django_assert_max_num_queries(20):
        assert "Every pledge's totals match its disbursements." in run()


def test_a_wrong_total_is_listed_and_fails_the_command(pledges):
    first, second = pledges
    # What a writer bypassing the services could leave behind.
    Pledge.objects.filter(pk=first.pk).update(realized_amount=D("1"), realized_usd=D("1"))
    Pledge.objects.filter(pk=second.pk).update(realized_usd=D("7"))
    with pytest.raises(
        CommandError,
        match=r"2 pledge\(s\) with wrong totals\. 10 summary row\(s\) differ from the base rows\. "
        r"Run again",
    ):
        run()
    # Nothing was changed by looking.
    assert Pledge.objects.get(pk=first.pk).realized_amount == D("1")


def test_repair_resets_the_totals_and_records_a_version(pledges, capsys):
    first, second = pledges
    Pledge.objects.filter(pk=first.pk).update(realized_amount=D("1"), realized_usd=D("1"))
    Pledge.objects.filter(pk=second.pk).update(realized_usd=D("7"))
    versions = first.history.count()
    output = run("--repair")
    assert f"pledge {first.pk}: realised 1.00 (USD 1.00), disbursements 300,000.00" in output
    assert "2 pledge(s) repaired." in output
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.realized_amount, first.realized_usd) == (D("300000"), D("300000"))
    assert (second.realized_amount, second.realized_usd) == (D("0"), D("0"))
    assert first.history.count() == versions + 1
    assert "Every pledge's totals match" in run()


def test_disbursements_above_the_pledge_are_not_repaired(pledges):
    first, _ = pledges
    Pledge.objects.filter(pk=first.pk).update(
        amount=D("100000"), amount_usd=D("100000"), realized_amount=D("0"), realized_usd=D("0")
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"1 pledge\(s\) with wrong totals\.$"):
        call_command("verify_totals", "--repair", stdout=out)
    assert "NOT repaired: its disbursements (300,000.00) exceed the pledged amount" in (
        out.getvalue()
    )
    first.refresh_from_db()
    assert first.realized_amount == D("0")  # left for a person to look at
