"""15: the Stand van het Land (docs/decisions/0034-the-full-stand-van-het-land.md) and ``/api/v1/totals`` as
server time: Django's test client in this process, so no network and no HTTP server is measured, only what the
application does for the request (middleware, view, cache, template). After warming (the figures of the country,
the portals and the provinces are warmed after every change of the index, ``national_index.tasks.warm_figures``;
here ``figures.warm`` runs once), ``--requests`` GETs per row (at least 100), p50 and p95. Targets: unfiltered
p95 at most 5 ms, a province's p95 at most 30 ms. Each request comes from another client address, so the API's
rate limit (per address) never answers instead of the view."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from national_index import figures
from tenants.selectors import live_portals

from ..table import percentile

MIN_REQUESTS = 100
WARM_UP = 5


def _paths() -> list[tuple[str, str]]:
    regional = live_portals().exclude(schema_name="landelijk").order_by("schema_name").first()
    paths = [
        ("/stand-van-het-land/", "GET /stand-van-het-land/ (national, server)"),
        ("/stand-van-het-land/?gebied=province:PV29", "GET /stand-van-het-land/?gebied=province:PV29 (server)"),
    ]
    if regional is not None:
        key = f"portal:{regional.schema_name}"
        paths.append((f"/stand-van-het-land/?gebied={key}", f"GET /stand-van-het-land/?gebied={key} (server)"))
    paths += [
        ("/api/v1/totals", "GET /api/v1/totals (server)"),
        ("/api/v1/totals?province=PV29", "GET /api/v1/totals?province=PV29 (server)"),
        ("/api/v1/figures?gebied=nl", "GET /api/v1/figures?gebied=nl (server)"),
    ]
    return paths


def _get(path: str, k: int):
    client = Client(
        HTTP_HOST=settings.MAEX_NATIONAL_HOST, REMOTE_ADDR=f"10.{k // 65536 % 256}.{k // 256 % 256}.{k % 256}"
    )
    connection.set_schema_to_public()
    return client.get(path)


def run(bench) -> None:
    count = max(bench.options["requests"], MIN_REQUESTS)
    t0 = time.perf_counter()
    made = figures.warm()
    bench.row("figures warmed (country, portals, provinces)", time.perf_counter() - t0, f"s ({made} areas computed)")
    k = 0
    for path, label in _paths():
        for _ in range(WARM_UP):
            k += 1
            _get(path, k)
        latencies = []
        for _ in range(count):
            k += 1
            t0 = time.perf_counter()
            response = _get(path, k)
            latencies.append((time.perf_counter() - t0) * 1000)
            if response.status_code != 200:
                raise CommandError(f"GET {path} answered {response.status_code}")
        connection.set_schema_to_public()
        with CaptureQueriesContext(connection) as ctx:
            _get(path, k + 1)
        k += 1
        bench.row(
            f"{label} p50", percentile(latencies, 0.5), f"ms ({count} requests, {len(ctx.captured_queries)} queries)"
        )
        bench.row(f"{label} p95", percentile(latencies, 0.95), "ms")
