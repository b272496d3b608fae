"""A choropleth of municipalities as one server-rendered SVG (docs/decisions/0033-municipality-map.md). Pure code:
the caller gives the shapes (paths in the map frame of ``geo.boundaries``) with their values and texts.

Classes are quantiles of the positive values (at most five), zero has a class of its own, and a municipality
without a value that may be shown (euro amounts not public, population unknown) is hatched. The palette is
ColorBrewer's YlGnBu, a sequential scheme that stays readable for the common kinds of colour blindness; every
shape has a dark outline, so even the lightest class stands out from the page (WCAG 1.4.11)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")  # ColorBrewer YlGnBu, 5 classes
ZERO = "#ffffff"
HATCH_BACK, HATCH_LINE = "#e0e0e0", "#6b6b6b"
STROKE = "#4d4d4d"


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    path: str
    box: tuple[int, int, int, int]  # min_x, min_y, max_x, max_y
    value: Decimal | int | float | None  # None: no value that may be shown
    text: str  # the value as the page writes it, or why there is none


@dataclass(frozen=True)
class LegendClass:
    colour: str
    label: str
    hatched: bool = False


def breaks(values: list, n: int = len(PALETTE)) -> list:
    """Upper bounds of at most ``n`` quantile classes of the positive ``values`` (each bound a value that occurs)."""
    positive = sorted(v for v in values if v is not None and v > 0)
    if not positive:
        return []
    bounds = []
    for k in range(1, n + 1):
        bound = positive[max(0, math.ceil(k * len(positive) / n) - 1)]
        if not bounds or bound > bounds[-1]:
            bounds.append(bound)
    return bounds


def colour(value, bounds: list) -> str | None:
    """The fill of ``value``: ZERO for zero, a palette colour by class, None for no value (hatched)."""
    if value is None:
        return None
    if value <= 0 or not bounds:
        return ZERO
    index = next((i for i, b in enumerate(bounds) if value <= b), len(bounds) - 1)
    # spread fewer classes over the whole palette, so the darkest colour is always the highest class
    step = (len(PALETTE) - 1) / max(1, len(bounds) - 1)
    return PALETTE[round(index * step)] if len(bounds) > 1 else PALETTE[-1]


def legend(areas: list[Area], bounds: list, fmt, *, missing_label: str, zero_label: str) -> list[LegendClass]:
    """One entry per class that occurs: its colour and the smallest and largest value in it."""
    values = [a.value for a in areas]
    entries = []
    if any(v is not None and v <= 0 for v in values):
        entries.append(LegendClass(ZERO, zero_label))
    for i, bound in enumerate(bounds):
        low = bounds[i - 1] if i else None
        members = [v for v in values if v is not None and v > 0 and v <= bound and (low is None or v > low)]
        if not members:
            continue
        lo, hi = min(members), max(members)
        label = fmt(lo) if lo == hi else f"{fmt(lo)} – {fmt(hi)}"
        entries.append(LegendClass(colour(bound, bounds), label))
    if any(v is None for v in values):
        entries.append(LegendClass(HATCH_BACK, missing_label, hatched=True))
    return entries


def view_box(areas: list[Area], margin: float = 0.02) -> tuple[int, int, int, int]:
    min_x = min(a.box[0] for a in areas)
    min_y = min(a.box[1] for a in areas)
    max_x = max(a.box[2] for a in areas)
    max_y = max(a.box[3] for a in areas)
    pad = max(1, round(max(max_x - min_x, max_y - min_y) * margin))
    return min_x - pad, min_y - pad, max_x - min_x + 2 * pad, max_y - min_y + 2 * pad


def render(areas: list[Area], bounds: list, *, uid: str, title: str, desc: str, max_width: int = 640) -> SafeString:
    """The SVG: role="img" with its title and description, a <title> per municipality (its name and value)."""
    if not areas:
        return mark_safe("")  # noqa: S308 (nothing)
    x, y, w, h = view_box(areas)
    size = max(2, round(w / 140))  # the hatching: a few pixels whatever the zoom
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{uid}-title {uid}-desc" '
        f'viewBox="{x} {y} {w} {h}" width="100%" style="max-width:{max_width}px" focusable="false" class="map">',
        f'<title id="{uid}-title">{escape(title)}</title><desc id="{uid}-desc">{escape(desc)}</desc>',
        f'<defs><pattern id="{uid}-hatch" patternUnits="userSpaceOnUse" width="{size}" height="{size}" '
        f'patternTransform="rotate(45)"><rect width="{size}" height="{size}" fill="{HATCH_BACK}"/>'
        f'<line x1="0" y1="0" x2="0" y2="{size}" stroke="{HATCH_LINE}" stroke-width="{size / 2:g}"/></pattern></defs>',
        f'<g stroke="{STROKE}" stroke-width="0.75" stroke-linejoin="round">',
    ]
    for area in areas:
        fill = colour(area.value, bounds) or f"url(#{uid}-hatch)"
        parts.append(
            f'<path d="{escape(area.path)}" fill="{fill}" vector-effect="non-scaling-stroke" '
            f'data-code="{escape(area.code)}">'
            f"<title>{escape(area.name)}: {escape(area.text)}</title></path>"
        )
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text is escaped, paths and colours are ours)
