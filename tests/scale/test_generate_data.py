"""generate_data: tiny scales, on whichever database DATABASE_URL names (COPY on PostgreSQL)."""

import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum

from companies.models import Company, InterestRegistration
from companies.normalize import normalize_company_name
from investments import summaries
from investments.models import Disbursement, ExchangeRate, Pledge, ZonePledgeTotal
from investments.services import usd_amount
from programme.management.commands import generate_data
from programme.management.commands.generate_data import (
    SCALES,
    SYNTHETIC_MARK,
    registration_reference,
)
from tests.factories import PledgeFactory, ZoneFactory
from zones.models import Zone, ZoneDeveloper, ZoneStatusChange

TINY = {"zones": 8, "companies": 60, "pledges": 400, "registrations": 80}

pytestmark = pytest.mark.django_db


def generate(**options):
    call_command("generate_data", no_progress=True, stdout=_Null(), **{**TINY, **options})


class _Null:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass


def synthetic_pledges():
    return Pledge.objects.filter(zone__description=SYNTHETIC_MARK)


def snapshot():
    """Everything a seed decides, by natural keys (ids differ between runs on PostgreSQL)."""
    return {
        "zones": sorted(
            Zone.objects.filter(description=SYNTHETIC_MARK).values_list("slug", "status", "city")
        ),
        "companies": sorted(
            Company.objects.filter(description=SYNTHETIC_MARK).values_list(
                "name", "origin", "country"
            )
        ),
        "pledges": sorted(
            synthetic_pledges().values_list(
                "company__name",
                "zone__slug",
                "amount",
                "currency",
                "amount_usd",
                "pledged_on",
                "status",
                "realized_amount",
                "realized_usd",
            )
        ),
        "registrations": sorted(
            InterestRegistration.objects.filter(company__description=SYNTHETIC_MARK).values_list(
                "company__name", "status", "channel", "created"
            )
        ),
    }


def test_writes_the_requested_number_of_rows():
    generate()

    assert Zone.objects.filter(description=SYNTHETIC_MARK).count() == TINY["zones"]
    assert Company.objects.filter(description=SYNTHETIC_MARK).count() == TINY["companies"]
    assert synthetic_pledges().count() == TINY["pledges"]
    registrations = InterestRegistration.objects.filter(company__description=SYNTHETIC_MARK)
    assert registrations.count() == TINY["registrations"]
    # Every registration names at least one zone and has a contact to answer it.
    assert not registrations.annotate(n=Count("zones")).filter(n=0).exists()
    assert not registrations.filter(contact__isnull=True).exists()
    assert ZoneStatusChange.objects.filter(zone__description=SYNTHETIC_MARK).count() >= 8


def test_the_same_seed_writes_the_same_data_and_another_seed_does_not():
    generate(seed=5)
    first = snapshot()
    generate(seed=5, flush=True)
    assert snapshot() == first

    generate(seed=6, flush=True)
    assert snapshot()["pledges"] != first["pledges"]


def test_refuses_a_database_that_already_holds_generated_data():
    generate()

    with pytest.raises(CommandError, match=r"--append.*--flush"):
        generate()

    assert synthetic_pledges().count() == TINY["pledges"]


def test_append_adds_beside_the_existing_data_without_clashing():
    generate(seed=1)
    generate(seed=1, append=True)

    companies = Company.objects.filter(description=SYNTHETIC_MARK)
    assert companies.count() == 2 * TINY["companies"]
    assert synthetic_pledges().count() == 2 * TINY["pledges"]
    names = list(companies.values_list("normalized_name", flat=True))
    assert len(set(names)) == len(names)
    assert Zone.objects.filter(description=SYNTHETIC_MARK).count() == 2 * TINY["zones"]
    # Bulk writes pass the summary receivers by; the command rebuilds the rows after each run.
    assert summaries.differences() == []
    assert ZonePledgeTotal.objects.aggregate(n=Sum("pledge_count"))["n"] == 2 * TINY["pledges"]


def test_flush_deletes_generated_rows_and_keeps_real_ones():
    real_zone = ZoneFactory(name="Real Zone", slug="real-zone")
    real_pledge = PledgeFactory(zone=real_zone)
    generate()

    call_command("generate_data", flush=True, no_progress=True, stdout=_Null())

    assert list(Zone.objects.all()) == [real_zone]
    assert not Company.objects.filter(description=SYNTHETIC_MARK).exists()
    assert list(Pledge.objects.all()) == [real_pledge]
    assert summaries.differences() == []
    assert not Disbursement.objects.exists()
    assert not InterestRegistration.objects.exists()
    assert not ZoneDeveloper.objects.filter(description=SYNTHETIC_MARK).exists()
    assert not ExchangeRate.objects.filter(source=generate_data.RATE_SOURCE).exists()


def test_a_failure_half_way_leaves_nothing_behind(monkeypatch):
    def broken(self, count):
        raise RuntimeError("disk full")

    monkeypatch.setattr(generate_data.Generator, "make_pledges", broken)

    with pytest.raises(RuntimeError):
        generate()

    assert not Zone.objects.exists()
    assert not Company.objects.exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"zones": 0}, "need --zones and --companies"),
        ({"companies": 0}, "need --zones and --companies"),
        ({"zones": 0, "companies": 0, "pledges": 0, "registrations": 0}, "Nothing to generate"),
        ({"batch_size": 0}, "at least 1"),
    ],
)
def test_refuses_arguments_it_cannot_honour(options, message):
    with pytest.raises(CommandError, match=message):
        generate(**options)
    assert not Zone.objects.exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["--scale", "XL"],
        ["--zones", "-3"],
        ["--pledges", "many"],
        ["--scale", "S", "--append", "--flush"],
    ],
)
def test_rejects_malformed_command_lines(argv):
    with pytest.raises(CommandError):
        call_command("generate_data", *argv, "--no-progress", stdout=_Null())
    assert not Zone.objects.exists()


def test_scale_presets_are_the_sizes_of_issue_6():
    assert SCALES["M"] == {
        "zones": 100, "companies": 10_000, "pledges": 100_000, "registrations": 20_000,
        "enterprises": 2_000, "plots": 6_000, "returns": 10_000,
    }  # fmt: skip
    assert SCALES["L"]["pledges"] == 1_000_000
    assert SCALES["L"]["zones"] == 1_000


@pytest.mark.slow
def test_every_generated_row_passes_model_validation():
    generate()

    for zone in Zone.objects.filter(description=SYNTHETIC_MARK):
        zone.full_clean()
    for company in Company.objects.filter(description=SYNTHETIC_MARK):
        assert company.normalized_name == normalize_company_name(company.name)
        company.full_clean()
    for registration in InterestRegistration.objects.all():
        registration.full_clean()
    for pledge in synthetic_pledges():
        pledge.full_clean()
    for disbursement in Disbursement.objects.all():
        disbursement.full_clean()


def test_usd_amounts_use_the_rate_on_or_before_their_date():
    generate()

    pledges = list(synthetic_pledges())
    assert {pledge.currency for pledge in pledges} == {"PKR", "USD"}
    for pledge in pledges:
        assert pledge.amount_usd == usd_amount(
            amount=pledge.amount, currency=pledge.currency, on_date=pledge.pledged_on
        )
    for tranche in Disbursement.objects.select_related("pledge"):
        assert tranche.disbursed_on >= tranche.pledge.pledged_on
        assert tranche.amount_usd == usd_amount(
            amount=tranche.amount, currency=tranche.pledge.currency, on_date=tranche.disbursed_on
        )


def test_realised_totals_equal_the_disbursements_and_stay_within_the_pledge():
    generate()

    pledges = synthetic_pledges().annotate(
        paid=Sum("disbursements__amount"), paid_usd=Sum("disbursements__amount_usd")
    )
    assert pledges.filter(status="realized").exists()
    for pledge in pledges:
        assert pledge.realized_amount == (pledge.paid or Decimal("0"))
        assert pledge.realized_usd == (pledge.paid_usd or Decimal("0"))
        assert pledge.realized_amount <= pledge.amount
        if pledge.status == "realized":
            assert pledge.realized_amount == pledge.amount
        if pledge.status in ("announced", "committed", "cancelled"):
            assert pledge.paid is None


def test_data_is_skewed_like_a_real_programme():
    generate(zones=10, companies=200, pledges=2_000, registrations=50)

    per_zone = sorted(
        synthetic_pledges().values("zone").annotate(n=Count("pk")).values_list("n", flat=True),
        reverse=True,
    )
    assert sum(per_zone[:2]) > 0.4 * 2_000  # a few zones hold most pledges
    domestic = Company.objects.filter(description=SYNTHETIC_MARK, origin="domestic").count()
    assert 0.7 * 200 <= domestic <= 0.9 * 200
    # Old pledges have been realised; recent ones are still announcements.
    realized = synthetic_pledges().filter(status="realized").order_by("pledged_on")
    announced = synthetic_pledges().filter(status="announced").order_by("pledged_on")
    assert realized[realized.count() // 2].pledged_on < announced[announced.count() // 2].pledged_on


def test_registrations_get_unique_references_in_the_public_format():
    generate()

    rows = list(InterestRegistration.objects.values_list("reference", "status_token"))
    references = [reference for reference, _ in rows]
    tokens = [token for _, token in rows]
    assert all(re.fullmatch(r"TZR-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", r) for r in references)
    assert len(set(references)) == len(references)
    assert len(set(tokens)) == len(tokens)
    assert min(len(token) for token in tokens) >= 40


def test_references_never_repeat_across_many_ids():
    references = {registration_reference(row_id) for row_id in range(1, 50_001)}
    assert len(references) == 50_000
