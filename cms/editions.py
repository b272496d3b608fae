"""Yearly editions of the Stand van het Land (docs/decisions/0035-yearly-editions.md): the figures of an area as
they were at one moment, kept with the page so a published edition never changes when the data does.

An edition stores ``national_index.stand.figures_of(area)`` (``figures.public_figures``, the figures the Stand
page, ``/api/v1/figures`` and the Stand's CSV show) as JSON: every Decimal as its exact string (``freeze``), and
the SHA-256 of the canonical JSON text (``digest``) beside it. ``thaw`` gives the same mapping back, Decimals and
the order of every breakdown included, so the Stand's own section templates and CSV rows read an edition as they
read today's figures. ``differences`` compares an edition's totals with the previous one's."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from initiatives import stand as labels
from national_index import areas
from national_index.figures import INCOME_FIELDS

# Where ``public_figures`` holds a Decimal: these totals, these measures of a keyed breakdown, every income share.
DECIMAL_TOTALS = frozenset({"paid_fte", "deliveries", "social_value", "selling_share", "sales_share_of_sellers"})
DECIMAL_MEASURES = frozenset({"paid_fte", "deliveries", "social_value", "share"})
SORTED_BREAKDOWNS = (
    "needs",
    "needs_fulfilled",
    "partner_kinds",
    "legal_forms",
    "founding_years",
    "phases",
    "districts",
)


def _plain(value):
    """``value`` as JSON can hold it exactly: a Decimal as its string, tuples as lists, keys as strings."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def freeze(figures: dict) -> dict:
    """``public_figures`` as the JSON an edition stores (Decimals as exact strings)."""
    return _plain(figures)


def canonical(frozen: dict) -> str:
    """The one text of stored figures: sorted keys, no spaces, ASCII (the order PostgreSQL's jsonb keeps the keys
    in does not matter)."""
    return json.dumps(frozen, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def digest(frozen: dict) -> str:
    return hashlib.sha256(canonical(frozen).encode("ascii")).hexdigest()


def _decimal(value):
    return None if value is None else Decimal(value)


def _measures(row: dict) -> dict:
    return {k: (_decimal(v) if k in DECIMAL_MEASURES else v) for k, v in row.items()}


def thaw_totals(frozen: dict) -> dict:
    """Stored totals as ``public_figures`` gave them: Decimals back from their strings."""
    return {k: (_decimal(v) if k in DECIMAL_TOTALS else v) for k, v in frozen.items()}


def thaw(frozen: dict) -> dict:
    """Stored figures as ``public_figures`` gave them: Decimals back from their strings, every breakdown in the
    order ``public_figures`` puts it in (jsonb sorts keys by length)."""
    figures = {
        "totals": thaw_totals(frozen["totals"]),
        "income_mix": {k: _decimal(frozen["income_mix"].get(k)) for k in INCOME_FIELDS if k in frozen["income_mix"]},
    }
    for name in SORTED_BREAKDOWNS:
        figures[name] = dict(sorted(frozen[name].items()))
    for name in ("domains", "sdgs"):
        figures[name] = {k: _measures(v) for k, v in sorted(frozen[name].items(), key=lambda kv: (len(kv[0]), kv[0]))}
    for name in ("portals", "provinces"):
        figures[name] = {
            k: _measures(v) for k, v in sorted(frozen[name].items(), key=lambda kv: (kv[1]["name"], kv[0]))
        }
    # The order of ``public_figures``' own keys, so a thawed mapping reads as a fresh one
    order = ("totals", "income_mix", "needs", "needs_fulfilled", "partner_kinds", "domains", "sdgs", "legal_forms")
    rest = ("founding_years", "phases", "districts", "portals", "provinces")
    return {name: figures[name] for name in (*order, *rest)}


def area_of(key: str, name: str) -> areas.Area | None:
    """The ``Area`` of a stored key with the name it had when frozen (no query), None for a malformed key."""
    if key == areas.COUNTRY:
        return areas.Area(areas.COUNTRY, "", name)
    kind, _sep, code = key.partition(":")
    if kind not in areas.KINDS or not code:
        return None
    return areas.Area(kind, code, name)


# The totals compared with the previous edition, in the order of the page.
COMPARED = ("initiatives", "people_reached", "volunteers", "paid_staff", "paid_fte", "deliveries", "social_value")
HUNDRED = Decimal(100)
PERCENT = Decimal("0.1")


@dataclass(frozen=True)
class Difference:
    key: str
    label: str
    previous: object  # int, Decimal or None (not public)
    current: object
    change: object  # current - previous, None when either is not public
    percent: Decimal | None  # None when either is not public or the previous is 0

    @property
    def is_euro(self) -> bool:
        return self.key == "social_value"


def differences(current: dict, previous: dict) -> list[Difference]:
    """The totals of two thawed editions side by side: the change and the change in percent of the previous."""
    rows = []
    for key in COMPARED:
        now, before = current["totals"].get(key), previous["totals"].get(key)
        change = None if now is None or before is None else now - before
        percent = None
        if change is not None and before:
            percent = (Decimal(change) * HUNDRED / before).quantize(PERCENT, ROUND_HALF_UP)
        rows.append(Difference(key, labels.label("totals", key), before, now, change, percent))
    return rows


NOT_PUBLIC = _("niet openbaar")
