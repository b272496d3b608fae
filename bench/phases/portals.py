"""1: portal creation: the synthetic portals cloned from the template, and one schema by every migration for
comparison."""

from __future__ import annotations

import time

from django.core.management.base import CommandError
from django.test.utils import override_settings

from portals.services import create_portal
from tenants.models import NATIONAL_SCHEMA, Portal

from ..synthetic import portal_specs
from ..table import percentile


def run(bench) -> None:
    if Portal.objects.filter(schema_name=NATIONAL_SCHEMA).exists():
        if not bench.options["keep"]:
            raise CommandError("The bench database already holds portals; run without --inner.")
        bench.row("portal creation", "skipped", "--keep: reusing the portals of the previous run")
        return
    count = bench.options["portals"]
    specs, per, municipalities = portal_specs(count)
    seconds = []
    t0 = time.perf_counter()
    for n, (schema, name, kind, host, covered) in enumerate(specs, 1):
        created = create_portal(schema_name=schema, name=name, kind=kind, hosts=[host], municipality_codes=covered)
        seconds.append(created.seconds)
        if n % 10 == 0 or n == len(specs):
            bench.log(f"portals cloned: {n}/{len(specs)} (last {created.seconds:.2f} s)")
    total = time.perf_counter() - t0
    notes = f"{len(specs)} portals ({count} regional x {per} municipalities, national {municipalities - count * per})"
    bench.row("portals created by cloning", len(specs), notes)
    bench.row("portal clone time p50", percentile(seconds, 0.5), "s (create_portal: clone, domain, coverage, site)")
    bench.row("portal clone time max", max(seconds), "s")
    bench.row("portal clone time total", total, "s")

    bench.log("one schema by running all tenant migrations (no clone)")
    with override_settings(TENANT_CREATION_FAKES_MIGRATIONS=False):
        portal = Portal(schema_name="bench_nomigclone", name="Bench no clone", kind=Portal.Kind.REGION)
        portal.is_active = False
        t0 = time.perf_counter()
        portal.save(verbosity=0)
        migrated = time.perf_counter() - t0
    portal.delete(force_drop=True)
    ratio = migrated / percentile(seconds, 0.5)
    bench.row("one schema by all migrations", migrated, f"s (no clone; {ratio:.0f}x the clone p50)")
