"""Plausible figures: is what an initiative declares possible for an initiative of its size? Pure Python with
Decimal, no ORM, no Django, like ``valuation/engine.py``; the rule, its limits and their reasoning are in
docs/decisions/0019-plausible-figures.md.

Two checks, both returning findings (empty: plausible):

- ``check_activities``: every declared activity against the initiative's own scale (people reached, volunteers,
  paid FTE, the hours in a year), with a cap per unit of the price list (``valuation.models.Unit``). Hours of all
  hour items together share one budget: nobody works two hours at once.
- ``check_total``: the declared total social value against what comparable initiatives in the national index
  declare, per person reached and per volunteer (``IndexBounds``, computed by
  ``national_index.selectors.value_bounds``).

A finding names the activity (its price-list code; ``None`` for the total), the quantity, the limit and why
(``reason``, a fixed key the caller turns into a sentence in the reader's language).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from .engine import ActivityLine, PriceBook

# The hours a full-time employee works in a year (the customary Dutch full-time year: 40 hours for 43 weeks).
FTE_HOURS = Decimal(1720)
# The most a volunteer gives in a year: 20 hours a week, every week. Far above what volunteers usually give,
# so a real initiative never meets it; a quantity above it is a typing error or an inflated figure.
VOLUNTEER_HOURS = Decimal(20 * 52)
DAYS = Decimal(365)
# How often one person reached can count in a year, per unit counting people.
PER_PERSON = {
    "participant": DAYS,  # taking part every day of the year
    "meal": 3 * DAYS,  # every meal of every day
    "household": Decimal(52),  # a household has at least one person reached; a delivery every week
    "person_year": Decimal(1),  # a person is reached for at most one year per year
    "kwh": Decimal(25_000),  # energy: about ten times a household's yearly electricity use per person reached
}
ITEMS_PER_HOUR = Decimal(4)  # a thing made, repaired or handed out takes at least a quarter of an hour of work
EVENT_TEAM = 10  # an event a day for every ten people working (volunteers and paid staff), at least one a day
# The index check: a total above FACTOR x the index's 95th percentile of value per person reached and per
# volunteer (both) is out of proportion. The 95th percentile, not the maximum, so a few inflated entries
# already in the index do not raise the bar; the factor leaves room for the unusual real initiative.
PERCENTILE = 95
FACTOR = Decimal(10)
MIN_INDEX_ENTRIES = 50  # below this, the index is too small to say what is usual: FALLBACK_BOUNDS apply


@dataclass(frozen=True)
class Scale:
    """The initiative's own size, from its profile."""

    people_reached: int
    volunteers: int
    paid_staff: int
    paid_fte: Decimal

    @property
    def work_hours(self) -> Decimal:
        return self.volunteers * VOLUNTEER_HOURS + Decimal(self.paid_fte) * FTE_HOURS


@dataclass(frozen=True)
class IndexBounds:
    """The highest plausible value per person reached and per volunteer (already multiplied by FACTOR)."""

    per_person: Decimal
    per_volunteer: Decimal
    entries: int  # how many index entries they were computed from; 0 for the fallback


# Used while the index holds fewer than MIN_INDEX_ENTRIES valued initiatives: generous fixed bounds, per person
# reached about a full-time minimum-wage year of help (1,720 h x EUR 14.40 is about EUR 25,000) and per
# volunteer ten times a volunteer's maximum year at that wage.
FALLBACK_BOUNDS = IndexBounds(per_person=Decimal(25_000), per_volunteer=Decimal(150_000), entries=0)


@dataclass(frozen=True)
class Finding:
    reason: str  # "hours", "per_person", "items", "events", "years", "index"
    code: str | None  # the activity's price-list code; None for the total
    unit: str | None
    quantity: Decimal  # the line's quantity (for "index": the total social value)
    limit: Decimal  # the most this initiative can plausibly declare
    total: Decimal | None = None  # "hours": the hours of all hour items together


def _floor(d: Decimal) -> Decimal:
    return d.quantize(Decimal(1), rounding=ROUND_FLOOR)


def unit_limit(unit: str, scale: Scale) -> tuple[str, Decimal] | None:
    """The reason and the most a line of ``unit`` can hold per year at ``scale``; None: no cap for this unit."""
    if unit == "hour":
        return "hours", scale.work_hours
    if unit in PER_PERSON:
        return "per_person", scale.people_reached * PER_PERSON[unit]
    if unit == "item":
        return "items", scale.work_hours * ITEMS_PER_HOUR
    if unit == "event":
        teams = max(1, -(-(scale.volunteers + scale.paid_staff) // EVENT_TEAM))
        return "events", DAYS * teams
    if unit == "year":
        return "years", Decimal(max(1, scale.volunteers + scale.paid_staff))
    return None


def check_activities(book: PriceBook, scale: Scale, activities: Iterable[ActivityLine]) -> list[Finding]:
    """Findings for the activities that exceed the initiative's scale, in the order declared. Codes the book
    does not know are left to the engine (it reports them)."""
    lines = [a for a in activities if a.code in book.prices]
    hours = sum((a.quantity for a in lines if book.prices[a.code].unit == "hour"), Decimal(0))
    findings = []
    for line in lines:
        unit = book.prices[line.code].unit
        limit = unit_limit(unit, scale)
        if limit is None:
            continue
        reason, most = limit
        most = _floor(most)
        if reason == "hours":
            if hours > most:
                findings.append(Finding(reason, line.code, unit, line.quantity, most, total=hours))
        elif line.quantity > most:
            findings.append(Finding(reason, line.code, unit, line.quantity, most))
    return findings


def total_limit(bounds: IndexBounds, scale: Scale) -> Decimal:
    """The highest plausible total social value at ``scale``: the larger of the two bounds, so an initiative
    with few people reached but many volunteers (or the other way round) is not refused for that alone."""
    return _floor(max(bounds.per_person * scale.people_reached, bounds.per_volunteer * scale.volunteers))


def check_total(bounds: IndexBounds, scale: Scale, total: Decimal) -> list[Finding]:
    most = total_limit(bounds, scale)
    return [Finding("index", None, None, total, most)] if total > most else []


def bounds_from(per_person: Decimal | None, per_volunteer: Decimal | None, entries: int) -> IndexBounds:
    """Bounds from the ``PERCENTILE``-th percentile of the index's value per person reached and per volunteer over
    ``entries`` valued initiatives (``national_index.selectors.value_percentiles``); the fallback while the
    index is too small to say what is usual."""
    if entries < MIN_INDEX_ENTRIES or not per_person or not per_volunteer:
        return FALLBACK_BOUNDS
    return IndexBounds(per_person=per_person * FACTOR, per_volunteer=per_volunteer * FACTOR, entries=entries)
