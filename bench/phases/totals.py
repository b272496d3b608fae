"""10: national totals by a UNION ALL over every portal schema, against the index aggregate."""

from __future__ import annotations

import time

from django.core.management.base import CommandError
from django.db import connection

from initiatives.models import Initiative
from national_index import selectors
from tenants.selectors import live_portals

from ..table import percentile


def run(bench) -> None:
    connection.set_schema_to_public()
    table = connection.ops.quote_name(Initiative._meta.db_table)
    schemas = [p.schema_name for p in live_portals()]
    union = " UNION ALL ".join(
        # Identifiers come from the portal registry and are quoted; the status is a parameter.
        f"SELECT people_reached, volunteers, paid_staff FROM {connection.ops.quote_name(s)}.{table} "  # noqa: S608
        "WHERE status = %s"
        for s in schemas
    )
    query = (
        "SELECT count(*), coalesce(sum(people_reached), 0), coalesce(sum(volunteers), 0), "  # noqa: S608
        f"coalesce(sum(paid_staff), 0) FROM ({union}) AS all_portals"
    )
    params = [Initiative.Status.PUBLISHED] * len(schemas)
    runs = 20
    union_ms, index_ms = [], []
    union_result = index_result = None
    for _ in range(runs):
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            union_result = tuple(int(v) for v in cursor.fetchone())
        union_ms.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        found = selectors.totals()
        index_ms.append((time.perf_counter() - t0) * 1000)
        index_result = tuple(int(found[k]) for k in ("initiatives", "people_reached", "volunteers", "paid_staff"))
    equal = union_result == index_result
    bench.row(
        "totals by UNION ALL over schemas p50",
        percentile(union_ms, 0.5),
        f"ms ({len(schemas)} schemas, {runs} runs)",
    )
    bench.row("totals from the index p50", percentile(index_ms, 0.5), f"ms (selectors.totals, {runs} runs)")
    bench.row(
        "totals equal",
        "yes" if equal else "NO",
        f"initiatives {index_result[0]:,}, people reached {index_result[1]:,}, "
        f"volunteers {index_result[2]:,}, paid staff {index_result[3]:,}",
    )
    if not equal:
        raise CommandError(f"UNION ALL gives {union_result}, the index gives {index_result}")
