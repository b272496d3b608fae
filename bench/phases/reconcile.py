"""7: a full reconcile (no repair), which must come out clean."""

from __future__ import annotations

import time

from django.core.management.base import CommandError

from portals.reconcile import reconcile


def run(bench) -> None:
    bench.log("reconcile (no repair)")
    t0 = time.perf_counter()
    report = reconcile(repair=False)
    seconds = time.perf_counter() - t0
    state = "clean" if report.clean else "NOT CLEAN: " + report.lines()[-1]
    bench.row(
        "full reconcile (repair=False)",
        seconds,
        f"s: {report.portals} portals, {report.checked:,} initiatives, {state}",
    )
    if not report.clean:
        raise CommandError("reconcile found differences: " + "; ".join(report.lines()[:20]))
