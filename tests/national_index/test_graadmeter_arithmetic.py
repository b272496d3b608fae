"""The graadmeter's pure arithmetic (national_index/graadmeter.py, docs/decisions/0032): the decomposition adds up,
joiners and leavers never move the growth level, the changes name the take they compare with, gaps break lines."""

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from national_index.graadmeter import Previous, changes, segments, step

takes = st.dictionaries(st.integers(0, 30), st.integers(0, 10**9), max_size=20)


@given(now=takes, before=takes)
def test_the_parts_add_up_to_the_change_in_value(now, before):
    s = step(now, before, Previous(Decimal(100), Decimal(100)))
    assert s.value_cents - sum(before.values()) == s.continuing_change_cents + s.joined_cents - s.left_cents
    assert s.joined_count == len(now.keys() - before.keys()) and s.left_count == len(before.keys() - now.keys())


@given(before=takes.filter(lambda d: sum(d.values()) > 0), joiners=takes)
def test_joiners_and_leavers_do_not_move_the_growth_level(before, joiners):
    # The initiatives of before stay as they were; some leave, others join
    staying = dict(list(before.items())[: len(before) // 2 + 1])
    now = {**staying, **{k + 100: v for k, v in joiners.items()}}
    s = step(now, before, Previous(Decimal("123.4567"), Decimal("111.1111")))
    assert s.growth_level == Decimal("111.1111")


def test_growth_of_the_same_initiatives_moves_both_levels_alike():
    s = step({1: 300, 2: 100}, {1: 100, 2: 100}, Previous(Decimal(100), Decimal(100)))
    assert s.level == s.growth_level == Decimal("200.0000")


def test_a_first_take_starts_at_100_and_a_zero_value_carries_the_chain():
    assert step({1: 5}, {}, None).level == Decimal(100)
    assert step({}, {}, None).level is None
    fallen = step({}, {1: 5}, Previous(Decimal(150), Decimal(120)))
    assert fallen.level == 0 and fallen.growth_level == Decimal(120)
    back = step({1: 7}, {}, Previous(fallen.level, fallen.growth_level))
    assert back.level == Decimal(100) and back.growth_level == Decimal(120)


def test_changes_compare_with_the_take_at_or_before_and_say_when_there_is_none():
    d = datetime.date
    series = [(d(2030, 1, 31), Decimal(100), Decimal(100)), (d(2030, 3, 1), Decimal(110), Decimal(105))]
    day, month, year = changes(series)
    assert day.since == d(2030, 2, 28) and day.compared_with == d(2030, 1, 31) and day.level == Decimal("10.00")
    assert (
        month.since == d(2030, 2, 1) and month.compared_with == d(2030, 1, 31) and month.growth_level == Decimal("5.00")
    )
    assert year.compared_with is None and year.level is None


def test_a_missing_day_breaks_the_line():
    d = datetime.date
    assert segments([d(2030, 1, 1), d(2030, 1, 2), d(2030, 1, 4), d(2030, 1, 5), d(2030, 1, 7)]) == [
        [0, 1],
        [2, 3],
        [4],
    ]


def test_a_growth_level_that_fell_to_0_starts_again_at_100():
    # Given the only initiative of a scope falls to nothing: both lines at 0
    fallen = step({1: 0}, {1: 500}, Previous(Decimal(100), Decimal(100)))
    assert fallen.level == 0 and fallen.growth_level == 0
    # When another joins, and then grows
    joined = step({1: 0, 2: 100}, {1: 0}, Previous(fallen.level, fallen.growth_level))
    grown = step({1: 0, 2: 200}, {1: 0, 2: 100}, Previous(joined.level, joined.growth_level))
    # Then both lines start again at 100 and follow the growth, instead of staying at 0 for ever
    assert joined.level == joined.growth_level == Decimal(100)
    assert grown.level == grown.growth_level == Decimal(200)
