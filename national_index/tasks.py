"""Background jobs on the national index."""

import datetime

from django.utils import timezone

from maex.celery import core_task

from .figures import forget_pending, warm
from .models import IndexEntry, Snapshot
from .selectors import TOTALS


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


@core_task(name="national_index.tasks.warm_figures")
def warm_figures() -> int:
    """Compute the Stand van het Land figures of the country, every portal and every province for the index's
    current version, so the first reader after a change does not wait for them (docs/decisions/0034). Idempotent:
    figures already stored for this version are skipped. Sent by ``version.bump`` once a change commits."""
    forget_pending()
    return warm()
