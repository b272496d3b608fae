"""Properties of the valuation engine (hypothesis): additive, monotone, non-negative, and equal to an
independent integer computation whatever the order of the activities."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from valuation.engine import ActivityLine, Price, PriceBook, ValuationError, value

DOMAINS = ["armoede", "zorg", "groen", "werk"]
UNITS = ["hour", "participant", "meal", "event", "year", "kwh"]

money = st.decimals(min_value=0, max_value=Decimal("100000"), places=2, allow_nan=False, allow_infinity=False)
quantity = st.decimals(min_value=0, max_value=Decimal("1000000"), places=2, allow_nan=False, allow_infinity=False)


@st.composite
def weights(draw):
    sdgs = draw(st.lists(st.integers(1, 17), min_size=1, max_size=4, unique=True))
    cuts = sorted(draw(st.lists(st.integers(1, 99), min_size=len(sdgs) - 1, max_size=len(sdgs) - 1, unique=True)))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
    return dict(zip(sdgs, parts, strict=True))


@st.composite
def books(draw, min_items=1):
    codes = draw(st.lists(st.from_regex(r"[a-z]{3,8}", fullmatch=True), min_size=min_items, max_size=8, unique=True))
    prices = {
        code: Price(code, draw(st.sampled_from(UNITS)), draw(money), draw(st.sampled_from(DOMAINS)), draw(weights()))
        for code in codes
    }
    return PriceBook("test", prices)


@st.composite
def book_and_activities(draw):
    book = draw(books())
    codes = list(book.prices)
    activities = draw(st.lists(st.builds(ActivityLine, st.sampled_from(codes), quantity), max_size=10))
    return book, activities


@settings(max_examples=200)
@given(book_and_activities(), book_and_activities())
def test_additive_over_activities(first, second):
    book, a = first
    _, b = second
    b = [line for line in b if line.code in book.prices]
    assert value(book, a + b).total == value(book, a).total + value(book, b).total


@given(book_and_activities())
def test_non_negative_and_parts_add_up_to_the_total(case):
    book, activities = case
    result = value(book, activities)
    assert result.total >= 0
    assert all(v >= 0 for v in result.by_domain.values()) and all(v >= 0 for v in result.by_sdg.values())
    assert sum(result.by_domain.values(), Decimal(0)) == result.total
    # SDG shares are rounded to 1/100 cent per line: never more than that off the total
    assert abs(sum(result.by_sdg.values(), Decimal(0)) - result.total) <= Decimal("0.0001") * 4 * len(activities)


@given(book_and_activities(), quantity)
def test_monotone_in_quantity(case, extra):
    book, activities = case
    if not activities:
        return
    first, *rest = activities
    more = [ActivityLine(first.code, first.quantity + extra), *rest]
    assert value(book, more).total >= value(book, activities).total


@given(book_and_activities(), money)
def test_monotone_in_price(case, extra):
    book, activities = case
    code = next(iter(book.prices))
    p = book.prices[code]
    dearer = PriceBook(
        book.version, {**book.prices, code: Price(code, p.unit, p.unit_value + extra, p.domain, p.sdg_weights)}
    )
    assert value(dearer, activities).total >= value(book, activities).total


def _in_whole_cents(book, activities) -> tuple[int, dict[str, int], int, list[str]]:
    """An independent oracle in integers: each line is quantity x price in 1/10000 euro, rounded half up
    to whole cents; deliveries count the people-units (participants, meals) in hundredths."""
    total, by_domain, deliveries, unknown = 0, {}, 0, []
    for line in activities:
        price = book.prices.get(line.code)
        if price is None:
            unknown.append(line.code)
            continue
        ten_thousandths = int(line.quantity * 100) * int(price.unit_value * 100)
        cents = (ten_thousandths + 50) // 100
        total += cents
        by_domain[price.domain] = by_domain.get(price.domain, 0) + cents
        if price.unit in ("participant", "meal"):
            deliveries += int(line.quantity * 100)
    return total, by_domain, deliveries, unknown


@settings(max_examples=200)
@given(book_and_activities(), st.lists(st.from_regex(r"[A-Z]{3}", fullmatch=True), max_size=3), st.randoms())
def test_the_engine_agrees_with_an_integer_oracle_in_any_order(case, missing, rnd):
    book, activities = case
    activities = activities + [ActivityLine(code, Decimal(1)) for code in missing]  # not in the book
    total, by_domain, deliveries, unknown = _in_whole_cents(book, activities)
    result = value(book, activities)
    assert result.version == book.version
    assert result.total == Decimal(total) / 100
    assert result.by_domain == {d: Decimal(c) / 100 for d, c in sorted(by_domain.items())}
    assert result.deliveries == Decimal(deliveries) / 100
    assert list(result.unknown_codes) == unknown
    # and the order of the activities changes nothing of the figures
    shuffled = list(activities)
    rnd.shuffle(shuffled)
    again = value(book, shuffled)
    assert (again.total, again.by_domain, again.by_sdg, again.deliveries) == (
        result.total,
        result.by_domain,
        result.by_sdg,
        result.deliveries,
    )


def test_a_worked_example_in_cents():
    book = PriceBook(
        "2026.1",
        {
            "uur": Price("uur", "hour", Decimal("14.40"), "zorg", {3: 60, 10: 40}),
            "maaltijd": Price("maaltijd", "meal", Decimal("7.25"), "armoede", {2: 100}),
        },
    )
    result = value(
        book,
        [
            ActivityLine("uur", Decimal("1000")),
            ActivityLine("maaltijd", Decimal("3")),
            ActivityLine("verdwenen", Decimal("5")),
        ],
    )
    assert result.total == Decimal("14421.75")
    assert result.by_domain == {"armoede": Decimal("21.75"), "zorg": Decimal("14400.00")}
    assert result.by_sdg == {2: Decimal("21.75"), 3: Decimal("8640.00"), 10: Decimal("5760.00")}
    assert result.deliveries == Decimal("3")  # meals count as people helped, hours do not
    assert result.unknown_codes == ("verdwenen",)


def test_bad_input_is_refused_with_a_reason():
    with pytest.raises(ValuationError, match="negative"):
        value(PriceBook("v", {"a": Price("a", "hour", Decimal(1), "zorg", {3: 100})}), [ActivityLine("a", Decimal(-1))])
    with pytest.raises(ValuationError, match="add up to 100"):
        Price("a", "hour", Decimal(1), "zorg", {3: 60})
