"""14: areas side by side and the report of a province (docs/decisions/0036-areas-side-by-side-and-reports.md), on
the national host with Django's test client in this process: ``/vergelijk/gebieden/`` with four areas (the country,
the first regional portal, the province of Zuid-Holland and its municipality with the most initiatives) and
``/rapport/province:PV28/``. The figures of an area come from the cache once computed; a row times their computation
for the largest area (``area_figures`` of the country), which is what the first visitor after a change of the index
waits for at most. Each row's notes give the queries of one request, which must not grow with the initiatives."""

from __future__ import annotations

import time

from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.test import Client

from national_index import areas
from national_index.figures import area_figures
from national_index.models import IndexEntry
from tenants.models import Portal
from tenants.selectors import live_portals

from ..inprocess import measure
from ..table import percentile

PROVINCE = "PV28"  # Zuid-Holland


def run(bench) -> None:
    connection.set_schema_to_public()
    regional = live_portals().filter(kind=Portal.Kind.REGION).order_by("schema_name").first()
    busiest = (
        IndexEntry.objects.filter(province__cbs_code=PROVINCE)
        .values("municipality__cbs_code")
        .annotate(n=Count("uuid"))
        .order_by("-n")
        .first()
    )
    keys = ["nl", f"province:{PROVINCE}"]
    if regional is not None:
        keys.insert(1, f"portal:{regional.schema_name}")
    if busiest is not None:
        keys.append(f"gemeente:{busiest['municipality__cbs_code']}")
    initiatives = IndexEntry.objects.count()
    in_province = IndexEntry.objects.filter(province__cbs_code=PROVINCE).count()

    runs = 5
    computed = []
    for _ in range(runs):
        t0 = time.perf_counter()
        area_figures(areas.country().filter)
        computed.append((time.perf_counter() - t0) * 1000)
    bench.row(
        "area_figures(nl), computed p50",
        percentile(computed, 0.5),
        f"ms ({initiatives:,} initiatives, {runs} runs; what a page waits for once after a change of the index)",
    )

    client = Client(HTTP_HOST=settings.MAEX_NATIONAL_HOST)
    compare = "/vergelijk/gebieden/?" + "&".join(f"gebied={k}" for k in keys)
    measure(bench, client, compare, f"GET /vergelijk/gebieden/ ({len(keys)} areas: {', '.join(keys)})")
    measure(
        bench,
        client,
        f"/rapport/province:{PROVINCE}/",
        f"GET /rapport/province:{PROVINCE}/ ({in_province:,} initiatives)",
    )
