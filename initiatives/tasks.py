"""The recomputation after a new price-list version, as Celery tasks: a dispatcher fans out one task per
portal, each running the batch loop of ``initiatives/revaluation.py`` in its portal's schema.

``valuation.services.publish`` announces a published version (``valuation.signals.price_list_published``) and
``initiatives/receivers.py`` sends ``start_recomputation`` for it. Messages are acknowledged late (Redis gives a
killed worker's task to another worker); whatever the broker, ``resume_stalled_recomputations`` (Celery beat)
resends the task of a portal that has stopped moving (docs/decisions/0017-work-survives-a-crash.md).
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tenants.utils import schema_context

from maex.celery import core_task, portal_task
from tenants.selectors import live_portals
from valuation.models import PriceList, Recomputation, RecomputationPortal
from valuation.selectors import current_price_list

from .revaluation import recompute_in_current_portal
from .services import announce_waiting


@core_task(name="initiatives.tasks.start_recomputation")
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


@core_task(name="initiatives.tasks.resume_stalled_recomputations")
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


@portal_task(name="initiatives.tasks.recompute_portal")
def recompute_portal(run_id: int) -> int:
    return recompute_in_current_portal(run_id)


@core_task(name="initiatives.tasks.announce_waiting_registrations")
def announce_waiting_registrations(portal_ids: list[int] | None = None) -> int:
    """Celery beat, every ``MAEX_DIGEST_SECONDS``: per live portal (or the ones given by id), one digest to its
    editors of the registrations that wait for review and were not announced yet (``services.announce_waiting``).
    Idempotent: a second run sends nothing. Returns how many registrations it announced."""
    portals = live_portals()
    if portal_ids is not None:
        portals = portals.filter(pk__in=portal_ids)
    announced = 0
    for portal in portals:
        with schema_context(portal.schema_name):
            announced += announce_waiting(portal)
    return announced
