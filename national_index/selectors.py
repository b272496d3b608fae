"""Reads of the national index. National and regional figures go through the same functions: a region is
the same query with a filter (docs/architecture.md, "The write path")."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Count, DecimalField, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from tenants.models import NATIONAL_SCHEMA

from .models import IndexEntry, InitiativeLocator, Snapshot


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


def totals(flt: EntryFilter | None = None, **filters) -> dict:
    flt = flt or EntryFilter(**filters)
    return flt.apply(IndexEntry.objects.all()).aggregate(**TOTALS)


def totals_by_portal(flt: EntryFilter | None = None) -> list[dict]:
    qs = (flt or EntryFilter()).apply(IndexEntry.objects.all())
    return list(qs.values("portal__schema_name", "portal__name").annotate(**TOTALS).order_by("portal__name"))


def totals_by_province(flt: EntryFilter | None = None) -> list[dict]:
    qs = (flt or EntryFilter()).apply(IndexEntry.objects.all())
    return list(qs.values("province__cbs_code", "province__name").annotate(**TOTALS).order_by("province__name"))


def snapshots(scope: str = "nl") -> QuerySet:
    return Snapshot.objects.filter(scope=scope).order_by("date")


def sum_by_key(field: str, flt: EntryFilter | None = None) -> dict[str, dict]:
    """Sum a JSON map column (``value_by_domain`` or ``value_by_sdg``) over the filtered index, in SQL:
    {key: {"value": Decimal, "initiatives": n}}. One query, whatever the number of initiatives."""
    if field not in ("value_by_domain", "value_by_sdg"):
        raise ValueError(field)
    inner, params = (flt or EntryFilter()).apply(IndexEntry.objects.all()).values("uuid").query.sql_with_params()
    table = IndexEntry._meta.db_table
    sql = (
        f"SELECT e.key, SUM(e.value::numeric), COUNT(*) FROM {table} i, jsonb_each_text(i.{field}) e "  # noqa: S608
        f"WHERE i.uuid IN ({inner}) AND e.value::numeric > 0 GROUP BY e.key"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {key: {"value": Decimal(total), "initiatives": n} for key, total, n in cursor.fetchall()}


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
