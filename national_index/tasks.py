"""Background jobs on the national index."""

import datetime

from django.utils import timezone

from maex.celery import core_task

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
