"""Recomputation after a new price-list version: a dispatcher fans out one task per portal.

Each portal task revalues its initiatives in batches. A batch (valuation, index rows and progress counters)
commits as one transaction and only takes initiatives not yet valued with this version, locked, so a worker
that dies halfway loses nothing, two workers on one portal never take the same initiative, and running the
job again continues where it stopped without counting twice. A batch first checks, with its rows locked,
that its version is still the current one: an old version never overwrites a newer one's figures.

Messages are acknowledged late (Redis gives a killed worker's task to another worker); whatever the broker,
``resume_stalled_recomputations`` (Celery beat) resends the task of a portal that has stopped moving
(docs/decisions/0017-work-survives-a-crash.md).
"""

from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django_tenants.utils import schema_context

from maex.celery import core_task, portal_task
from tenants.selectors import live_portals

from .models import PriceList, Recomputation, RecomputationPortal
from .selectors import current_price_list


@core_task(name="valuation.tasks.start_recomputation")
def start_recomputation(price_list_id: int) -> int:
    """Create (or resume) the recomputation for a published version and send one task per portal."""
    price_list = PriceList.objects.get(pk=price_list_id, status=PriceList.Status.PUBLISHED)
    portals = list(live_portals())
    run, _ = Recomputation.objects.get_or_create(price_list=price_list, defaults={"portals_total": len(portals)})
    sent = 0
    for portal in portals:
        progress, _ = RecomputationPortal.objects.get_or_create(recomputation=run, portal=portal)
        if progress.finished_at is None:
            _send(progress, portal.schema_name)
            sent += 1
    return sent


def _send(progress: RecomputationPortal, schema_name: str) -> None:
    RecomputationPortal.objects.filter(pk=progress.pk).update(touched_at=timezone.now())
    with schema_context(schema_name):
        recompute_portal.delay(progress.recomputation_id)


@core_task(name="valuation.tasks.resume_stalled_recomputations")
def resume_stalled_recomputations(stall_seconds: int | None = None) -> int:
    """Resend the task of every unfinished portal that has shown no sign of life for ``stall_seconds``
    (a worker died with it, or the broker lost it), and start what a lost dispatcher never started. Safe
    to run at any time: the task is idempotent and two of them on one portal share the work through row
    locks. Returns how many tasks it sent."""
    stall = settings.RECOMPUTE_STALL_SECONDS if stall_seconds is None else stall_seconds
    now = timezone.now()
    cutoff = now - timedelta(seconds=stall)
    sent = 0
    # The current version's recomputation never started: the message of its publish was lost
    current = current_price_list()
    published = PriceList.objects.filter(status=PriceList.Status.PUBLISHED)
    if current and not Recomputation.objects.filter(price_list=current).exists() and published.count() > 1:
        sent += start_recomputation(current.pk)
    # A dispatcher that died before every portal had its row: the missing ones count as stalled
    for run in Recomputation.objects.filter(finished_at=None, started_at__lt=cutoff):
        if run.portals.count() < run.portals_total:
            for portal in live_portals().exclude(pk__in=run.portals.values("portal_id")):
                RecomputationPortal.objects.get_or_create(
                    recomputation=run, portal=portal, defaults={"touched_at": cutoff - timedelta(seconds=1)}
                )
    stalled = RecomputationPortal.objects.filter(
        finished_at=None, recomputation__finished_at=None, touched_at__lt=cutoff
    ).select_related("portal")
    for progress in stalled:
        # Claim the resend (a second check running at the same moment finds touched_at changed and skips)
        if RecomputationPortal.objects.filter(pk=progress.pk, touched_at=progress.touched_at).update(touched_at=now):
            with schema_context(progress.portal.schema_name):
                recompute_portal.delay(progress.recomputation_id)
            sent += 1
    return sent


def recompute_in_current_portal(run_id: int, *, batch_size: int | None = None, max_batches: int | None = None) -> int:
    """Revalue this portal's initiatives not yet valued with the run's version. Returns how many."""
    from initiatives.models import Initiative
    from initiatives.services import VALUATION_FIELDS, apply_valuation
    from national_index import projector
    from tenants.models import Portal

    from .selectors import current_price_list, price_book

    batch_size = batch_size or settings.RECOMPUTE_BATCH_SIZE
    run = Recomputation.objects.select_related("price_list").get(pk=run_id)
    portal = Portal.objects.with_domains().get(schema_name=connection.schema_name)
    progress = RecomputationPortal.objects.get(recomputation=run, portal=portal)
    version = run.price_list.version
    book = price_book(run.price_list)
    pending = Initiative.objects.exclude(valued_with=version)
    rows = pending.select_related("municipality").prefetch_related("activities", "needs", "offers").order_by("pk")
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


@portal_task(name="valuation.tasks.recompute_portal")
def recompute_portal(run_id: int) -> int:
    return recompute_in_current_portal(run_id)
