"""0: the public schema and the template tenant every portal is cloned from."""

from __future__ import annotations

import time

from django.core.management import call_command

from tenants.models import TEMPLATE_SCHEMA, Portal
from tenants.services import ensure_template


def run(bench) -> None:
    bench.log("migrate_schemas --shared")
    t0 = time.perf_counter()
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    bench.row("migrate_schemas --shared", time.perf_counter() - t0, "s (public schema)")
    if not Portal.objects.filter(schema_name=TEMPLATE_SCHEMA).exists():
        bench.log("template schema (all tenant migrations)")
        t0 = time.perf_counter()
        ensure_template()
        bench.row("template schema: all tenant migrations", time.perf_counter() - t0, "s (ensure_template)")
