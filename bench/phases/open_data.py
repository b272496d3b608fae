"""13: the open data CSV of every initiative in the index (docs/decisions/0031-open-data-files.md), downloaded
in full on the national host with Django's test client in this process, a streaming consumer that keeps only a
count of rows and bytes. One pass for the time, one under ``tracemalloc`` for the peak of what Python allocates
while streaming (which must not grow with the rows: the rows come from a server-side cursor in chunks), and a
conditional GET with the answer's ETag (304)."""

from __future__ import annotations

import resource
import time
import tracemalloc

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client

from national_index.models import IndexEntry

PATH = "/open-data/initiatieven.csv"


def _download(client) -> tuple[int, int, object]:
    response = client.get(PATH)
    if response.status_code != 200:
        raise CommandError(f"GET {PATH} answered {response.status_code}")
    lines = size = 0
    for chunk in response.streaming_content:
        lines += 1
        size += len(chunk)
    return lines - 1, size, response


def run(bench) -> None:
    connection.set_schema_to_public()
    client = Client(HTTP_HOST=settings.MAEX_NATIONAL_HOST)
    expected = IndexEntry.objects.count()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    rows, size, response = _download(client)
    seconds = time.perf_counter() - t0
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if rows != expected:
        raise CommandError(f"The CSV holds {rows} rows, the index {expected}")
    tracemalloc.start()
    _download(client)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    bench.row(
        "GET /open-data/initiatieven.csv (all rows)",
        seconds,
        f"s ({rows:,} rows, {size / 1e6:.1f} MB, streamed in process)",
    )
    bench.row(
        "open data CSV peak Python memory",
        peak / 1e6,
        f"MB (tracemalloc while streaming; process max RSS grew {max(rss_after - rss_before, 0) / 1024:.1f} MB)",
    )
    t0 = time.perf_counter()
    again = client.get(PATH, HTTP_IF_NONE_MATCH=response["ETag"])
    if again.status_code != 304:
        raise CommandError(f"A conditional GET with the ETag answered {again.status_code}, not 304")
    bench.row("open data CSV conditional GET (304)", (time.perf_counter() - t0) * 1000, "ms")
