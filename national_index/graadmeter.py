"""The MAEX graadmeter's arithmetic: pure Python with Decimal and whole cents, no ORM, no Django
(docs/decisions/0032-the-maex-graadmeter.md).

A take is, per scope, the constant-price value of each valued initiative in it (cents, valued by the caller with
the series' one base price book). Against the scope's previous take it splits into the change of the initiatives
in both (continuing), the value of those that joined and the value of those that left. Two chain-linked levels,
both 100 on a scope's first take:

- ``level`` (totaal): previous level x V_d / V_p;
- ``growth_level`` (groei van bestaande initiatieven): previous x (1 + C / V_p,continuing), so an initiative joining
  or leaving does not move it (the AEX's divisor idea).

A previous value or level of zero has no ratio: the line starts again at 100 at the next take with value and the
chain goes on from there; with no initiative continuing, the growth level is carried.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta

COUNTRY = "nl"
START = Decimal(100)
LEVEL = Decimal("0.0001")
PERCENT = Decimal("0.01")


def scopes_of(portal: str, province: str) -> tuple[str, str, str]:
    """The scopes an initiative of ``portal`` (schema name) in ``province`` (CBS code) counts in."""
    return (COUNTRY, f"portal:{portal}", f"province:{province}")


@dataclass(frozen=True)
class Member:
    """One valued initiative at a take: its constant-price value and the scopes it counts in."""

    value_cents: int
    portal: str  # schema name
    province: str  # CBS code

    @property
    def scopes(self) -> tuple[str, str, str]:
        return scopes_of(self.portal, self.province)


@dataclass(frozen=True)
class Entry:
    """One published initiative at a take, as the caller valued it at the base prices."""

    key: object  # its UUID
    portal: str
    province: str
    public: bool  # its portal shows amounts (docs/decisions/0020): only then does it count in the value
    is_demo: bool
    value_cents: int
    uses_examples: bool  # an example value without a citable source contributed to its value

    @property
    def scopes(self) -> tuple[str, str, str]:
        return scopes_of(self.portal, self.province)


@dataclass
class Counts:
    initiatives: int = 0
    valued_initiatives: int = 0
    demo_initiatives: int = 0
    uses_examples: bool = False


def counts_by_scope(entries: Iterable[Entry]) -> dict[str, Counts]:
    found: dict[str, Counts] = {}
    for entry in entries:
        for scope in entry.scopes:
            counts = found.setdefault(scope, Counts())
            counts.initiatives += 1
            counts.demo_initiatives += entry.is_demo
            if entry.public:
                counts.valued_initiatives += 1
                counts.uses_examples = counts.uses_examples or (entry.uses_examples and entry.value_cents > 0)
    return found


def members_of(entries: Iterable[Entry]) -> dict[object, Member]:
    """The valued initiatives of a take: those whose portal shows amounts."""
    return {e.key: Member(e.value_cents, e.portal, e.province) for e in entries if e.public}


def by_scope(members: Mapping[object, Member]) -> dict[str, dict[object, int]]:
    """Scope -> {initiative: value in cents} of a take."""
    found: dict[str, dict[object, int]] = {}
    for key, member in members.items():
        for scope in member.scopes:
            found.setdefault(scope, {})[key] = member.value_cents
    return found


@dataclass(frozen=True)
class Previous:
    """The scope's previous row: its levels (None when it had no value yet)."""

    level: Decimal | None
    growth_level: Decimal | None
    date: datetime.date | None = None


@dataclass(frozen=True)
class Step:
    value_cents: int
    level: Decimal | None
    growth_level: Decimal | None
    continuing_change_cents: int
    joined_cents: int
    left_cents: int
    joined_count: int
    left_count: int


def _q(value: Decimal) -> Decimal:
    return value.quantize(LEVEL, rounding=ROUND_HALF_UP)


def step(now: Mapping[object, int], before: Mapping[object, int], previous: Previous | None) -> Step:
    """One scope's row of a take: ``now`` and ``before`` are {initiative: cents} of this take and the previous one
    (empty for a scope that had none), ``previous`` the scope's previous levels (None on its first take)."""
    value_now = sum(now.values())
    value_before = sum(before.values())
    continuing = now.keys() & before.keys()
    joined = now.keys() - before.keys()
    left = before.keys() - now.keys()
    change = sum(now[k] - before[k] for k in continuing)
    continuing_before = sum(before[k] for k in continuing)
    if previous is None or previous.level is None:
        # The scope's first value: the series starts here (never earlier, decision 0032)
        level = START if value_now > 0 else None
        growth = START if level is not None else None
    else:
        # A level of 0 (or none) has no ratio to chain from: the line starts again at 100 once there is value
        # (decision 0032), instead of staying at 0 for ever.
        level_before = previous.level or None
        if value_before > 0 and level_before is not None:
            level = _q(level_before * value_now / value_before)
        else:
            level = START if value_now > 0 else previous.level
        growth_before = previous.growth_level or None
        if continuing_before > 0 and growth_before is not None:
            growth = _q(growth_before * (1 + Decimal(change) / continuing_before))
        elif growth_before is not None:
            growth = growth_before
        else:
            growth = START if value_now > 0 else previous.growth_level
    return Step(
        value_cents=value_now,
        level=level,
        growth_level=growth,
        continuing_change_cents=change,
        joined_cents=sum(now[k] for k in joined),
        left_cents=sum(before[k] for k in left),
        joined_count=len(joined),
        left_count=len(left),
    )


# --- changes over a day, a month and a year ----------------------------------------------------------------------

PERIODS = {
    "day": relativedelta(days=1),
    "month": relativedelta(months=1),
    "year": relativedelta(years=1),
}


@dataclass(frozen=True)
class Change:
    period: str  # "day", "month" or "year"
    since: datetime.date  # the date one period before the latest
    compared_with: datetime.date | None  # the take at or before ``since`` it compares with; None: no data that far
    level: Decimal | None  # percent change of ``level``
    growth_level: Decimal | None


def _percent(now: Decimal | None, then: Decimal | None) -> Decimal | None:
    if now is None or then is None or then == 0:
        return None
    return ((now / then - 1) * 100).quantize(PERCENT, rounding=ROUND_HALF_UP)


def changes(series: Iterable[tuple[datetime.date, Decimal | None, Decimal | None]]) -> list[Change]:
    """The change of both levels over a day, a month and a year before the latest take, each against the take at or
    before that date (a missed day compares with the day before it, and says so); ``compared_with`` None where the
    series does not reach back that far. ``series``: (date, level, growth_level), oldest first."""
    rows = list(series)
    if not rows:
        return []
    latest_date, latest_level, latest_growth = rows[-1]
    found = []
    for period, delta in PERIODS.items():
        since = latest_date - delta
        earlier = [row for row in rows if row[0] <= since]
        if not earlier:
            found.append(Change(period, since, None, None, None))
            continue
        date, level, growth = earlier[-1]
        found.append(Change(period, since, date, _percent(latest_level, level), _percent(latest_growth, growth)))
    return found


def segments(dates: Iterable[datetime.date]) -> list[list[int]]:
    """Indexes of ``dates`` (oldest first) split where a day is missing: a chart draws each run as one line, so a gap
    in the takes is a break in the line, never a line across it."""
    runs: list[list[int]] = []
    previous = None
    for i, date in enumerate(dates):
        if previous is None or (date - previous).days != 1:
            runs.append([])
        runs[-1].append(i)
        previous = date
    return runs
