"""Recomputation after a new price-list version: a dispatcher fans out one task per portal.

Each portal task revalues its initiatives in batches. A batch (valuation, index rows and progress counter)
commits as one transaction and only takes initiatives not yet valued with this version, so a worker that
dies halfway loses nothing, and running the job again continues where it stopped without counting twice.
"""

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django_tenants.utils import schema_context

from maex.celery import core_task, portal_task

from .models import PriceList, Recomputation, RecomputationPortal


@core_task(name="valuation.tasks.start_recomputation")
def start_recomputation(price_list_id: int) -> int:
    """Create (or resume) the recomputation for a published version and send one task per portal."""
    from tenants.selectors import live_portals

    price_list = PriceList.objects.get(pk=price_list_id, status=PriceList.Status.PUBLISHED)
    portals = list(live_portals())
    run, _ = Recomputation.objects.get_or_create(price_list=price_list, defaults={"portals_total": len(portals)})
    sent = 0
    for portal in portals:
        progress, _ = RecomputationPortal.objects.get_or_create(recomputation=run, portal=portal)
        if progress.finished_at is None:
            with schema_context(portal.schema_name):
                recompute_portal.delay(run.pk)
            sent += 1
    return sent


def recompute_in_current_portal(run_id: int, *, batch_size: int = 500, max_batches: int | None = None) -> int:
    """Revalue this portal's initiatives not yet valued with the run's version. Returns how many."""
    from initiatives.models import Initiative
    from initiatives.services import VALUATION_FIELDS, apply_valuation
    from national_index import projector
    from tenants.models import Portal

    from .selectors import current_price_list, price_book

    run = Recomputation.objects.select_related("price_list").get(pk=run_id)
    portal = Portal.objects.prefetch_related("domains").get(schema_name=connection.schema_name)
    progress = RecomputationPortal.objects.get(recomputation=run, portal=portal)
    version = run.price_list.version
    if current_price_list() != run.price_list:
        return _finish(run, progress)  # a newer version was published meanwhile: its own run takes over
    book = price_book(run.price_list)
    done = batches = 0
    finished = False
    while max_batches is None or batches < max_batches:
        with transaction.atomic():
            batch = list(
                Initiative.objects.exclude(valued_with=version)
                .select_for_update(skip_locked=True)
                .select_related("municipality")
                .prefetch_related("activities", "needs", "offers")
                .order_by("pk")[:batch_size]
            )
            if not batch:
                finished = True
                break
            for initiative in batch:
                apply_valuation(initiative, book)
            Initiative.objects.bulk_update(batch, VALUATION_FIELDS)
            projector.project_many(batch, portal)
            RecomputationPortal.objects.filter(pk=progress.pk).update(
                initiatives_done=F("initiatives_done") + len(batch)
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


@portal_task(name="valuation.tasks.recompute_portal")
def recompute_portal(run_id: int) -> int:
    return recompute_in_current_portal(run_id)
