"""18: yearly editions of the Stand (docs/decisions/0035-yearly-editions.md), on the national portal: freezing an
edition of the country at the bench's size (``public_figures`` of the country, computed afresh, stored as JSON
with its SHA-256: what an editor's first save of the draft waits for), the edition's page (the Stand's sections
of the frozen figures, no read of the index) as p50/p95 with Django's test client in this process
(``bench.inprocess``), and its PDF (seconds and bytes). The edition is the bench's own (the year 2000, the
field's minimum) and is removed afterwards."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from cms import services
from cms.models import EditionPage, HomePage
from national_index import areas
from national_index.figures import figures_cache_key
from national_index.models import IndexEntry
from tenants.models import NATIONAL_SCHEMA

from ..inprocess import get, measure

YEAR = 2000  # the first year the field accepts; an edition of that year is the bench's own


def run(bench) -> None:
    connection.set_schema_to_public()
    initiatives = IndexEntry.objects.count()
    with schema_context(NATIONAL_SCHEMA):
        index = services.ensure_editions_index(HomePage.objects.get())
        EditionPage.objects.filter(year=YEAR).delete()
        # The country's figures computed, not read from the cache: as the first save after a change of the index
        cache.delete(figures_cache_key(areas.country().filter))
        t0 = time.perf_counter()
        edition = services.add_edition(index, YEAR, intro="<p>Editie van de bench.</p>")
        bench.row(
            "edition of the country frozen and published",
            time.perf_counter() - t0,
            f"s ({initiatives:,} initiatives, {len(str(edition.area_figures)) / 1024:.0f} kB of figures)",
        )
        address = edition.get_url()
    client = Client(HTTP_HOST=settings.MAEX_NATIONAL_HOST)
    measure(bench, client, address, f"GET {address} (edition page, page cache)")
    rendered = Client(HTTP_HOST=settings.MAEX_NATIONAL_HOST)
    rendered.cookies[settings.SESSION_COOKIE_NAME] = "bench"  # a session: the page cache renders (decision 0030)
    measure(bench, rendered, address, f"GET {address} (edition page, rendered)")
    t0 = time.perf_counter()
    size = get(client, address + "pdf/")
    bench.row(f"GET {address}pdf/ (edition PDF, first)", time.perf_counter() - t0, f"s ({size:,} bytes; loads fpdf2)")
    t0 = time.perf_counter()
    get(client, address + "pdf/")
    bench.row(f"GET {address}pdf/ (edition PDF, again)", time.perf_counter() - t0, "s")
    with schema_context(NATIONAL_SCHEMA):
        EditionPage.objects.filter(year=YEAR).delete()
