"""Background jobs on the national index."""

import datetime
import logging

from django.db import connection
from django.utils import timezone

from maex.celery import core_task, portal_task

from .models import IndexEntry, Snapshot
from .selectors import TOTALS

log = logging.getLogger(__name__)


@core_task(name="national_index.tasks.reconcile_index")
def reconcile_index(repair: bool = False) -> dict:
    """Nightly: verify the index against every portal (and repair it when asked). Idempotent."""
    from .reconcile import reconcile

    report = reconcile(repair=repair)
    for line in report.lines():
        (log.info if report.clean else log.warning)("reconcile: %s", line)
    return {
        "clean": report.clean,
        "missing": len(report.missing),
        "stale": len(report.stale),
        "orphaned": len(report.orphaned),
    }


@portal_task(name="national_index.tasks.reproject_portal")
def reproject_portal() -> int:
    """Rewrite the index rows of the current portal's initiatives (after a domain change, for instance).
    Runs in the portal's schema; idempotent."""
    from initiatives.models import Initiative
    from tenants.models import Portal

    from . import projector

    portal = Portal.objects.prefetch_related("domains").get(schema_name=connection.schema_name)
    return projector.project_many(Initiative.objects.for_index(), portal)


@core_task(name="national_index.tasks.take_snapshot")
def take_snapshot(date: str | None = None) -> int:
    """Store today's figures for the country, each portal and each province (idempotent per day)."""
    day = datetime.date.fromisoformat(date) if date else timezone.localdate()
    sums = TOTALS
    rows = [("nl", IndexEntry.objects.aggregate(**sums))]
    rows += [
        (f"portal:{r.pop('portal__schema_name')}", r)
        for r in IndexEntry.objects.values("portal__schema_name").annotate(**sums).order_by()
    ]
    rows += [
        (f"province:{r.pop('province__cbs_code')}", r)
        for r in IndexEntry.objects.values("province__cbs_code").annotate(**sums).order_by()
    ]
    for scope, figures in rows:
        Snapshot.objects.update_or_create(date=day, scope=scope, defaults=figures)
    return len(rows)
