"""6: launching a regional portal for a few municipalities of the national portal, whose initiatives move in."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import CommandError
from django_tenants.utils import schema_context

from initiatives.models import Initiative
from portals.launch import launch_portal
from tenants.models import NATIONAL_SCHEMA, Coverage, Portal

LAUNCH_SCHEMA = "benchlaunch"
LAUNCH_MUNICIPALITIES = 5  # taken from the national portal by the launched portal


def run(bench) -> None:
    """``launch_portal`` for a few municipalities of the national portal: clone, coverage, the move of their
    initiatives into the new schema, the index rows, the first admin."""
    if Portal.objects.filter(schema_name=LAUNCH_SCHEMA).exists():
        bench.row("portal launch", "skipped", f"--keep: {LAUNCH_SCHEMA} launched by a previous run")
        return
    codes = list(
        Coverage.objects.filter(portal__schema_name=NATIONAL_SCHEMA)
        .order_by("municipality__cbs_code")
        .values_list("municipality__cbs_code", flat=True)[:LAUNCH_MUNICIPALITIES]
    )
    with schema_context(NATIONAL_SCHEMA):
        expected = Initiative.objects.filter(municipality__cbs_code__in=codes).count()
    bench.log(f"launching {LAUNCH_SCHEMA} for {', '.join(codes)} ({expected:,} initiatives to move)")
    t0 = time.perf_counter()
    report = launch_portal(
        name="MAEX Bench launch",
        schema_name=LAUNCH_SCHEMA,
        kind=Portal.Kind.REGION,
        hosts=[f"{LAUNCH_SCHEMA}.{settings.MAEX_BASE_DOMAIN}"],
        municipality_codes=codes,
        first_admin_email="bench-launch@example.org",
    )
    seconds = time.perf_counter() - t0
    if report.moved != expected:
        raise CommandError(f"launch moved {report.moved} initiatives, expected {expected}")
    steps = ", ".join(f"{step.key} {step.seconds:.2f}" for step in report.steps)
    bench.row(
        "portal launch (launch_portal)",
        seconds,
        f"s: {len(codes)} municipalities from {NATIONAL_SCHEMA}, {report.indexed:,} index rows rewritten; "
        f"steps {steps} s",
    )
    bench.row("initiatives moved by the launch", report.moved, f"from {NATIONAL_SCHEMA} into {LAUNCH_SCHEMA}")
