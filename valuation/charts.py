"""Geometry of the charts, pure Python: the waardenweb (a radar of value per domain, overlayable) and the
Social Handprint (the 17 SDGs in their colours, intensity by share). Templates draw the SVG from these."""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from decimal import Decimal

PALETTE = ["#1d4f91", "#b3261e", "#1b6e3c", "#7a4b00", "#5b2a86"]  # series colours, distinct and dark
DASHES = ["", "6 3", "2 3", "8 3 2 3", "1 2"]  # and distinct dash patterns: colour is never the only cue


# The web's labels: wrapped to a few words a line, placed outside the web and anchored away from it by the axis's
# angle; the viewBox is made to hold every label, so none is cut off, and the text stays about 1/30 of the chart's
# width (readable on a phone). Widths are estimated generously (no font metrics on the server).
LABEL_FONT = 13
LABEL_LINE = 16  # line height
LABEL_CHARS = 14  # characters a line before wrapping (a longer single word keeps its own line)
LABEL_CHAR_WIDTH = 0.6 * LABEL_FONT
LABEL_GAP = 10  # between the end of a spoke and its label
MARGIN = 4
SIDEWAYS = 0.25  # |cos| or |sin| of the angle below which a label sits centred on its axis


@dataclass(frozen=True)
class LabelLine:
    text: str
    y: float


@dataclass(frozen=True)
class Axis:
    code: str
    label: str
    x: float  # end of the spoke
    y: float
    label_x: float
    lines: tuple[LabelLine, ...]  # the label, wrapped; each line's vertical middle
    anchor: str
    box: tuple[float, float, float, float]  # estimated extent of the label: left, top, right, bottom


@dataclass(frozen=True)
class Series:
    name: str
    values: dict[str, Decimal]
    points: str  # SVG polygon points
    dots: tuple[tuple[float, float], ...]
    colour: str
    dash: str


@dataclass(frozen=True)
class Radar:
    centre: float  # the web's centre is (centre, centre)
    radius: float
    view_box: str  # "left top width height", holding the web and every label
    width: float
    height: float
    axes: tuple[Axis, ...]
    rings: tuple[str, ...]  # polygon points of the grid rings
    series: tuple[Series, ...]
    maximum: Decimal  # the value of the outer ring
    empty: bool
    gaps: tuple[str, ...]  # domains where no series has any value


def wrap_label(label: str, chars: int = LABEL_CHARS) -> tuple[str, ...]:
    return tuple(textwrap.wrap(label, chars, break_long_words=False, break_on_hyphens=False)) or ("",)


def _place_label(i: int, n: int, radius: float, label: str) -> tuple[float, tuple[LabelLine, ...], str, tuple]:
    angle = -math.pi / 2 + 2 * math.pi * i / n
    cos, sin = math.cos(angle), math.sin(angle)
    x, y = (radius + LABEL_GAP) * cos, (radius + LABEL_GAP) * sin
    lines = wrap_label(label)
    k = len(lines)
    if sin < -SIDEWAYS:  # above the web: the block ends at the spoke and grows upwards
        middles = [y - LABEL_LINE / 2 - (k - 1 - j) * LABEL_LINE for j in range(k)]
    elif sin > SIDEWAYS:  # below: it starts at the spoke and grows downwards
        middles = [y + LABEL_LINE / 2 + j * LABEL_LINE for j in range(k)]
    else:  # beside: centred on the spoke
        middles = [y + (j - (k - 1) / 2) * LABEL_LINE for j in range(k)]
    anchor = "start" if cos > SIDEWAYS else ("end" if cos < -SIDEWAYS else "middle")
    width = max(len(line) for line in lines) * LABEL_CHAR_WIDTH
    left = {"start": x, "end": x - width, "middle": x - width / 2}[anchor]
    box = (left, middles[0] - LABEL_LINE / 2, left + width, middles[-1] + LABEL_LINE / 2)
    placed = tuple(LabelLine(text, round(m, 2)) for text, m in zip(lines, middles, strict=True))
    return round(x, 2), placed, anchor, tuple(round(v, 2) for v in box)


def radar(domains: list[tuple[str, str]], series: list[tuple[str, dict[str, Decimal]]], radius: float = 100) -> Radar:
    """Radar over ``domains`` ([(code, label)]) for 1..5 series ([(name, {code: value})]), on one shared scale
    so overlaid webs compare honestly: the outer ring is the largest value of any series."""
    centre = 0.0
    n = max(len(domains), 3)
    maximum = max((v for _, values in series for v in values.values()), default=Decimal(0))

    def point(i: int, fraction: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        return (
            round(centre + radius * fraction * math.cos(angle), 2),
            round(centre + radius * fraction * math.sin(angle), 2),
        )

    axes = []
    left, top, right, bottom = -radius, -radius, radius, radius
    for i, (code, label) in enumerate(domains):
        x, y = point(i, 1)
        label_x, lines, anchor, box = _place_label(i, n, radius, label)
        axes.append(Axis(code, label, x, y, label_x, lines, anchor, box))
        left, top, right, bottom = min(left, box[0]), min(top, box[1]), max(right, box[2]), max(bottom, box[3])
    left, top, right, bottom = left - MARGIN, top - MARGIN, right + MARGIN, bottom + MARGIN
    width, height = round(right - left, 2), round(bottom - top, 2)
    rings = tuple(
        " ".join(f"{x},{y}" for x, y in (point(i, f) for i in range(len(domains)))) for f in (0.25, 0.5, 0.75, 1.0)
    )
    drawn = []
    for k, (name, values) in enumerate(series):
        coords = []
        for i, (code, _label) in enumerate(domains):
            v = values.get(code, Decimal(0))
            coords.append(point(i, float(v / maximum) if maximum > 0 else 0.0))
        drawn.append(
            Series(
                name,
                {c: values.get(c, Decimal(0)) for c, _ in domains},
                " ".join(f"{x},{y}" for x, y in coords),
                tuple(coords),
                PALETTE[k % len(PALETTE)],
                DASHES[k % len(DASHES)],
            )
        )
    gaps = tuple(code for code, _ in domains if all(values.get(code, 0) <= 0 for _, values in series))
    return Radar(
        centre,
        radius,
        f"{round(left, 2)} {round(top, 2)} {width} {height}",
        width,
        height,
        tuple(axes),
        rings,
        tuple(drawn),
        maximum,
        maximum <= 0,
        gaps,
    )


@dataclass(frozen=True)
class Cell:
    number: int
    name: str
    colour: str
    value: Decimal
    share: Decimal  # of the total, 0..1
    opacity: float  # 0.12..1: a present SDG is always visible, the largest is full colour
    x: int
    y: int
    text_colour: str


def _luminance(hex_colour: str) -> float:
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _blend(hex_colour: str, opacity: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    mix = [round(255 + (c - 255) * opacity) for c in (r, g, b)]
    return "#" + "".join(f"{c:02x}" for c in mix)


def handprint(sdgs: list[tuple[int, str, str]], by_sdg: dict[int, Decimal], columns: int = 6, cell: int = 64):
    """The 17 SDG cells ([(number, name, colour)]) with intensity by share of the largest value."""
    total = sum(by_sdg.values(), Decimal(0))
    largest = max(by_sdg.values(), default=Decimal(0))
    cells = []
    for i, (number, name, colour) in enumerate(sdgs):
        v = by_sdg.get(number, Decimal(0))
        opacity = 0.0 if v <= 0 or largest <= 0 else 0.12 + 0.88 * float(v / largest)
        shown = _blend(colour, opacity) if opacity else "#ffffff"
        # Pick the text colour with the better WCAG contrast against the cell's actual colour.
        lum = _luminance(shown)
        text = "#000000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#ffffff"
        cells.append(
            Cell(
                number,
                name,
                shown,
                v,
                (v / total) if total else Decimal(0),
                round(opacity, 3),
                (i % columns) * (cell + 6),
                (i // columns) * (cell + 6),
                text,
            )
        )
    rows = (len(sdgs) + columns - 1) // columns
    return {
        "cells": cells,
        "width": columns * (cell + 6),
        "height": rows * (cell + 6),
        "cell": cell,
        "total": total,
        "empty": total <= 0,
    }


# --- horizontal bars: the simple distributions of the Stand van het Land (decision 0034) -------------------------
# Each bar ends in its value as text (and, with several series, the series' name), so neither colour nor length
# is the only cue; the colours keep 3:1 against white, the text 4.5:1. The template draws the SVG and the table.

BAR_COLOURS = ["#1d4f91", "#b3261e"]  # 8.6:1 and 6.5:1 against white
BAR_HEIGHT = 18
BAR_GAP = 4  # between the bars of one row
ROW_GAP = 10
BAR_LENGTH = 320  # of the largest value
BAR_FONT = 13
BAR_CHAR_WIDTH = 0.6 * BAR_FONT
BAR_LABEL_CHARS = 34  # a longer label wraps


@dataclass(frozen=True)
class Bar:
    series: int
    value: Decimal | None
    x: float
    y: float
    length: float
    text_x: float
    text_y: float
    colour: str


@dataclass(frozen=True)
class BarRow:
    key: str
    label: str
    lines: tuple[LabelLine, ...]  # the label, wrapped; each line's vertical middle
    values: tuple[Decimal | None, ...]
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class BarChart:
    rows: tuple[BarRow, ...]
    series: tuple[tuple[str, str], ...]  # (name, colour)
    label_x: float  # the labels end here (anchored at their end)
    view_box: str
    width: float
    height: float
    maximum: Decimal
    empty: bool


def _number(value) -> Decimal | None:
    return None if value is None else Decimal(value)


def bars(rows: list[tuple[str, str, list]], series: list[str] | None = None) -> BarChart:
    """Horizontal bars for ``rows`` ([(key, label, [value per series])]; a value may be None: no bar, "—" in the
    text), one bar per series in each row, on one scale: the largest value is ``BAR_LENGTH`` long."""
    series = list(series or [""])
    maximum = max((_number(v) for _k, _l, values in rows for v in values if v is not None), default=Decimal(0))
    wrapped = [wrap_label(str(label), BAR_LABEL_CHARS) for _k, label, _v in rows]
    label_width = max((len(line) for lines in wrapped for line in lines), default=0) * BAR_CHAR_WIDTH
    label_x = MARGIN + label_width
    start = label_x + LABEL_GAP
    drawn, y = [], MARGIN
    for (key, label, values), lines in zip(rows, wrapped, strict=True):
        n = len(series)
        bars_height = n * BAR_HEIGHT + (n - 1) * BAR_GAP
        height = max(bars_height, len(lines) * LABEL_LINE)
        top = y + (height - bars_height) / 2
        middle = y + height / 2
        placed = tuple(
            LabelLine(text, round(middle + (j - (len(lines) - 1) / 2) * LABEL_LINE, 2)) for j, text in enumerate(lines)
        )
        row_bars = []
        for k, value in enumerate(values):
            v = _number(value)
            length = float(v / maximum) * BAR_LENGTH if v is not None and maximum > 0 else 0.0
            bar_y = top + k * (BAR_HEIGHT + BAR_GAP)
            row_bars.append(
                Bar(
                    k,
                    v,
                    round(start, 2),
                    round(bar_y, 2),
                    round(length, 2),
                    round(start + length + 6, 2),
                    round(bar_y + BAR_HEIGHT / 2, 2),
                    BAR_COLOURS[k % len(BAR_COLOURS)],
                )
            )
        drawn.append(BarRow(key, str(label), placed, tuple(_number(v) for v in values), tuple(row_bars)))
        y += height + ROW_GAP
    # Room after the longest bar for its value and the series' name.
    width = round(start + BAR_LENGTH + 6 + (12 + max((len(s) for s in series), default=0)) * BAR_CHAR_WIDTH, 2)
    height = round(max(y - ROW_GAP + MARGIN, 2 * MARGIN + BAR_HEIGHT), 2)
    return BarChart(
        tuple(drawn),
        tuple((name, BAR_COLOURS[k % len(BAR_COLOURS)]) for k, name in enumerate(series)),
        round(label_x, 2),
        f"0 0 {width} {height}",
        width,
        height,
        maximum,
        maximum <= 0,
    )
