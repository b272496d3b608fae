"""The "koers" chart of the graadmeter, pure geometry (docs/decisions/0032-the-maex-graadmeter.md): the template draws
the SVG. The x axis is the calendar, so a day without a take is a space; each run of consecutive takes is one line
(``graadmeter.segments``), so a gap is a break in the line, never a line drawn across it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .graadmeter import segments

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 12, 28


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    level_paths: tuple[str, ...]  # one SVG path per run of consecutive takes
    growth_paths: tuple[str, ...]
    ticks: tuple[tuple[float, Decimal], ...]  # (y, level) of the level axis
    first: str  # the first and the last date, under the axis
    last: str
    backfill_x: float | None  # where the labelled backfill ends, if any
    empty: bool


def _path(points: list[tuple[float, float]]) -> str:
    (x0, y0), rest = points[0], points[1:]
    if not rest:  # one take between gaps: a short stroke, so it shows
        return f"M{x0:.1f},{y0:.1f}h0.1"
    return f"M{x0:.1f},{y0:.1f}" + "".join(f"L{x:.1f},{y:.1f}" for x, y in rest)


def koers(rows) -> Chart:
    """The chart of ``rows`` (GraadmeterLevel-like: date, level, growth_level, backfilled; oldest first)."""
    rows = [r for r in rows if r.level is not None]
    if not rows:
        return Chart(WIDTH, HEIGHT, (), (), (), "", "", None, True)
    values = [r.level for r in rows] + [r.growth_level for r in rows if r.growth_level is not None]
    low, high = min(values), max(values)
    if high - low < 1:
        low, high = low - 1, high + 1
    days = max((rows[-1].date - rows[0].date).days, 1)
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(date) -> float:
        return LEFT + inner_w * (date - rows[0].date).days / days

    def y(value: Decimal) -> float:
        return TOP + inner_h * float((high - value) / (high - low))

    runs = segments([r.date for r in rows])
    level_paths = tuple(_path([(x(rows[i].date), y(rows[i].level)) for i in run]) for run in runs)
    growth_paths = tuple(
        _path(points)
        for run in runs
        if (points := [(x(rows[i].date), y(rows[i].growth_level)) for i in run if rows[i].growth_level is not None])
    )
    ticks = tuple((y(low + (high - low) * k / 4), low + (high - low) * k / 4) for k in range(5))
    backfilled = [r for r in rows if r.backfilled]
    return Chart(
        WIDTH,
        HEIGHT,
        level_paths,
        growth_paths,
        ticks,
        rows[0].date.isoformat(),
        rows[-1].date.isoformat(),
        x(backfilled[-1].date) if backfilled else None,
        False,
    )
