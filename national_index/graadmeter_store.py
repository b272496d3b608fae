"""The graadmeter's takes and reads (docs/decisions/0032-the-maex-graadmeter.md).

Writes: ``record_take`` (one take day) and ``record_backfill`` (the demo's labelled replay), both given the
initiatives already valued at the series' base prices by the caller (``valuation.graadmeter``: the valuation app
sits above this one, so prices never reach here as models, only as cents). Reads: ``series`` and ``summary``, the
one source of the page, the API, the CSV and the Stand's summary.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import Max

from tenants.models import Portal

from . import graadmeter
from .graadmeter import Change, Entry, Member, Previous
from .models import GraadmeterLevel, GraadmeterMember, IndexEntry

logger = logging.getLogger(__name__)


def base_version() -> str | None:
    """The price-list version the series is valued with: the one of its first take, kept ever after."""
    return GraadmeterLevel.objects.order_by("date", "id").values_list("base_version", flat=True).first()


def latest_date() -> datetime.date | None:
    return GraadmeterLevel.objects.aggregate(latest=Max("date"))["latest"]


def index_rows():
    """What a take values: every published initiative's place, euro rule, demo mark and activities, and its social
    value (``valuation.graadmeter`` leaves out a row with a value but no activities yet: one written before the
    graadmeter, until ``reconcile_index`` fills it)."""
    return (
        IndexEntry.objects.order_by()
        .values_list(
            "uuid",
            "portal__schema_name",
            "province__cbs_code",
            "portal__show_amounts",
            "is_demo",
            "activity_quantities",
            "published_at",
            "social_value",
        )
        .iterator(chunk_size=2000)
    )


def _rows(
    day: datetime.date,
    entries: Sequence[Entry],
    before: dict[object, Member],
    previous: dict[str, Previous],
    *,
    base: str,
    backfilled: bool,
) -> tuple[list[GraadmeterLevel], dict[object, Member]]:
    members = graadmeter.members_of(entries)
    now_by_scope = graadmeter.by_scope(members)
    before_by_scope = graadmeter.by_scope(before)
    counts = graadmeter.counts_by_scope(entries)
    rows = []
    for scope in sorted(counts.keys() | before_by_scope.keys()):
        step = graadmeter.step(now_by_scope.get(scope, {}), before_by_scope.get(scope, {}), previous.get(scope))
        c = counts.get(scope, graadmeter.Counts())
        rows.append(
            GraadmeterLevel(
                date=day,
                scope=scope,
                value_cents=step.value_cents,
                level=step.level,
                growth_level=step.growth_level,
                continuing_change_cents=step.continuing_change_cents,
                joined_cents=step.joined_cents,
                left_cents=step.left_cents,
                joined_count=step.joined_count,
                left_count=step.left_count,
                initiatives=c.initiatives,
                valued_initiatives=c.valued_initiatives,
                demo_initiatives=c.demo_initiatives,
                uses_examples=c.uses_examples,
                base_version=base,
                previous_date=previous[scope].date if scope in previous else None,
                backfilled=backfilled,
            )
        )
    return rows, members


def _previous_levels(before_day: datetime.date) -> dict[str, Previous]:
    """Each scope's last row before ``before_day`` (one query)."""
    rows = (
        GraadmeterLevel.objects.filter(date__lt=before_day)
        .order_by("scope", "-date")
        .distinct("scope")
        .values_list("scope", "level", "growth_level", "date")
    )
    return {scope: Previous(level, growth, date) for scope, level, growth, date in rows}


def _remember(day: datetime.date, members: dict[object, Member]) -> None:
    GraadmeterMember.objects.bulk_create(
        [
            GraadmeterMember(date=day, uuid=k, portal=m.portal, province=m.province, value_cents=m.value_cents)
            for k, m in members.items()
        ],
        batch_size=2000,
    )


def record_take(day: datetime.date, entries: Sequence[Entry], *, base: str) -> int:
    """Store the graadmeter of ``day`` (idempotent: a second take of the same day replaces the first and is
    measured against the same previous take). A day before the latest take is refused: the series only grows
    forward (decision 0032). Returns the number of scopes written."""
    with transaction.atomic():
        latest = latest_date()
        if latest is not None and day < latest:
            logger.warning("graadmeter: a take of %s comes after the take of %s; not stored", day, latest)
            return 0
        # The take before this day, also when it valued no initiative (then it remembered none): its members,
        # possibly none, are what this take is measured against, as its levels are.
        previous_date = GraadmeterLevel.objects.filter(date__lt=day).aggregate(latest=Max("date"))["latest"]
        before = {
            m.uuid: Member(m.value_cents, m.portal, m.province)
            for m in GraadmeterMember.objects.filter(date=previous_date).iterator(chunk_size=2000)
        }
        rows, members = _rows(
            day,
            entries,
            before,
            _previous_levels(day),
            base=base,
            backfilled=False,
        )
        GraadmeterLevel.objects.filter(date=day).delete()
        GraadmeterLevel.objects.bulk_create(rows, batch_size=1000)
        # The memory keeps this take and the one before it only
        GraadmeterMember.objects.filter(date__gte=day).delete()
        if previous_date is not None:
            GraadmeterMember.objects.filter(date__lt=previous_date).delete()
        _remember(day, members)
    return len(rows)


def record_backfill(days: Iterable[tuple[datetime.date, Sequence[Entry]]], *, base: str) -> int:
    """The demo's labelled replay (``backfilled``): the takes of ``days`` (oldest first) chained in memory and stored
    in bulk, before any real take. Refused (0) once the series has a row."""
    with transaction.atomic():
        if GraadmeterLevel.objects.exists():
            return 0
        rows: list[GraadmeterLevel] = []
        before: dict[object, Member] = {}
        previous: dict[str, Previous] = {}
        last = None
        for day, entries in days:
            made, before = _rows(day, entries, before, previous, base=base, backfilled=True)
            rows += made
            previous.update({r.scope: Previous(r.level, r.growth_level, r.date) for r in made})
            last = day
        GraadmeterLevel.objects.bulk_create(rows, batch_size=2000)
        if last is not None:
            GraadmeterMember.objects.filter(date__gte=last).delete()
            _remember(last, before)
    return len(rows)


# --- reads -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """The public graadmeter of one scope: its rows (oldest first) and whether its euros may be shown.

    ``public`` is False where the scope's latest take valued no initiative while it had some: a portal that hides
    amounts (docs/decisions/0020) has no public graadmeter, its history included, and no cents leave the platform.
    It is also False (``stale``) while a portal that counted in the latest take has stopped showing amounts since:
    until the next take leaves that portal out."""

    scope: str
    rows: list[GraadmeterLevel]
    public: bool
    stale: bool = False  # not public until the next take: a portal in it stopped showing amounts since the last

    @property
    def latest(self) -> GraadmeterLevel | None:
        return self.rows[-1] if self.rows else None

    @property
    def changes(self) -> list[Change]:
        if not self.public:
            return []
        return graadmeter.changes((r.date, r.level, r.growth_level) for r in self.rows)

    @property
    def backfilled(self) -> bool:
        return any(r.backfilled for r in self.rows)

    @property
    def uses_examples(self) -> bool:
        return self.public and any(r.uses_examples for r in self.rows)

    @property
    def demo(self) -> bool:
        return any(r.demo_initiatives for r in self.rows)

    @property
    def base_version(self) -> str:
        return self.rows[-1].base_version if self.rows else ""


def _hidden_since(scope: str, day: datetime.date) -> bool:
    """Whether a portal that counted in ``scope``'s take of ``day`` has stopped showing amounts since (one query).
    Until the next take leaves its initiatives out, the scope's series is not public: its last values are that
    portal's euros, or hold them (decision 0032)."""
    hidden = Portal.objects.filter(show_amounts=False).values("schema_name")
    kind, _sep, code = scope.partition(":")
    members = GraadmeterMember.objects.filter(date=day, portal__in=hidden)
    if kind == "portal":
        members = members.filter(portal=code)
    elif kind == "province":
        members = members.filter(province=code)
    return members.exists()


def _visibility(scope: str, day: datetime.date, valued: int, initiatives: int) -> tuple[bool, bool]:
    """Whether ``scope``'s series is public after its latest take (of ``day``, counting ``initiatives``, ``valued``
    of them with public euros), and whether it is held back only until the next take (``stale``); one query."""
    if initiatives == 0:
        # An empty take tells nothing of the portals its earlier values came from (no members are left to ask):
        # public only for a portal that shows amounts now, so a portal that stopped showing them and lost its
        # initiatives does not publish its history again.
        kind, _sep, code = scope.partition(":")
        return kind == "portal" and Portal.objects.filter(schema_name=code, show_amounts=True).exists(), False
    if valued == 0:
        return False, False
    stale = _hidden_since(scope, day)
    return not stale, stale


def series(scope: str) -> Series:
    """Every row of ``scope``, oldest first, and whether it is public (two queries)."""
    rows = list(GraadmeterLevel.objects.filter(scope=scope).order_by("date"))
    latest = rows[-1] if rows else None
    if latest is None:
        return Series(scope, rows, True)
    public, stale = _visibility(scope, latest.date, latest.valued_initiatives, latest.initiatives)
    return Series(scope, rows, public, stale)


SUMMARY_FIELDS = ("date", "level", "growth_level", "initiatives", "valued_initiatives", "backfilled")


def summary(scope: str) -> dict:
    """The latest levels of ``scope`` and their change over a day, a month and a year, for the Stand's summary
    (one query, the dates and levels of the scope only)."""
    rows = list(GraadmeterLevel.objects.filter(scope=scope).order_by("date").values_list(*SUMMARY_FIELDS))
    if not rows:
        return {"scope": scope, "latest": None, "public": True, "stale": False, "changes": []}
    date, level, growth, initiatives, valued, backfilled = rows[-1]
    public, stale = _visibility(scope, date, valued, initiatives)
    if not public:  # as ``points`` withholds them: the levels are the euros' ratios
        level = growth = None
    return {
        "scope": scope,
        "latest": {"date": date, "level": level, "growth_level": growth, "backfilled": backfilled},
        "public": public,
        "stale": stale,
        "changes": graadmeter.changes((r[0], r[1], r[2]) for r in rows) if public else [],
    }


SUMMARY_CACHE_SECONDS = 24 * 60 * 60  # bounds the memory only: a take or a portal's change makes a new key


def cached_summary(scope: str, current: str) -> dict:
    """``summary(scope)`` from the cache while no take was made and no portal changed (``current``: the index and
    portals' version, ``version.current_with_portals``): one small query on a warm Stand instead of reading the
    whole series, which grows by a row a day."""
    latest = GraadmeterLevel.objects.order_by("-id").values_list("id", flat=True).first() or 0
    key = f"maex-global:graadmeter-summary:{scope}:{current}:{latest}"
    found = cache.get(key)
    if found is None:
        found = summary(scope)
        cache.set(key, found, SUMMARY_CACHE_SECONDS)
    return found


def scope_of(area) -> str | None:
    """The graadmeter scope of an area (``areas.Area``): the country, a portal or a province; a municipality has
    none."""
    return None if area.kind == "gemeente" else area.key


POINT_FIELDS = (
    "date",
    "level",
    "growth_level",
    "initiatives",
    "valued_initiatives",
    "joined_count",
    "left_count",
    "value_cents",
    "continuing_change_cents",
    "joined_cents",
    "left_cents",
    "previous_date",
    "base_version",
    "uses_examples",
    "demo_initiatives",
    "backfilled",
)
CENTS = ("value_cents", "continuing_change_cents", "joined_cents", "left_cents")
WITHHELD = CENTS + ("level", "growth_level")


def points(found: Series):
    """The rows of ``found`` as they leave the platform (the API, the CSV): where the scope's euros are not public,
    no cents and no levels (null), only the counts."""
    for row in found.rows:
        point = {name: getattr(row, name) for name in POINT_FIELDS}
        if not found.public:
            point.update(dict.fromkeys(WITHHELD))
            point["uses_examples"] = False
        yield point
