"""4: registration to the national index: ``register_initiative`` + ``publish`` until the index row exists."""

from __future__ import annotations

import secrets
import time

from django.core.management.base import CommandError
from django_tenants.utils import schema_context

from accounts.services import ensure_verified_user
from demo.profiles import profile_data
from initiatives import services
from national_index.models import IndexEntry, InitiativeLocator

from ..synthetic import coverage
from ..table import percentile


def run(bench) -> None:
    count = bench.options["registrations"]
    if count <= 0:
        return
    municipalities, _home, _portals = coverage()
    owner = ensure_verified_user("bench-owner@example.org", secrets.token_urlsafe(24), "Bench (fictief)")
    first = InitiativeLocator.objects.count()  # past every name used so far: names stay unique
    bench.log(f"{count} registrations (register_initiative + publish)")
    latencies = []
    for k in range(count):
        data = profile_data(first + k, bench.rng.choice(municipalities), bench.rng)
        t0 = time.perf_counter()
        initiative, portal = services.register_initiative(owner=owner, profile=services.Profile(**data))
        if not initiative.is_published:
            with schema_context(portal.schema_name):
                initiative = services.publish(initiative, portal)
        indexed = IndexEntry.objects.filter(uuid=initiative.uuid).exists()
        latencies.append((time.perf_counter() - t0) * 1000)
        if not indexed:
            raise CommandError(f"Registered and published, but {initiative.uuid} is not in the index.")
    notes = f"ms, {count} registrations: register_initiative + publish until the IndexEntry exists"
    bench.row("registration to national index p50", percentile(latencies, 0.5), notes)
    bench.row("registration to national index p95", percentile(latencies, 0.95), "ms")
