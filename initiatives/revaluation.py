"""Valuing initiatives with the price list: one initiative as it is written, and every initiative of a portal
after a new version is published.

The price list, its price book and the engine that turns activities into a value stay in ``valuation``
(``valuation/models.py``, ``valuation/selectors.py``, ``valuation/engine.py``); applying them to initiatives is
here, and so is the batch loop of the recomputation. ``initiatives/tasks.py`` sends and resends that loop as
Celery tasks, one per portal (docs/architecture.md, "Reconcile and nightly jobs").

A batch (valuation, index rows and progress counters) commits as one transaction and only takes initiatives
not yet valued with this version, locked, so a worker that dies halfway loses nothing, two workers on one
portal never take the same initiative, and running the loop again continues where it stopped without
counting twice. A batch first checks, with its rows locked, that its version is still the current one: an old
version never overwrites a newer one's figures (docs/decisions/0017-work-survives-a-crash.md).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from national_index import projector
from tenants.models import Portal
from valuation.engine import ActivityLine, PriceBook, value
from valuation.models import Recomputation, RecomputationPortal
from valuation.selectors import current_book, current_price_list, price_book

from .models import Initiative

# What the valuation writes: computed from the activities, never typed in.
VALUATION_FIELDS = ("social_value", "value_by_domain", "value_by_sdg", "deliveries", "valued_with", "uses_examples")


def apply_valuation(initiative: Initiative, book: PriceBook) -> bool:
    """Set the initiative's valuation from its activities with one price book (not saved). Returns whether
    anything changed."""
    result = value(book, [ActivityLine(a.item_code, a.quantity) for a in initiative.activities.all()]).as_json()
    new = {
        "social_value": Decimal(result["total"]),
        "value_by_domain": result["by_domain"],
        "value_by_sdg": result["by_sdg"],
        "deliveries": Decimal(result["deliveries"]),
        "valued_with": result["version"],
        "uses_examples": result["uses_examples"],
    }
    changed = any(getattr(initiative, k) != v for k, v in new.items())
    for k, v in new.items():
        setattr(initiative, k, v)
    return changed


def value_with_current_list(initiative: Initiative) -> None:
    """Value one initiative (its activities loaded) with the current version and store it, inside the caller's
    transaction. Nothing happens while no version is published."""
    book = current_book()
    if book is not None:
        apply_valuation(initiative, book)
        Initiative.objects.filter(pk=initiative.pk).update(**{f: getattr(initiative, f) for f in VALUATION_FIELDS})


def recompute_in_current_portal(run_id: int, *, batch_size: int | None = None, max_batches: int | None = None) -> int:
    """Revalue this portal's initiatives not yet valued with the run's version. Returns how many."""
    batch_size = batch_size or settings.RECOMPUTE_BATCH_SIZE
    run = Recomputation.objects.select_related("price_list").get(pk=run_id)
    portal = Portal.objects.with_domains().get(schema_name=connection.schema_name)
    progress = RecomputationPortal.objects.get(recomputation=run, portal=portal)
    version = run.price_list.version
    book = price_book(run.price_list)
    pending = Initiative.objects.exclude(valued_with=version)
    rows = pending.for_revaluation().order_by("pk")
    done = batches = 0
    finished = False
    while max_batches is None or batches < max_batches:
        with transaction.atomic():
            # Rows another worker is valuing right now are skipped; only when nothing else is left does
            # this one wait for them (they may come back unvalued if that worker dies), so a portal is
            # never marked finished while a batch of it is still open.
            batch = list(rows.select_for_update(skip_locked=True, of=("self",))[:batch_size]) or list(
                rows.select_for_update(of=("self",))[:batch_size]
            )
            if not batch:
                if pending.exists():
                    continue  # rows changed while waiting for them: look again
                finished = True
                break
            if current_price_list() != run.price_list:
                # A newer version was published: its own run takes over, these rows are left alone
                finished = True
                break
            for initiative in batch:
                apply_valuation(initiative, book)
            Initiative.objects.bulk_update(batch, VALUATION_FIELDS)
            projector.project_many(batch, portal)
            RecomputationPortal.objects.filter(pk=progress.pk).update(
                initiatives_done=F("initiatives_done") + len(batch), touched_at=timezone.now()
            )
            Recomputation.objects.filter(pk=run.pk).update(initiatives_done=F("initiatives_done") + len(batch))
        done += len(batch)
        batches += 1
    if finished:  # stopped by max_batches instead: the next run continues where this one left off
        _finish(run, progress)
    return done


def _finish(run, progress) -> int:
    with transaction.atomic():
        if RecomputationPortal.objects.filter(pk=progress.pk, finished_at=None).update(finished_at=timezone.now()):
            Recomputation.objects.filter(pk=run.pk).update(portals_done=F("portals_done") + 1)
            Recomputation.objects.filter(pk=run.pk, portals_done=F("portals_total"), finished_at=None).update(
                finished_at=timezone.now()
            )
    return 0
