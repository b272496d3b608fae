"""3: the valuation engine alone, on inputs built in memory first (no ORM while timed)."""

from __future__ import annotations

import time
from collections import defaultdict

from django_tenants.utils import schema_context

from initiatives.models import Activity, Initiative
from tenants.selectors import live_portals
from valuation.engine import ActivityLine, value
from valuation.selectors import current_book

from ..table import percentile


def run(bench) -> None:
    """``valuation.engine.value`` over every initiative, with the inputs ``apply_valuation`` gives it (one
    ``ActivityLine`` per activity, the current price book) built in memory first: no ORM while timed."""
    book = current_book()
    if book is None:
        bench.row("valuation engine alone", "skipped", "no published price list")
        return
    bench.log("valuation engine alone (inputs in memory)")
    inputs: list[list] = []
    for portal in live_portals():
        with schema_context(portal.schema_name):
            lines = defaultdict(list)
            for initiative_id, code, quantity in Activity.objects.order_by("pk").values_list(
                "initiative_id", "item_code", "quantity"
            ):
                lines[initiative_id].append(ActivityLine(code, quantity))
            inputs += [lines.get(pk, []) for pk in Initiative.objects.order_by("pk").values_list("pk", flat=True)]
    runs, times = 3, []
    for _ in range(runs):
        t0 = time.perf_counter()
        for activities in inputs:
            value(book, activities).as_json()
        times.append(time.perf_counter() - t0)
    seconds = percentile(times, 0.5)
    count = len(inputs)
    bench.row(
        "valuation engine alone (in memory)",
        seconds,
        f"s: {count:,} initiatives, {sum(map(len, inputs)):,} activity lines, {count / seconds:,.0f} "
        f"initiatives/s (engine.value + as_json, median of {runs} runs, no ORM)",
    )
