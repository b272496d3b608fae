"""The split rule (impuls/split.py), by example and by property."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from impuls.split import NotEnough, Pot, room, split


def test_pro_rata_to_what_each_has_left_in_whole_euros_remainder_to_the_largest():
    # Given two commitments with 3,000 and 1,000 euros left, and one with 500 euros and a cap of 100
    pots = [Pot(1, 300_000), Pot(2, 100_000), Pot(3, 50_000, cap_cents=10_000)]
    # When 1,001 euros are split
    parts = split(100_100, pots)
    # Then each pays pro rata in whole euros (3,000:1,000:500 of 1,001 is 667.33, 222.44 and 111.22, rounded
    # down: 667, 222, and 100 for the capped one), and the 12 euros left over go to the one with the most left
    assert parts == {1: 67_900, 2: 22_200, 3: 10_000}
    assert sum(parts.values()) == 100_100


def test_an_amount_with_cents_is_split_in_cents():
    parts = split(100_050, [Pot(1, 100_000), Pot(2, 100_000)])
    assert parts == {1: 50_025, 2: 50_025}


def test_equal_commitments_split_the_remainder_to_the_lowest_id():
    assert split(300, [Pot(7, 10_000), Pot(4, 10_000)]) == {4: 200, 7: 100}


def test_not_enough_room_splits_nothing():
    with pytest.raises(NotEnough):
        split(100_000, [Pot(1, 60_000), Pot(2, 90_000, cap_cents=30_000)])


def test_a_commitment_with_nothing_left_pays_nothing():
    assert split(50_000, [Pot(1, 0), Pot(2, 80_000)]) == {2: 50_000}


pots = st.lists(
    st.builds(
        Pot,
        id=st.integers(1, 10_000),
        left_cents=st.integers(0, 10_000_000),
        cap_cents=st.none() | st.integers(1, 5_000_000),
    ),
    min_size=1,
    max_size=6,
    unique_by=lambda p: p.id,
)


@settings(deadline=None)  # no time limit per example: the machine is shared, the rule is pure
@given(amount=st.integers(1, 20_000_000), pots=pots)
def test_the_parts_add_up_and_none_exceeds_its_room(amount, pots):
    if room(pots) < amount:
        with pytest.raises(NotEnough):
            split(amount, pots)
        return
    parts = split(amount, pots)
    by_id = {p.id: p for p in pots}
    assert sum(parts.values()) == amount
    assert all(0 < part <= by_id[pid].room_cents for pid, part in parts.items())


@settings(deadline=None)  # no time limit per example: the machine is shared, the rule is pure
@given(euros=st.integers(1, 200_000), pots=pots)
def test_whole_euros_when_the_amount_and_the_rooms_allow(euros, pots):
    amount = euros * 100
    if sum(p.room_cents // 100 for p in pots) < euros:
        return
    assert all(part % 100 == 0 for part in split(amount, pots).values())


@settings(deadline=None)  # no time limit per example: the machine is shared, the rule is pure
@given(amount=st.integers(1, 2_000_000), pots=pots)
def test_a_commitment_with_more_left_never_pays_less_unless_capped(amount, pots):
    if room(pots) < amount:
        return
    parts = split(amount, pots)
    uncapped = [p for p in pots if p.cap_cents is None or p.cap_cents >= p.left_cents]
    for a in uncapped:
        for b in uncapped:
            if a.left_cents > b.left_cents:
                assert parts.get(a.id, 0) >= parts.get(b.id, 0)
