"""14: areas side by side and the report of a province (docs/decisions/0036-areas-side-by-side-and-reports.md), on
the national host with Django's test client in this process: ``/vergelijk/gebieden/`` with four areas (the country,
the first regional portal, the province of Zuid-Holland and its municipality with the most initiatives) and
``/rapport/province:PV28/``. The figures of an area come from the cache once computed; a row times their computation
for the largest area (``area_figures`` of the country), which is what the first visitor after a change of the index
waits for at most. Each row's notes give the queries of one request, which must not grow with the initiatives."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from national_index import areas
from national_index.figures import area_figures
from national_index.models import IndexEntry
from tenants.models import Portal
from tenants.selectors import live_portals

from ..table import percentile

PROVINCE = "PV28"  # Zuid-Holland


def run(bench) -> None:
    connection.set_schema_to_public()
    regional = live_portals().filter(kind=Portal.Kind.REGION).order_by("schema_name").first()
    busiest = (
        IndexEntry.objects.filter(province__cbs_code=PROVINCE)
        .values("municipality__cbs_code")
        .annotate(n=Count("uuid"))
        .order_by("-n")
        .first()
    )
    keys = ["nl", f"province:{PROVINCE}"]
    if regional is not None:
        keys.insert(1, f"portal:{regional.schema_name}")
    if busiest is not None:
        keys.append(f"gemeente:{busiest['municipality__cbs_code']}")
    initiatives = IndexEntry.objects.count()
    in_province = IndexEntry.objects.filter(province__cbs_code=PROVINCE).count()

    runs = 5
    computed = []
    for _ in range(runs):
        t0 = time.perf_counter()
        area_figures(areas.country().filter)
        computed.append((time.perf_counter() - t0) * 1000)
    bench.row(
        "area_figures(nl), computed p50",
        percentile(computed, 0.5),
        f"ms ({initiatives:,} initiatives, {runs} runs; what a page waits for once after a change of the index)",
    )

    client = Client(HTTP_HOST=settings.MAEX_NATIONAL_HOST)
    compare = "/vergelijk/gebieden/?" + "&".join(f"gebied={k}" for k in keys)
    _measure(bench, client, compare, f"GET /vergelijk/gebieden/ ({len(keys)} areas: {', '.join(keys)})")
    _measure(
        bench,
        client,
        f"/rapport/province:{PROVINCE}/",
        f"GET /rapport/province:{PROVINCE}/ ({in_province:,} initiatives)",
    )


def _measure(bench, client, path, label) -> None:
    count = max(5, bench.options["requests"] // 5)
    size = _get(client, path)  # warm: the figures are computed and cached once, the templates loaded
    latencies = []
    for _ in range(count):
        t0 = time.perf_counter()
        size = _get(client, path)
        latencies.append((time.perf_counter() - t0) * 1000)
    connection.set_schema_to_public()
    with CaptureQueriesContext(connection) as ctx:
        _get(client, path)
    notes = f"ms ({count} requests in-process, {size / 1024:.0f} kB, {len(ctx.captured_queries)} queries)"
    bench.row(f"{label} p50", percentile(latencies, 0.5), notes)
    bench.row(f"{label} p95", percentile(latencies, 0.95), "ms")


def _get(client, path) -> int:
    connection.set_schema_to_public()
    response = client.get(path)
    if response.status_code != 200:
        raise CommandError(f"GET {path} answered {response.status_code}")
    return len(response.content)
