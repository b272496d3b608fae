"""9: a mixed load of public pages over several portals, many clients at once, against gunicorn with the
production settings."""

from __future__ import annotations

import os
import secrets
from urllib.parse import quote

from django.conf import settings
from django.core.management.base import CommandError
from django_tenants.utils import schema_context

from initiatives.models import Initiative
from tenants.models import Portal
from tenants.selectors import live_portals

from ..client import get, run_load
from ..servers import Gunicorn, free_port, redis_problem
from ..table import percentile

LOAD_PORTALS = 4  # regional portals in the mixed load, next to the national one
LOAD_SLUGS = 10  # initiative pages per portal in the mixed load


def run(bench) -> None:
    """``--load-requests`` GETs of public pages over the national and a few regional portals, ``--concurrency``
    at once, against gunicorn with ``maex.settings.production``. Every answer must be a 200."""
    redis_url = bench.options["redis_url"]
    label = "mixed load (production settings)"
    if not redis_url:
        bench.row(label, "skipped", "no Redis: production requires REDIS_URL (give --redis-url or REDIS_URL)")
        return
    problem = redis_problem(redis_url)
    if problem:
        bench.row(label, "skipped", f"Redis at {redis_url} not reachable: {problem}")
        return
    mix = _load_mix(bench)
    if not mix:
        bench.row(label, "skipped", "no portal with published initiatives")
        return
    workers = bench.options["load_workers"]
    port = free_port()
    env = production_env(redis_url)
    server = Gunicorn(port, workers, env, log_prefix="maex-bench-production-")
    bench.log(f"gunicorn, maex.settings.production, 127.0.0.1:{port}, {workers} workers, log {server.log_name}")
    with server:
        for k in range(2 * workers):  # warm every worker: imports, connections, template caches
            get(port, *mix[k % len(mix)])
        result = run_load(port, mix, bench.options["load_requests"], bench.options["concurrency"])
    portals = len({host for host, _path in mix})
    bench.row(
        f"{label} p50",
        percentile(result.latencies, 0.5),
        f"ms: {result.count:,} GETs, {bench.options['concurrency']} at once, {len(mix)} URLs on {portals} portals "
        f"(home, lists, initiative pages, search, Stand van het Land, waardenweb, price list, API); "
        f"gunicorn -w {workers}",
    )
    bench.row(f"{label} p95", percentile(result.latencies, 0.95), "ms")
    bench.row(f"{label} throughput", result.count / result.seconds, f"requests/s over {result.seconds:.1f} s")
    bench.row(f"{label} errors", len(result.errors), "answers other than 200 (must be 0)")
    if result.errors:
        shown = "; ".join(result.errors[:5])
        raise CommandError(f"{len(result.errors)} of {result.count} requests failed ({shown}); see {server.log_name}")


def production_env(redis_url: str) -> dict:
    """The environment of gunicorn with ``maex.settings.production`` against the bench database."""
    env = os.environ.copy()
    env.update(
        DJANGO_SETTINGS_MODULE="maex.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS=f".{settings.MAEX_BASE_DOMAIN}",
        DATABASE_URL=os.environ["DATABASE_URL"],
        REDIS_URL=redis_url,
        EMAIL_URL="dummymail://",
        DJANGO_SECURE_SSL="false",
        # Every client here is 127.0.0.1: the API's per-client limit would refuse all but the first 120.
        MAEX_API_RATE="100000/m",
        LOG_LEVEL="WARNING",
        # Production requires the national portal's signing key (ADR 0022); the bench's own (dev) key serves.
        MAEX_SIGN_ON_PRIVATE_KEY=os.environ.get("MAEX_SIGN_ON_PRIVATE_KEY") or settings.IDP_OIDC_PRIVATE_KEY,
    )
    env.pop("CELERY_BROKER_URL", None)  # the broker is REDIS_URL, as in production
    return env


def _load_mix(bench) -> list[tuple[str, str]]:
    """(host, path) pairs: the same public pages on the national portal and the first ``LOAD_PORTALS``
    regional portals with published initiatives, and ``LOAD_SLUGS`` initiative pages of each."""
    mix = []
    regional = 0
    portals = sorted(live_portals(), key=lambda p: (p.kind != Portal.Kind.NATIONAL, p.schema_name))
    for portal in portals:
        if portal.kind != Portal.Kind.NATIONAL and regional == LOAD_PORTALS:
            break
        with schema_context(portal.schema_name):
            slugs = list(
                Initiative.objects.filter(status=Initiative.Status.PUBLISHED)
                .order_by("pk")
                .values_list("slug", flat=True)[:LOAD_SLUGS]
            )
        if not slugs:
            continue
        regional += portal.kind != Portal.Kind.NATIONAL
        host = portal.domains.all()[0].domain  # live_portals() puts the primary domain first
        word = slugs[0].split("-")[0]
        paths = [
            "/",
            "/initiatieven/",
            "/initiatieven/?sdg=3",
            f"/zoeken/?q={quote(word)}",
            "/stand-van-het-land/",
            "/waardenweb/",
            "/prijslijst/",
            f"/api/v1/initiatives?portal={portal.schema_name}",
            *(f"/initiatieven/{slug}/" for slug in slugs),
        ]
        mix += [(host, path) for path in paths]
    bench.rng.shuffle(mix)
    return mix
