"""17: the MAEX graadmeter (docs/decisions/0032-the-maex-graadmeter.md): one take at the bench's size, a year of daily
takes with small changes between them, and ``/graadmeter/`` and ``/api/v1/graadmeter`` as server time (Django's test
client in this process, ``bench.inprocess``).

Everything runs in one transaction that is rolled back: the takes use a scratch range of dates (from 2000-01-01, in
the past: a take may not be of a day to come), the series and the membership memory the database had are set aside
inside it, every portal shows amounts in it
(so every initiative is valued, the most work a take can have), and the small changes are written
straight into the index rows' ``activity_quantities`` (what a take reads), so nothing of it stays."""

from __future__ import annotations

import datetime
import random
import time
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.test import Client

from national_index.models import GraadmeterLevel, GraadmeterMember, IndexEntry
from tenants.models import Portal
from valuation import graadmeter

from ..inprocess import measure

SCRATCH = datetime.date(2000, 1, 1)
DAYS = 365
CHANGED_PER_DAY = 0.002  # the share of initiatives whose quantities change between two takes (at least one)


def _change_some(rng: random.Random, keys: list, quantities: dict) -> None:
    """A few initiatives report more or less: each of their quantities times 0.9 to 1.2."""
    for key in rng.sample(keys, max(1, int(len(keys) * CHANGED_PER_DAY))):
        factor = Decimal(rng.choice(["0.90", "1.05", "1.10", "1.20"]))
        changed = {code: str((Decimal(q) * factor).quantize(Decimal("0.01"))) for code, q in quantities[key].items()}
        quantities[key] = changed
        IndexEntry.objects.filter(uuid=key).update(activity_quantities=changed)


def run(bench) -> None:
    connection.set_schema_to_public()
    with transaction.atomic():
        GraadmeterLevel.objects.all().delete()  # set aside inside the transaction, back after the rollback
        GraadmeterMember.objects.all().delete()
        # Every portal shows amounts here, so every initiative is valued (a hidden portal's are only counted)
        Portal.objects.update(show_amounts=True)
        quantities = dict(IndexEntry.objects.values_list("uuid", "activity_quantities"))
        keys = sorted(quantities)

        t0 = time.perf_counter()
        scopes = graadmeter.take(SCRATCH)
        bench.row("graadmeter: one take", time.perf_counter() - t0, f"s ({len(keys):,} initiatives, {scopes} scopes)")

        rng = random.Random(17)
        seconds = 0.0
        for n in range(1, DAYS + 1):
            _change_some(rng, keys, quantities)
            t0 = time.perf_counter()
            graadmeter.take(SCRATCH + datetime.timedelta(days=n))
            seconds += time.perf_counter() - t0
        bench.row(
            f"graadmeter: a year of daily takes ({DAYS})",
            seconds,
            f"s ({seconds / DAYS * 1000:,.0f} ms per take; {GraadmeterLevel.objects.count():,} level rows)",
        )

        for k, (path, label) in enumerate(
            [
                ("/graadmeter/", "GET /graadmeter/ (national, a year, server)"),
                ("/graadmeter/?gebied=province:PV29", "GET /graadmeter/?gebied=province:PV29 (server)"),
                ("/api/v1/graadmeter", "GET /api/v1/graadmeter (national, a year, server)"),
            ]
        ):
            client = Client(HTTP_HOST=settings.MAEX_NATIONAL_HOST, REMOTE_ADDR=f"10.17.0.{k + 1}")
            measure(bench, client, path, label)
        transaction.set_rollback(True)
