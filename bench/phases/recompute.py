"""5: a new price-list version, valued end to end over every portal."""

from __future__ import annotations

import time
from decimal import Decimal

from django.core.management.base import CommandError

from national_index.models import IndexEntry
from tenants.selectors import live_portals
from valuation import selectors, services
from valuation.models import PriceList, Recomputation


def run(bench) -> None:
    """Publish a new version and let its recomputation run over every portal, as a worker would: the
    real path (``services.publish`` -> on commit ``start_recomputation`` -> ``recompute_portal`` per portal
    in its schema -> ``recompute_in_current_portal``), eager in this process."""
    current = selectors.current_price_list()
    if current is None:
        bench.row("price-list publish + recompute", "skipped", "no published price list")
        return
    version = f"bench.{PriceList.objects.count() + 1}"
    portals = live_portals().count()
    bench.log(f"price list {version}: draft, one change, publish and recompute every portal (in-process)")
    t0 = time.perf_counter()
    draft = services.create_draft(version=version, title=f"Bench {version}", copy_from=current)
    item = draft.items.order_by("code").first()
    item.unit_value += Decimal("1.00")
    item.save(update_fields=["unit_value"])
    drafted = time.perf_counter() - t0
    services.publish(draft)  # no transaction open here: the recomputation runs as the publish commits
    seconds = time.perf_counter() - t0
    job = Recomputation.objects.get(price_list=draft)
    if job.finished_at is None or job.portals_done != job.portals_total or job.portals_total != portals:
        raise CommandError(f"recomputation of {version} not finished: {job.portals_done}/{job.portals_total} portals")
    done = job.initiatives_done
    bench.row(
        "price-list publish + recompute",
        seconds,
        f"s: {done:,} initiatives on {job.portals_total} portals, {done / seconds:,.0f} initiatives/s "
        f"(create_draft + 1 change {drafted:.2f} s; publish -> start_recomputation -> recompute_portal)",
    )
    on_version = IndexEntry.objects.filter(valued_with=version).count()
    indexed = IndexEntry.objects.count()
    bench.row("index rows on the new version", on_version, f"of {indexed:,} index rows carry {version}")
    if on_version != indexed:
        raise CommandError(f"{indexed - on_version:,} index rows do not carry {version} after the recomputation")
