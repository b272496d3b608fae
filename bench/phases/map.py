"""14: the map `/kaart/` (docs/decisions/0033-municipality-map.md) over HTTP against a real gunicorn (2 workers,
the dev settings without debug): on the national portal (every municipality of the country) and on the first
regional portal with published initiatives (its own municipalities), coloured by the number of initiatives and
by social value. The page caches its rendered map per index version; a "rendered" row measures the first visitor
after a change (the index version is moved on before every request), as the pages phase's "rendered" rows do.
Each row's notes give the queries one request makes, counted once in the measuring process."""

from __future__ import annotations

import os
import time

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from national_index import version
from national_index.models import IndexEntry
from tenants.models import Portal
from tenants.selectors import live_portals

from ..client import get
from ..servers import Gunicorn, free_port
from ..table import percentile

PATHS = ["/kaart/", "/kaart/?figuur=waarde"]  # coloured by the number of initiatives, by social value


def run(bench) -> None:
    port = free_port()
    env = os.environ.copy()
    env.update(
        DJANGO_SETTINGS_MODULE="maex.settings.dev",
        DATABASE_URL=os.environ["DATABASE_URL"],
        DJANGO_DEBUG="0",
        DJANGO_ALLOWED_HOSTS=".localhost",
    )
    hosts = [(settings.MAEX_NATIONAL_HOST, "national")]
    regional = _regional_host()
    if regional:
        hosts.append((regional, "regional"))
    else:
        bench.row("GET /kaart/ (regional)", "skipped", "no regional portal with published initiatives")
    server = Gunicorn(port, 2, env, log_prefix="maex-bench-gunicorn-")
    bench.log(f"gunicorn on 127.0.0.1:{port} (2 workers), log {server.log_name}")
    with server:
        for host, area in hosts:
            for path in PATHS:
                _measure(bench, port, host, path, f"GET {path} ({area})", server.log_name)
            _measure(bench, port, host, PATHS[0], f"GET /kaart/ ({area}, rendered)", server.log_name, fresh=True)


def _regional_host() -> str:
    """The primary host of the first regional portal with published initiatives."""
    with_entries = set(IndexEntry.objects.values_list("portal__schema_name", flat=True).distinct())
    for portal in live_portals().filter(kind=Portal.Kind.REGION).order_by("schema_name"):
        if portal.schema_name in with_entries:
            return portal.domains.all()[0].domain  # live_portals() puts the primary domain first
    return ""


def _forget_maps() -> None:
    """Make the next request render the map again, whatever cache the server has: a new index version makes
    every cached map (and every cached figure) unreachable, as a change of the index does (decision 0023)."""
    version.bump_now()


def _measure(bench, port, host, path, label, log_name, *, fresh=False) -> None:
    count = bench.options["requests"]
    for _ in range(4):  # warm both workers (imports, connections, template caches) and the page's cache
        get(port, host, path)
    latencies, sizes = [], []
    for _ in range(count):
        if fresh:
            _forget_maps()
        t0 = time.perf_counter()
        status, body = get(port, host, path)
        latencies.append((time.perf_counter() - t0) * 1000)
        if status != 200:
            raise CommandError(f"GET {path} on {host} answered {status}; see {log_name}")
        if b'role="img"' not in body:
            raise CommandError(f'GET {path} on {host}: no map (role="img") in the page')
        sizes.append(len(body))
    size = sum(sizes) / len(sizes)
    paths = body.count(b"<path d=")
    queries = _queries(host, path, fresh)
    bench.row(
        f"{label} p50",
        percentile(latencies, 0.5),
        f"ms ({count} requests, {size / 1024:.0f} kB, {paths} municipalities drawn, {queries} queries, Host {host})",
    )
    bench.row(f"{label} p95", percentile(latencies, 0.95), "ms")


def _queries(host: str, path: str, fresh: bool) -> str:
    client = Client(HTTP_HOST=host)
    client.get(path)
    if fresh:
        _forget_maps()
    connection.set_schema_to_public()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    connection.set_schema_to_public()
    return str(len(ctx.captured_queries)) if response.status_code == 200 else "?"
