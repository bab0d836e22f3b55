"""core.tallies: a member counted once per scope, however its rows come and go."""

from decimal import Decimal

import pytest
from django.db import transaction

from core import tallies
from core.models import Tally, TallyMember

pytestmark = pytest.mark.django_db
D = Decimal


def totals(key="k"):
    return tallies.totals("scope").get(key, tallies.NO_TOTALS)


def test_members_move_only_when_a_member_goes_from_none_to_some_and_back():
    tallies.add({("scope", "k", 1): (2, D("10"))})
    tallies.add({("scope", "k", 1): (1, D("5")), ("scope", "k", 2): (1, D("1"))})
    assert totals() == tallies.TallyTotals(members=2, count=4, amount=D("16.00"))

    tallies.add({("scope", "k", 1): (-3, D("-15"))})
    assert totals() == tallies.TallyTotals(members=1, count=1, amount=D("1.00"))
    # The emptied member row stays at zero; it no longer counts.
    assert TallyMember.objects.get(scope="scope", member=1).count == 0
    tallies.add({("scope", "k", 1): (1, D("2"))})
    assert totals().members == 2


def test_collecting_applies_once_at_the_end_and_nested_blocks_join_it():
    with tallies.collecting():
        tallies.add({("scope", "k", 1): (1, D("1"))})
        with tallies.collecting():
            tallies.add({("scope", "k", 1): (1, D("1"))})
        assert not Tally.objects.exists()
    assert totals() == tallies.TallyTotals(members=1, count=2, amount=D("2.00"))


def test_a_failed_block_adds_nothing():
    with pytest.raises(RuntimeError), transaction.atomic(), tallies.collecting():
        tallies.add({("scope", "k", 1): (1, D("1"))})
        raise RuntimeError
    assert not Tally.objects.exists()
    # And the next block starts clean.
    with tallies.collecting():
        tallies.add({("scope", "k", 2): (1, D("1"))})
    assert totals().count == 1


def test_difference_leaves_out_unchanged_members():
    before = {("scope", "k", 1): (1, D("1")), ("scope", "k", 2): (1, D("1"))}
    after = {("scope", "k", 1): (1, D("1")), ("scope", "k", 3): (2, D("4"))}
    assert tallies.difference(after, before) == {
        ("scope", "k", 2): (-1, D("-1")),
        ("scope", "k", 3): (2, D("4")),
    }


def test_differences_name_wrong_members_and_totals_and_rebuild_mends_them():
    tallies.add({("scope", "k", 1): (1, D("1")), ("other", "", 9): (1, D("0"))})
    wanted = {("scope", "k", 1): (2, D("1.00")), ("scope", "j", 5): (1, D("0.00"))}
    found = tallies.differences(["scope"], wanted)
    assert [(d.table, d.key) for d in found] == [
        ("tally member", ("scope", "j", 5)),
        ("tally member", ("scope", "k", 1)),
        ("tally", ("scope", "j")),
        ("tally", ("scope", "k")),
    ]
    assert "count 1 (should be 2)" in found[1].describe()

    assert tallies.rebuild(["scope"], wanted) == 2
    assert tallies.differences(["scope"], wanted) == []
    # Other scopes are left alone.
    assert tallies.totals("other")[""].members == 1
