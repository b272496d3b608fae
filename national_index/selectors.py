"""Reads of the national index. National and regional figures go through the same functions: a region is
the same query with a filter (docs/architecture.md, "The write path")."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.postgres.aggregates import ArrayAgg
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, DecimalField, F, Func, OuterRef, Q, QuerySet, Subquery, Sum, TextField, Value
from django.db.models.functions import Cast, Coalesce

from tenants.models import NATIONAL_SCHEMA, Portal

from . import version
from .models import ImpulsAward, ImpulsAwardPart, IndexEntry, InitiativeLocator, Snapshot


@dataclass(frozen=True)
class EntryFilter:
    q: str = ""
    municipality: str = ""  # CBS code
    province: str = ""  # CBS code
    portal: str = ""  # schema name
    sdg: int | None = None
    domain: str = ""
    need: str = ""

    def apply(self, qs: QuerySet) -> QuerySet:
        if self.q:
            qs = qs.filter(Q(name__icontains=self.q) | Q(short_description__icontains=self.q))
        if self.municipality:
            qs = qs.filter(municipality__cbs_code=self.municipality)
        if self.province:
            qs = qs.filter(province__cbs_code=self.province)
        if self.portal:
            qs = qs.filter(portal__schema_name=self.portal)
        if self.sdg:
            qs = qs.filter(sdgs__contains=[self.sdg])
        if self.domain:
            qs = qs.filter(value_domains__contains=[self.domain])
        if self.need:
            qs = qs.filter(needs__contains=[self.need])
        return qs


def area_of(schema_name: str) -> str:
    """The ``portal`` filter of what a portal shows: its own initiatives; on the national portal, all of them."""
    return "" if schema_name == NATIONAL_SCHEMA else schema_name


def entries(flt: EntryFilter | None = None) -> QuerySet:
    qs = IndexEntry.objects.select_related("portal", "municipality", "province")
    return (flt or EntryFilter()).apply(qs).order_by("name", "uuid")


def entry(uuid) -> IndexEntry | None:
    return IndexEntry.objects.select_related("portal", "municipality", "province").filter(uuid=uuid).first()


def locate(uuid) -> InitiativeLocator | None:
    """Where an initiative lives now, published or not: its locator, with the home portal and the portal's
    domains loaded for a link (``initiatives.models.initiative_url``). None for a UUID the platform does not know."""
    return (
        InitiativeLocator.objects.select_related("portal").prefetch_related("portal__domains").filter(uuid=uuid).first()
    )


TOTALS = {
    "initiatives": Count("uuid"),
    "social_value": Coalesce(Sum("social_value"), Decimal(0), output_field=DecimalField()),
    "people_reached": Coalesce(Sum("people_reached"), 0),
    "volunteers": Coalesce(Sum("volunteers"), 0),
    "paid_staff": Coalesce(Sum("paid_staff"), 0),
}
"""Every figure over every indexed initiative: the snapshots, which stay inside the platform."""

# The one euro rule (docs/decisions/0020-one-euro-rule-pages-and-api.md): a public euro figure sums only the
# initiatives whose home portal shows euro amounts; the others count in every count, never in a euro sum.
AMOUNTS_PUBLIC = Q(portal__show_amounts=True)

PUBLIC_TOTALS = {
    "initiatives": Count("uuid"),
    "social_value": Sum("social_value", filter=AMOUNTS_PUBLIC),
    "valued_initiatives": Count("uuid", filter=AMOUNTS_PUBLIC),
    "valued_with": ArrayAgg("valued_with", distinct=True, filter=AMOUNTS_PUBLIC & ~Q(valued_with=""), default=[]),
    "people_reached": Coalesce(Sum("people_reached"), 0),
    "volunteers": Coalesce(Sum("volunteers"), 0),
    "paid_staff": Coalesce(Sum("paid_staff"), 0),
    "paid_fte": Coalesce(Sum("paid_fte"), Decimal(0), output_field=DecimalField()),
    "deliveries": Coalesce(Sum("deliveries"), Decimal(0), output_field=DecimalField()),
    # Fictional initiatives of the demo: every surface that shows these figures says so (decision 0034).
    "demo_initiatives": Count("uuid", filter=Q(is_demo=True)),
    # Example values contribute to a public euro figure only through an initiative whose euros are public.
    "example_initiatives": Count("uuid", filter=AMOUNTS_PUBLIC & Q(uses_examples=True)),
}


def public_amount(value, initiatives: int, valued: int) -> Decimal | None:
    """A euro sum as it may leave the platform: None where initiatives count but none of their euros may be
    shown; 0 for an empty scope."""
    if valued == 0:
        return None if initiatives else Decimal(0)
    return value if value is not None else Decimal(0)


def _published(row: dict) -> dict:
    row["social_value"] = public_amount(row["social_value"], row["initiatives"], row["valued_initiatives"])
    row["withheld_initiatives"] = row["initiatives"] - row["valued_initiatives"]
    row["valued_with"] = sorted(row["valued_with"])
    # An example value without a citable source contributed to the public euro sum (decision 0020).
    row["uses_examples"] = row.pop("example_initiatives") > 0 and row["social_value"] is not None
    return row


def totals(flt: EntryFilter | None = None, **filters) -> dict:
    """The public figures of the filtered index: counts over every initiative, the euro sum over those whose
    portal shows amounts (``valued_initiatives``; ``withheld_initiatives`` count, but not in euros), and the
    price-list versions those euros were computed with (``valued_with``); paid FTE, welfare deliveries, how many
    are fictional (``demo_initiatives``) and whether an example value contributed to the euro sum
    (``uses_examples``)."""
    flt = flt or EntryFilter(**filters)
    return _published(flt.apply(IndexEntry.objects.all()).aggregate(**PUBLIC_TOTALS))


TOTALS_CACHE_SECONDS = 60 * 60  # bounds the memory only: a change of the index makes every cached figure unreachable
TOTALS_SHAPE = "3"  # raise when the keys of the totals change: an entry of the old shape is then never read


def digest(flt: EntryFilter) -> str:
    """A filter's part of a cache key."""
    return hashlib.sha256(repr(flt).encode()).hexdigest()[:32]


# What of ``sum_by_key``'s sums may leave the platform (the euro rule).
PUBLIC_SUMS = ("public_value", "initiatives", "valued_initiatives")


def totals_cache_key(flt: EntryFilter, current: str | None = None) -> str:
    """Per schema, filter, index version and portals' version: the totals depend on the portals' rows too (whether
    a portal shows euro amounts, its name), which the public schema's page cache version follows (decision 0030)."""
    current = current or version.current_with_portals()
    return f"index-totals:{TOTALS_SHAPE}:{connection.schema_name}:{current}:{digest(flt)}"


def cached_totals(flt: EntryFilter) -> dict:
    """``totals(flt)`` as the pages show it, from the cache while the index has not changed: stored under the
    index version (``version.current()``, bumped by every write of the index) and the current schema, so a
    portal never reads another portal's entry (docs/decisions/0023-fast-pages.md)."""
    key = totals_cache_key(flt)
    figures = cache.get(key)
    if figures is None:
        figures = totals(flt)
        cache.set(key, figures, TOTALS_CACHE_SECONDS)
    return figures


def cached_breakdowns(flt: EntryFilter, current: str | None = None) -> dict:
    """The figures of ``/api/v1/totals`` for ``flt``: the totals and the totals per portal, per province and per
    SDG, from the cache while the index has not changed (under its version, decision 0023): one aggregate pass per
    filter and index change instead of four per request. ``current``: the version, when the caller read it already
    (``conditional.version_of``). Global, not per portal, as the Stand's figures (``figures.figures_cache_key``):
    the same on every portal, and public data only (the SDG sums keep their public euros, not the sum over every
    initiative); ``figures.warm`` computes the country's once after a change."""
    key = f"maex-global:index-breakdowns:{TOTALS_SHAPE}:{current or version.current_with_portals()}:{digest(flt)}"
    figures = cache.get(key)
    if figures is None:
        sdgs = sum_by_key("value_by_sdg", flt)
        figures = {
            "national": totals(flt),
            "portals": totals_by_portal(flt),
            "provinces": totals_by_province(flt),
            "sdgs": {k: {name: v[name] for name in PUBLIC_SUMS} for k, v in sdgs.items()},
        }
        cache.set(key, figures, TOTALS_CACHE_SECONDS)
    return figures


def totals_by_portal(flt: EntryFilter | None = None) -> list[dict]:
    """Per portal, as ``totals``: a portal that hides euro amounts has ``social_value`` None."""
    qs = (flt or EntryFilter()).apply(IndexEntry.objects.all())
    rows = qs.values("portal__schema_name", "portal__name").annotate(**PUBLIC_TOTALS).order_by("portal__name")
    return [_published(row) for row in rows]


def totals_by_province(flt: EntryFilter | None = None) -> list[dict]:
    """Per province, as ``totals``: the euro sum of the initiatives whose portal shows amounts."""
    qs = (flt or EntryFilter()).apply(IndexEntry.objects.all())
    rows = qs.values("province__cbs_code", "province__name").annotate(**PUBLIC_TOTALS).order_by("province__name")
    return [_published(row) for row in rows]


def totals_by_municipality(flt: EntryFilter | None = None) -> list[dict]:
    """Per municipality, as ``totals``: the euro sum of the initiatives whose portal shows amounts; None where the
    municipality has initiatives but none of their euros may be shown. One query."""
    qs = (flt or EntryFilter()).apply(IndexEntry.objects.all())
    rows = (
        qs.values("municipality__cbs_code", "municipality__name")
        .annotate(**PUBLIC_TOTALS)
        .order_by("municipality__name")
    )
    return [_published(row) for row in rows]


def sdg_value_by_municipality(sdg: int, flt: EntryFilter | None = None) -> dict[str, Decimal | None]:
    """Per municipality (CBS code), the public euro value of SDG ``sdg`` (``value_by_sdg``), by the euro rule of
    ``totals``: None where the municipality has initiatives but none whose portal shows amounts. One query."""
    # jsonb_extract_path_text, not a key transform: Django reads a key like "3" as an array index
    key = Func(F("value_by_sdg"), Value(str(int(sdg))), function="jsonb_extract_path_text", output_field=TextField())
    amount = Cast(key, DecimalField(max_digits=14, decimal_places=2))
    qs = (flt or EntryFilter()).apply(IndexEntry.objects.all())
    rows = qs.values("municipality__cbs_code").annotate(
        value=Sum(amount, filter=AMOUNTS_PUBLIC),
        initiatives=Count("uuid"),
        valued=Count("uuid", filter=AMOUNTS_PUBLIC),
    )
    return {
        row["municipality__cbs_code"]: public_amount(row["value"], row["initiatives"], row["valued"]) for row in rows
    }


def snapshots(scope: str = "nl") -> QuerySet:
    return Snapshot.objects.filter(scope=scope).order_by("date")


def sum_by_key(field: str, flt: EntryFilter | None = None) -> dict[str, dict]:
    """Sum a JSON map column (``value_by_domain`` or ``value_by_sdg``) over the filtered index, in SQL:
    {key: {"value": Decimal, "initiatives": n, "public_value": Decimal, "valued_initiatives": n}}, where
    ``value`` and ``initiatives`` count every initiative with a value on the key, and ``public_value`` and
    ``valued_initiatives`` only those whose portal shows euro amounts (the euro rule, see ``totals``).
    One query, whatever the number of initiatives."""
    if field not in ("value_by_domain", "value_by_sdg"):
        raise ValueError(field)
    inner, params = (flt or EntryFilter()).apply(IndexEntry.objects.all()).values("uuid").query.sql_with_params()
    table = IndexEntry._meta.db_table
    portals = Portal._meta.db_table
    sql = (
        "SELECT e.key, SUM(e.value::numeric), COUNT(*), "  # noqa: S608
        "SUM(e.value::numeric) FILTER (WHERE p.show_amounts), COUNT(*) FILTER (WHERE p.show_amounts) "
        f"FROM {table} i JOIN {portals} p ON p.id = i.portal_id, jsonb_each_text(i.{field}) e "
        f"WHERE i.uuid IN ({inner}) AND e.value::numeric > 0 GROUP BY e.key"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            key: {
                "value": Decimal(total),
                "initiatives": n,
                "public_value": public_amount(public, n, valued),
                "valued_initiatives": valued,
            }
            for key, total, n, public, valued in cursor.fetchall()
        }


@dataclass(frozen=True)
class ValuePercentiles:
    """The ``pct``-th percentile (nearest rank) of the published initiatives' social value per person reached
    and per volunteer, over ``entries`` initiatives with a value; None where no initiative has one."""

    per_person: Decimal | None
    per_volunteer: Decimal | None
    entries: int


def value_percentiles(pct: int) -> ValuePercentiles:
    """What comparable initiatives declare, for the plausibility check of a declared total
    (docs/decisions/0019-plausible-figures.md). One query over the national index."""
    table = IndexEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT count(*),
                   percentile_disc(%s) WITHIN GROUP (ORDER BY social_value / people_reached)
                       FILTER (WHERE people_reached > 0),
                   percentile_disc(%s) WITHIN GROUP (ORDER BY social_value / volunteers)
                       FILTER (WHERE volunteers > 0)
            FROM {table}
            WHERE social_value > 0
            """,  # noqa: S608 (the table name is the model's own)
            [pct / 100, pct / 100],
        )
        entries, per_person, per_volunteer = cursor.fetchone()
    return ValuePercentiles(per_person, per_volunteer, entries)


# --- MAEX Impuls awards (docs/decisions/0028-impuls-accountability-projection-reminders.md) ----------------------


def awards_of_initiative(uuid) -> list[ImpulsAward]:
    """Every Impuls an initiative received, on any portal, newest first, with its funders' parts (three queries)."""
    return awards_of_initiatives([uuid]).get(uuid, [])


def awards_of_initiatives(uuids) -> dict:
    """``awards_of_initiative`` for many initiatives at once: uuid -> its awards, newest first (three queries)."""
    found: dict = {}
    rows = (
        ImpulsAward.objects.filter(initiative_uuid__in=list(uuids))
        .select_related("portal")
        .prefetch_related("parts", "portal__domains")
        .order_by("-awarded_on", "id")
    )
    for row in rows:
        found.setdefault(row.initiative_uuid, []).append(row)
    return found


def awards(*, portal: str = "", year: int | None = None) -> QuerySet:
    """Awards of every portal (or of one, by schema name), of one year (by award date) or all."""
    qs = ImpulsAward.objects.select_related("portal").prefetch_related("parts")
    if portal:
        qs = qs.filter(portal__schema_name=portal)
    if year:
        qs = qs.filter(awarded_on__year=year)
    return qs.order_by("-awarded_on", "id")


def _award_sums() -> dict:
    money = Q(kind="geld")
    return {
        "awards": Count("id"),
        "money_cents": Coalesce(Sum("amount_cents", filter=money), 0),
        "in_kind_awards": Count("id", filter=~money),
        "paid": Count("id", filter=Q(paid_on__isnull=False)),
        "accounted": Count("id", filter=Q(accounted_on__isnull=False)),
    }


def award_totals_by_portal(*, year: int | None = None) -> list[dict]:
    """Per portal that gave awards: how many, the money in cents (rounds in money only), how many in kind, paid
    and accounted for. One query."""
    qs = ImpulsAward.objects.all()
    if year:
        qs = qs.filter(awarded_on__year=year)
    rows = qs.values("portal__schema_name", "portal__name").annotate(**_award_sums()).order_by("portal__name")
    return [{**row, "money": Decimal(row["money_cents"]) / 100} for row in rows]


def award_totals_by_funder(*, year: int | None = None, portal: str = "") -> list[dict]:
    """Per funder (by name, over every portal): how many awards it pays a part of and its cents in money rounds.
    One query."""
    qs = ImpulsAwardPart.objects.all()
    if year:
        qs = qs.filter(award__awarded_on__year=year)
    if portal:
        qs = qs.filter(award__portal__schema_name=portal)
    rows = (
        qs.values("funder")
        .annotate(
            awards=Count("award_id", distinct=True),
            money_cents=Coalesce(Sum("amount_cents", filter=Q(award__kind="geld")), 0),
            portals=Count("award__portal_id", distinct=True),
        )
        .order_by("-money_cents", "funder")
    )
    return [{**row, "money": Decimal(row["money_cents"]) / 100} for row in rows]


def awards_in_area(flt: EntryFilter) -> QuerySet:
    """The awards of the published initiatives of an area (``flt``), from every portal that gave them, newest first,
    each with its initiative's ``initiative_name`` and ``initiative_url`` from the index (one query): an award of
    an initiative that is no longer published is not in the area's report
    (docs/decisions/0036-areas-side-by-side-and-reports.md)."""
    initiative = IndexEntry.objects.filter(uuid=OuterRef("initiative_uuid"))
    return (
        ImpulsAward.objects.filter(initiative_uuid__in=flt.apply(IndexEntry.objects.all()).values("uuid"))
        .select_related("portal")
        .annotate(
            initiative_name=Subquery(initiative.values("name")[:1]),
            initiative_url=Subquery(initiative.values("url")[:1]),
        )
        .order_by("-awarded_on", "id")
    )


def award_totals_in_area(flt: EntryFilter) -> dict:
    """As ``award_totals_by_portal``, over the awards of ``awards_in_area`` (one query)."""
    row = ImpulsAward.objects.filter(initiative_uuid__in=flt.apply(IndexEntry.objects.all()).values("uuid")).aggregate(
        **_award_sums()
    )
    return {**row, "money": Decimal(row["money_cents"]) / 100}


def award_years() -> list[int]:
    return sorted({d.year for d in ImpulsAward.objects.dates("awarded_on", "year")}, reverse=True)
