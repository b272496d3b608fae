"""The MAEX graadmeter's takes (docs/decisions/0032-the-maex-graadmeter.md): every published initiative valued at
constant prices, with the one base price book of the series, by the engine itself (``engine.value``: quantity x
unit value, rounded to cents per line), then stored by ``national_index.graadmeter_store``.

Here and not in the national index: the valuation app sits above it (the layering of docs/architecture.md), so
the index never reads a price list; it gets each initiative's value in cents."""

from __future__ import annotations

import datetime
import logging
from decimal import Decimal

from django.utils import timezone

from national_index import graadmeter_store
from national_index.graadmeter import Entry

from .engine import ActivityLine, PriceBook, value
from .models import PriceList
from .selectors import current_price_list, price_book

logger = logging.getLogger(__name__)


def base_book() -> PriceBook | None:
    """The series' base price book: the version of its first take, or, before the first take, the current one."""
    version = graadmeter_store.base_version()
    price_list = PriceList.objects.filter(version=version).first() if version else current_price_list()
    return price_book(price_list) if price_list else None


def constant_value(book: PriceBook, quantities: dict[str, str]) -> tuple[int, bool]:
    """An initiative's value at the base prices, in cents, and whether an example value contributed."""
    valuation = value(book, [ActivityLine(code, Decimal(q)) for code, q in quantities.items()])
    return int(valuation.total * 100), valuation.uses_examples


def _entries(book: PriceBook) -> list[tuple[Entry, datetime.datetime]]:
    """Every index row valued at the base prices, but those with a value and no activities: rows written before the
    index kept activities, which ``reconcile_index`` fills after the upgrade. Valued at 0 now, their activities
    would arrive later as growth of existing initiatives; left out until filled, they join then (decision 0032)."""
    found = []
    for row in graadmeter_store.index_rows():
        uuid, portal, province, public, is_demo, quantities, published_at, social_value = row
        if social_value and not quantities:
            continue
        cents, examples = constant_value(book, quantities)
        found.append((Entry(uuid, portal, province, public, is_demo, cents, examples), published_at))
    return found


def take(day: datetime.date | None = None) -> int:
    """The graadmeter of ``day`` (today in Europe/Amsterdam by default), idempotent per day; 0 without a published
    price list, for a day before the latest take or for a day after today."""
    book = base_book()
    if book is None:
        return 0
    today = timezone.localdate()
    day = day or today
    if day > today:
        # A take of a day to come would refuse every real take before it: the series only grows forward
        logger.warning("graadmeter: a take of %s is in the future (today is %s); not stored", day, today)
        return 0
    return graadmeter_store.record_take(day, [entry for entry, _at in _entries(book)], base=book.version)


def backfill_demo(days: int = 400, today: datetime.date | None = None) -> int:
    """The demo's labelled backfill ("teruggerekend, demodata"): for each of the ``days`` days before ``today``, the
    demo initiatives published by that day with their present activities, stored as ``backfilled`` rows before
    any real take; then today's real take. Nothing when the series already has rows."""
    book = base_book()
    if book is None:
        return 0
    today = today or timezone.localdate()
    valued = [(e, timezone.localdate(at)) for e, at in _entries(book) if e.is_demo]
    first = today - datetime.timedelta(days=days)
    replay = (
        (day, [e for e, published in valued if published <= day])
        for day in (first + datetime.timedelta(days=n) for n in range(days))
    )
    made = graadmeter_store.record_backfill(replay, base=book.version)
    if made:
        made += take(today)
    return made
