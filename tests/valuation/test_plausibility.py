"""The pure plausibility rule (valuation/plausibility.py; docs/decisions/0019-plausible-figures.md): its limits
at their boundaries, without a database."""

from decimal import Decimal

import pytest

from valuation import plausibility as rule
from valuation.engine import ActivityLine, Price, PriceBook

UNITS = {
    "zorg-uur": "hour",
    "groen-uur": "hour",
    "deelnemer": "participant",
    "maaltijd": "meal",
    "pakket": "household",
    "traject": "person_year",
    "kwh": "kwh",
    "reparatie": "item",
    "evenement": "event",
    "jaar": "year",
}
BOOK = PriceBook("t", {c: Price(c, u, Decimal("10"), "zorg", {3: 100}) for c, u in UNITS.items()})
SCALE = rule.Scale(people_reached=250, volunteers=12, paid_staff=1, paid_fte=Decimal("0.5"))
WORK_HOURS = 12 * 1040 + 860  # 12 volunteers x 20 h x 52 weeks, plus 0.5 FTE x 1,720 h


def _check(*lines, scale=SCALE):
    return rule.check_activities(BOOK, scale, [ActivityLine(c, Decimal(q)) for c, q in lines])


@pytest.mark.parametrize(
    ("code", "most"),
    [
        ("zorg-uur", WORK_HOURS),
        ("deelnemer", 250 * 365),
        ("maaltijd", 250 * 3 * 365),
        ("pakket", 250 * 52),
        ("traject", 250),
        ("kwh", 250 * 25_000),
        ("reparatie", WORK_HOURS * 4),
        ("evenement", 365 * 2),  # 13 people working: two teams of (at most) ten
        ("jaar", 13),
    ],
)
def test_each_unit_is_allowed_up_to_its_limit_and_refused_just_above(code, most):
    assert _check((code, most)) == []
    [finding] = _check((code, Decimal(most) + Decimal("0.01")))
    assert (finding.code, finding.limit, finding.quantity) == (code, most, Decimal(most) + Decimal("0.01"))


def test_hours_of_all_hour_items_share_one_budget():
    half = WORK_HOURS // 2
    assert _check(("zorg-uur", half), ("groen-uur", half)) == []
    findings = _check(("zorg-uur", half), ("groen-uur", half + 1))
    assert [(f.code, f.reason, f.total, f.limit) for f in findings] == [
        ("zorg-uur", "hours", WORK_HOURS + 1, WORK_HOURS),
        ("groen-uur", "hours", WORK_HOURS + 1, WORK_HOURS),
    ]


def test_nobody_working_means_no_hours_and_nobody_reached_means_no_participants():
    empty = rule.Scale(people_reached=0, volunteers=0, paid_staff=0, paid_fte=Decimal(0))
    assert [f.limit for f in _check(("zorg-uur", 1), ("deelnemer", 1), scale=empty)] == [0, 0]
    # At least one event a day and one "year" item: an initiative exists
    assert _check(("evenement", 365), ("jaar", 1), scale=empty) == []


def test_paid_hours_count_at_1720_per_fte():
    staff_only = rule.Scale(people_reached=10, volunteers=0, paid_staff=3, paid_fte=Decimal("2.5"))
    assert _check(("zorg-uur", 4300), scale=staff_only) == []
    assert _check(("zorg-uur", 4301), scale=staff_only)[0].limit == 4300


def test_codes_the_price_list_does_not_know_are_left_to_the_engine():
    assert _check(("bestaat-niet", 10**9)) == []


def test_the_total_is_checked_against_the_larger_of_the_two_index_bounds():
    bounds = rule.IndexBounds(per_person=Decimal(100), per_volunteer=Decimal(5000), entries=60)
    assert rule.total_limit(bounds, SCALE) == 60_000  # 12 volunteers x 5,000 beats 250 people x 100
    assert rule.check_total(bounds, SCALE, Decimal(60_000)) == []
    [finding] = rule.check_total(bounds, SCALE, Decimal("60000.01"))
    assert (finding.reason, finding.code, finding.limit) == ("index", None, 60_000)


def test_the_index_bounds_are_the_percentile_times_the_factor_and_fall_back_when_the_index_is_small():
    bounds = rule.bounds_from(Decimal(200), Decimal(3000), rule.MIN_INDEX_ENTRIES)
    assert (bounds.per_person, bounds.per_volunteer) == (200 * rule.FACTOR, 3000 * rule.FACTOR)
    assert rule.bounds_from(Decimal(200), Decimal(3000), rule.MIN_INDEX_ENTRIES - 1) == rule.FALLBACK_BOUNDS
    assert rule.bounds_from(None, None, 0) == rule.FALLBACK_BOUNDS


def test_the_exploit_a_small_initiative_worth_a_hundred_million_is_refused_by_both_checks():
    # 250 people reached, 12 volunteers: 40,000 work trajectories of EUR 2,500 is EUR 100 million a year
    book = PriceBook("t", {"werk-traject": Price("werk-traject", "person_year", Decimal(2500), "werk", {8: 100})})
    [finding] = rule.check_activities(book, SCALE, [ActivityLine("werk-traject", Decimal(40_000))])
    assert (finding.reason, finding.limit) == ("per_person", 250)
    assert rule.check_total(rule.FALLBACK_BOUNDS, SCALE, Decimal(100_000_000))
