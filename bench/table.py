"""The bench's result: one row per measurement, numbers formatted alike, printed as one plain-text table."""

from __future__ import annotations

import os


def percentile(values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (q in 0..1)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


class Table:
    def __init__(self):
        self.rows: list[tuple[str, str, str]] = []

    def row(self, measurement: str, value, notes: str = "") -> None:
        if isinstance(value, float):
            value = f"{value:,.1f}" if value >= 100 else f"{value:.2f}"
        elif isinstance(value, int):
            value = f"{value:,}"
        self.rows.append((measurement, str(value), notes))

    def text(self, portals: int, initiatives: int) -> str:
        header = ("measurement", "value", "unit / notes")
        widths = [max(len(r[i]) for r in [header, *self.rows]) for i in range(2)]
        line = "-" * (widths[0] + widths[1] + 40)
        out = [
            f"MAEX bench: {portals} regional portals + national, {initiatives:,} initiatives, "
            f"{os.cpu_count()} CPU cores",
            line,
            f"{header[0]:<{widths[0]}}  {header[1]:>{widths[1]}}  {header[2]}",
            line,
        ]
        out += [f"{m:<{widths[0]}}  {v:>{widths[1]}}  {n}" for m, v, n in self.rows]
        out.append(line)
        return "\n".join(out)
