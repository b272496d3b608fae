"""2: seeding the synthetic initiatives in bulk, valuing them from their activities and projecting them into
the national index."""

from __future__ import annotations

import time

from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from initiatives.models import Initiative
from initiatives.revaluation import VALUATION_FIELDS, apply_valuation
from national_index import projector
from national_index.models import IndexEntry
from valuation.selectors import current_book

from ..synthetic import coverage, insert_published, profiles_by_portal


def run(bench) -> None:
    if IndexEntry.objects.exists():
        bench.row("seeding", "skipped", f"--keep: {IndexEntry.objects.count():,} index rows already there")
        return
    total = bench.options["initiatives"]
    municipalities, home, portals = coverage()
    bench.log(f"seeding {total:,} initiatives over {len(portals)} portals")
    now = timezone.now()
    by_portal = profiles_by_portal(total, municipalities, home, bench.rng)
    portal_by_pk = {p.pk: p for p in portals}

    children = 0
    t0 = time.perf_counter()
    for pk, profiles in by_portal.items():
        children += insert_published(portal_by_pk[pk].schema_name, profiles, bench.rng, now)
    seeded = time.perf_counter() - t0
    bench.row(
        "seed initiatives (bulk_create)",
        seeded,
        f"s: {total:,} initiatives + {children:,} related rows, {total / seeded:,.0f} initiatives/s",
    )

    value_seeded(bench, portals)

    bench.log("projecting into the national index (project_many per portal)")
    projected = 0
    t0 = time.perf_counter()
    for portal in portals:
        with schema_context(portal.schema_name), transaction.atomic():
            rows = Initiative.objects.for_index()
            projected += projector.project_many(rows, portal)
    seconds = time.perf_counter() - t0
    bench.row("project_many (all portals)", seconds, f"s: {projected:,} index rows, {projected / seconds:,.0f} rows/s")

    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    bench.row("ANALYZE after seeding", time.perf_counter() - t0, "s (planner statistics, as autovacuum would)")


def value_seeded(bench, portals) -> None:
    """Value the seeded initiatives from their activities, as the price-list recomputation does."""
    book = current_book()
    if book is None:
        bench.row("valuation of seeded initiatives", "skipped", "no published price list")
        return
    bench.log("valuing the seeded initiatives (apply_valuation + bulk_update per portal)")
    valued = 0
    t0 = time.perf_counter()
    for portal in portals:
        with schema_context(portal.schema_name), transaction.atomic():
            rows = list(Initiative.objects.prefetch_related("activities"))
            for initiative in rows:
                apply_valuation(initiative, book)
            Initiative.objects.bulk_update(rows, VALUATION_FIELDS, batch_size=1000)
            valued += len(rows)
    seconds = time.perf_counter() - t0
    bench.row("valuation of seeded initiatives", seconds, f"s: {valued:,} initiatives, {valued / seconds:,.0f}/s")
