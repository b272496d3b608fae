"""8: national pages and API, and the pages of a regional portal (the initiative page with its charts, its list,
a content page and a news page), over HTTP against a real gunicorn (2 workers, the dev settings without debug).
Each row's notes give the queries one request of that URL makes, counted once in the measuring process.

A visitor without a session gets a Wagtail page from the page cache once it was rendered (cms/page_cache.py): the
regional rows measure that, and a "rendered" row each measures the same page for a visitor the cache does not serve
(a session cookie), which is what the first visitor after a change waits for."""

from __future__ import annotations

import os
import time

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from cms.services import ensure_starter_pages
from initiatives.models import Initiative
from tenants.models import Portal
from tenants.selectors import live_portals

from ..client import get
from ..servers import Gunicorn, free_port
from ..table import percentile

HTTP_PATHS = [
    "/initiatieven/",
    "/initiatieven/?sdg=3",
    "/api/v1/initiatives",
    "/api/v1/totals",
    "/stand-van-het-land/",
]
# A session cookie that names no session: an anonymous visitor whom the page cache does not serve (cms/page_cache.py)
RENDERED = {"Cookie": "sessionid=bench-no-such-session"}
DETAIL_PAGES = 20  # initiative pages of one regional portal, requested in turn
# The content and news pages every launched portal starts with (cms.services.ensure_starter_pages)
REGIONAL_PATHS = [
    ("/initiatieven/", "GET /initiatieven/ (regional)"),
    ("/over/", "GET /over/ (content page)"),
    ("/nieuws/van-start/", "GET /nieuws/van-start/ (news page)"),
]


def run(bench) -> None:
    port = free_port()
    env = os.environ.copy()
    env.update(
        DJANGO_SETTINGS_MODULE="maex.settings.dev",
        DATABASE_URL=os.environ["DATABASE_URL"],
        DJANGO_DEBUG="0",
        DJANGO_ALLOWED_HOSTS=".localhost",
        MAEX_API_RATE="100000/m",
    )
    host = settings.MAEX_NATIONAL_HOST
    server = Gunicorn(port, 2, env, log_prefix="maex-bench-gunicorn-")
    bench.log(f"gunicorn on 127.0.0.1:{port} (2 workers), log {server.log_name}")
    with server:
        for path in HTTP_PATHS:
            _measure(bench, port, host, [path], f"GET {path}", server.log_name)
        detail_host, slugs = _detail_pages(bench)
        if slugs:
            for rendered in (False, True):
                headers = RENDERED if rendered else None
                suffix = ", rendered" if rendered else ""
                _measure(
                    bench,
                    port,
                    detail_host,
                    [f"/initiatieven/{slug}/" for slug in slugs],
                    f"GET /initiatieven/<slug>/{suffix}",
                    server.log_name,
                    must_contain=b'role="img"',
                    what=f"{len(slugs)} initiatives in turn, with waardenweb + handprint",
                    headers=headers,
                )
                for path, label in REGIONAL_PATHS:
                    _measure(
                        bench,
                        port,
                        detail_host,
                        [path],
                        label.replace(")", f"{suffix})"),
                        server.log_name,
                        headers=headers,
                    )


def _measure(bench, port, host, paths, label, log_name, *, must_contain=b"", what="", headers=None) -> None:
    """Warm up, then ``--requests`` sequential GETs over ``paths`` in turn; rows for p50 and p95."""
    count = bench.options["requests"]
    for k in range(max(4, len(paths))):  # warm both workers (imports, connections, template caches) and each page
        get(port, host, paths[k % len(paths)], headers)
    latencies, sizes = [], []
    for k in range(count):
        path = paths[k % len(paths)]
        t0 = time.perf_counter()
        status, body = get(port, host, path, headers)
        latencies.append((time.perf_counter() - t0) * 1000)
        if status != 200:
            raise CommandError(f"GET {path} on {host} answered {status}; see {log_name}")
        if must_contain and must_contain not in body:
            raise CommandError(f"GET {path} on {host}: no {must_contain.decode()} in the page")
        sizes.append(len(body))
    size = sum(sizes) / len(sizes)
    queries = _queries(host, paths[0], headers)
    notes = f"ms ({count} requests, {size / 1024:.0f} kB, {queries} queries, Host {host}" + (
        f"; {what})" if what else ")"
    )
    bench.row(f"{label} p50", percentile(latencies, 0.5), notes)
    bench.row(f"{label} p95", percentile(latencies, 0.95), "ms")


def _queries(host: str, path: str, headers: dict | None = None) -> str:
    """The queries of one GET of ``path`` on ``host`` in this process (after one to warm its caches), or "?"
    when this process is not answered as the server is (the API's rate limit here is not the server's)."""
    client = Client(HTTP_HOST=host, headers=headers)
    client.get(path)
    connection.set_schema_to_public()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    connection.set_schema_to_public()
    return str(len(ctx.captured_queries)) if response.status_code == 200 else "?"


def _detail_pages(bench) -> tuple[str, list[str]]:
    """The primary host of the first regional portal with enough published initiatives that have
    activities, and the slugs of ``DETAIL_PAGES`` of them."""
    for portal in live_portals().filter(kind=Portal.Kind.REGION).order_by("schema_name"):
        with schema_context(portal.schema_name):
            slugs = list(
                Initiative.objects.filter(status=Initiative.Status.PUBLISHED, activities__isnull=False)
                .distinct()
                .order_by("pk")
                .values_list("slug", flat=True)[:DETAIL_PAGES]
            )
        if len(slugs) >= min(DETAIL_PAGES, 5):
            ensure_starter_pages(portal)  # its content and news pages (created once, kept with --keep)
            return portal.domains.all()[0].domain, slugs  # live_portals() puts the primary domain first
    bench.row("GET /initiatieven/<slug>/", "skipped", "no regional portal with published initiatives")
    return "", []
