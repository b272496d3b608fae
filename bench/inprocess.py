"""Pages measured in the bench's own process with Django's test client: what the application does for a request,
without a server or the network in between."""

from __future__ import annotations

import time

from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .table import percentile


def get(client, path: str) -> int:
    """GET ``path`` (from the public schema, as a request starts) and the size of its body; anything but 200 stops
    the bench."""
    connection.set_schema_to_public()
    response = client.get(path)
    if response.status_code != 200:
        raise CommandError(f"GET {path} answered {response.status_code}")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return len(body)


def measure(bench, client, path: str, label: str) -> None:
    """One warming GET, then ``--requests / 5`` (at least 5) timed ones: rows of p50 (with the size and the queries
    of one request) and p95."""
    count = max(5, bench.options["requests"] // 5)
    size = get(client, path)  # warm: imports, templates, caches filled once
    latencies = []
    for _ in range(count):
        t0 = time.perf_counter()
        size = get(client, path)
        latencies.append((time.perf_counter() - t0) * 1000)
    connection.set_schema_to_public()
    with CaptureQueriesContext(connection) as ctx:
        get(client, path)
    notes = f"ms ({count} requests in-process, {size / 1024:.0f} kB, {len(ctx.captured_queries)} queries)"
    bench.row(f"{label} p50", percentile(latencies, 0.5), notes)
    bench.row(f"{label} p95", percentile(latencies, 0.95), "ms")
