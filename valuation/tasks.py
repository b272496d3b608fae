"""Background jobs of the valuation app."""

import datetime

from maex.celery import core_task
from national_index.tasks import take_snapshot

from . import graadmeter


@core_task(name="valuation.tasks.take_daily_figures")
def take_daily_figures(date: str | None = None) -> int:
    """The daily take (beat schedule, maex/celery.py): the index's snapshot and then the MAEX graadmeter of the same
    day (docs/decisions/0032-the-maex-graadmeter.md), each idempotent per day. Here, above both apps: the
    graadmeter values with a price list, which the national index may not read. Returns the graadmeter's scopes."""
    day = datetime.date.fromisoformat(date) if date else None
    take_snapshot(date=date)
    return graadmeter.take(day)
