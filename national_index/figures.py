"""The figures of the Maatschappelijke Stand van het Land for one area: the country, a portal, a province or a
municipality (docs/decisions/0034-the-full-stand-van-het-land.md).

``area_figures(flt)`` is the one definition of every figure the Stand page, its API, its CSV, a yearly edition,
the comparison of areas and the reports show: they all read it (through ``cached_area_figures``), so they cannot
disagree. Euro sums follow the one euro rule (docs/decisions/0020): over the initiatives whose home portal shows
amounts only; every count is over all initiatives.

Everything here is an aggregate in PostgreSQL over the filtered index: eight queries, whatever the number of
initiatives. ``cached_area_figures`` keeps the result per filter and index version; ``warm`` computes the
unfiltered, per-portal and per-province figures ahead of the first reader after every change of the index
(``national_index.tasks.warm_figures``), so those answer in constant time.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models import Avg, Count, Q

from geo.models import Province
from tenants.models import Portal

from . import conditional, selectors, version
from .models import IndexEntry
from .selectors import (
    PUBLIC_TOTALS,
    EntryFilter,
    _published,
    sum_by_key,
    totals_by_portal,
    totals_by_province,
)

INCOME_FIELDS = ("income_subsidy", "income_funds", "income_sales", "income_contributions", "income_other")

# Sells products or services: it lists an offer on its profile, or part of its income comes from sales.
SELLS = Q(offers_count__gt=0) | Q(income_sales__gt=0)

# Paid FTE, deliveries, demo_initiatives and uses_examples are public totals (selectors.PUBLIC_TOTALS).
EXTRA_TOTALS = {
    "selling_initiatives": Count("uuid", filter=SELLS),
    "sales_share_of_sellers": Avg("income_sales", filter=SELLS),
    **{f"avg_{name}": Avg(name) for name in INCOME_FIELDS},
}

PERCENT = Decimal("0.1")


def _percent(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(PERCENT, ROUND_HALF_UP)


def _share(part: int, whole: int) -> Decimal | None:
    return None if not whole else (Decimal(part) * 100 / whole).quantize(PERCENT, ROUND_HALF_UP)


def _inner(flt: EntryFilter) -> tuple[str, tuple]:
    return flt.apply(IndexEntry.objects.all()).values("uuid").query.sql_with_params()


def _array_counts(flt: EntryFilter) -> dict[str, dict[str, int]]:
    """Open needs, fulfilled needs and partner kinds per kind, each counted once per initiative (one query)."""
    inner, params = _inner(flt)
    table = IndexEntry._meta.db_table
    sql = (
        f"WITH e AS (SELECT needs, needs_fulfilled, partner_kinds FROM {table} WHERE uuid IN ({inner})) "  # noqa: S608
        "SELECT 'needs', k, count(*) FROM e, unnest(e.needs) k GROUP BY k "
        "UNION ALL SELECT 'needs_fulfilled', k, count(*) FROM e, unnest(e.needs_fulfilled) k GROUP BY k "
        "UNION ALL SELECT 'partner_kinds', k, count(*) FROM e, unnest(e.partner_kinds) k GROUP BY k"
    )
    found: dict[str, dict[str, int]] = {"needs": {}, "needs_fulfilled": {}, "partner_kinds": {}}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for column, kind, n in cursor.fetchall():
            found[column][kind] = n
    return found


def _groupings(flt: EntryFilter) -> dict[str, dict]:
    """Initiatives per legal form, founding year, phase and (within a municipality) district: one query with
    grouping sets."""
    inner, params = _inner(flt)
    table = IndexEntry._meta.db_table
    sql = (
        "SELECT legal_form, founding_year, phase, district, GROUPING(legal_form), GROUPING(founding_year), "  # noqa: S608
        "GROUPING(phase), count(*), COALESCE(SUM(people_reached), 0), COALESCE(SUM(volunteers), 0) "
        f"FROM {table} WHERE uuid IN ({inner}) "
        "GROUP BY GROUPING SETS ((legal_form), (founding_year), (phase), (district))"
    )
    found: dict[str, dict] = {"legal_forms": {}, "founding_years": {}, "phases": {}, "districts": {}}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for form, year, phase, district, g_form, g_year, g_phase, n, people, volunteers in cursor.fetchall():
            if not g_form:
                found["legal_forms"][form] = n
            elif not g_year:
                found["founding_years"][year] = n
            elif not g_phase:
                found["phases"][phase] = n
            else:
                found["districts"][district] = {"initiatives": n, "people_reached": people, "volunteers": volunteers}
    return found


def area_figures(flt: EntryFilter | None = None) -> dict:
    """Every figure of the Stand van het Land for the filtered index (eight queries):

    - ``totals``: the public totals of ``selectors.totals`` (counts, the public euro sum, ``valued_with``) plus paid
      FTE, welfare deliveries, ``demo_initiatives`` (fictional ones of the demo), ``uses_examples`` (an example
      value without a citable source contributed to a public euro figure), ``selling_initiatives`` and
      ``selling_share`` (percent of initiatives), ``sales_share_of_sellers`` (their average percent of income from
      sales);
    - ``income_mix``: per source, the average percent of income over the initiatives (the index knows shares, not
      amounts, so each initiative counts once);
    - ``needs`` / ``needs_fulfilled`` / ``partner_kinds``: initiatives per kind;
    - ``domains`` / ``sdgs``: ``selectors.sum_by_key`` (with the public value per key);
    - ``legal_forms``, ``founding_years``, ``phases``; ``districts`` (only for a municipality: "wijk of kern" as the
      profiles name it, "" for not stated);
    - ``portals`` / ``provinces``: ``selectors.totals_by_portal`` / ``totals_by_province``.
    """
    flt = flt or EntryFilter()
    row = flt.apply(IndexEntry.objects.all()).aggregate(**PUBLIC_TOTALS, **EXTRA_TOTALS)
    income_mix = {name: _percent(row.pop(f"avg_{name}")) for name in INCOME_FIELDS}
    totals = _published(row)
    totals["selling_share"] = _share(totals["selling_initiatives"], totals["initiatives"])
    totals["sales_share_of_sellers"] = _percent(totals["sales_share_of_sellers"])
    groupings = _groupings(flt)
    if not flt.municipality:
        groupings["districts"] = {}
    return {
        "totals": totals,
        "income_mix": income_mix,
        **_array_counts(flt),
        "domains": sum_by_key("value_by_domain", flt),
        "sdgs": sum_by_key("value_by_sdg", flt),
        **groupings,
        "portals": totals_by_portal(flt),
        "provinces": totals_by_province(flt),
    }


FIGURES_CACHE_SECONDS = 24 * 60 * 60  # bounds the memory only: a change of the index makes every entry unreachable
FIGURES_FORMAT = 2  # moves on when the figures change shape or rounding, so a deploy never reads an older entry


def figures_cache_key(flt: EntryFilter, current: str | None = None) -> str:
    """Global, not per portal: the figures of an area are the same on every portal (one source of truth) and hold
    only public data. Stored under the index and portals' versions (decision 0023), so a change of either makes
    the entry unreachable."""
    return f"maex-global:figures:{FIGURES_FORMAT}:{current or version.current_with_portals()}:{selectors.digest(flt)}"


def cached_area_figures(flt: EntryFilter | None = None) -> dict:
    """``area_figures(flt)`` from the cache while the index has not changed: two round trips (the version, the
    cache) when warm."""
    flt = flt or EntryFilter()
    key = figures_cache_key(flt)
    figures = cache.get(key)
    if figures is None:
        figures = area_figures(flt)
        cache.set(key, figures, FIGURES_CACHE_SECONDS)
    return figures


def warm_filters() -> list[EntryFilter]:
    """The areas whose figures must answer in constant time: the country, every live portal, every province."""
    schemas = Portal.objects.exclude(schema_name="public").filter(is_active=True).values_list("schema_name", flat=True)
    provinces = Province.objects.values_list("cbs_code", flat=True)
    return [
        EntryFilter(),
        *(EntryFilter(portal=s) for s in schemas),
        *(EntryFilter(province=p) for p in provinces),
    ]


def warm() -> int:
    """Compute and store the figures of ``warm_filters`` for the current version, where not stored yet; returns
    how many were computed."""
    current = version.current_with_portals()
    made = 0
    for flt in warm_filters():
        key = figures_cache_key(flt, current)
        if cache.get(key) is None:
            cache.set(key, area_figures(flt), FIGURES_CACHE_SECONDS)
            made += 1
    selectors.cached_breakdowns(EntryFilter(), current)  # the unfiltered /api/v1/totals, from every host
    conditional.newest_change(current)  # the Last-Modified of every answer read from the index
    return made


PENDING_KEY = "maex-global:figures-warm-pending"
PENDING_SECONDS = 60  # a lost message holds warming back this long at most


def schedule_warm() -> None:
    """Send ``warm_figures`` once for a burst of changes: a message is sent only while none is waiting. The task
    clears the mark before it reads the version, so a change after that sends the next one."""
    if cache.add(PENDING_KEY, 1, PENDING_SECONDS):
        from .tasks import warm_figures  # tasks imports this module

        warm_figures.apply_async(countdown=1)


def forget_pending() -> None:
    cache.delete(PENDING_KEY)


# --- as the figures leave the platform --------------------------------------------------------------------------


def _by_key(by_key: dict[str, dict]) -> dict[str, dict]:
    """A ``sum_by_key`` result as it may be shown: the public euros only (``social_value``, the euro rule), how
    many initiatives have value on the key, and the key's share of the value of every initiative in percent
    (shares are public, as each initiative's ``share_by_domain`` in the API)."""
    whole = sum((v["value"] for v in by_key.values()), Decimal(0))
    return {
        str(key): {
            "social_value": v["public_value"],
            "initiatives": v["initiatives"],
            "valued_initiatives": v["valued_initiatives"],
            "share": (v["value"] * 100 / whole).quantize(PERCENT, ROUND_HALF_UP) if whole else None,
        }
        for key, v in sorted(by_key.items(), key=lambda kv: (len(kv[0]), kv[0]))
    }


ROW_FIGURES = (
    "initiatives",
    "people_reached",
    "volunteers",
    "paid_staff",
    "paid_fte",
    "deliveries",
    "social_value",
    "valued_initiatives",
    "withheld_initiatives",
    "demo_initiatives",
    "uses_examples",
)


def public_figures(figures: dict) -> dict:
    """``area_figures`` as every surface shows it (the Stand page, ``/api/v1/figures``, the Stand's CSV; decision
    0034): no euro of an initiative whose portal hides amounts (``sum_by_key``'s ``value`` is replaced by the
    public ``social_value`` and a share), every breakdown a mapping from a stable key (a code, a year, a schema
    name) to a count or to a mapping of measures, so a value is found at ``[figure][key]`` or
    ``[figure][key][measure]``. ``totals.price_list_version`` is ``valued_with`` under the name of the API."""
    totals = dict(figures["totals"])
    totals["price_list_version"] = list(totals["valued_with"])
    return {
        "totals": totals,
        "income_mix": dict(figures["income_mix"]),
        "needs": dict(sorted(figures["needs"].items())),
        "needs_fulfilled": dict(sorted(figures["needs_fulfilled"].items())),
        "partner_kinds": dict(sorted(figures["partner_kinds"].items())),
        "domains": _by_key(figures["domains"]),
        "sdgs": _by_key(figures["sdgs"]),
        "legal_forms": dict(sorted(figures["legal_forms"].items())),
        "founding_years": {str(y): n for y, n in sorted(figures["founding_years"].items())},
        "phases": dict(sorted(figures["phases"].items())),
        "districts": dict(sorted(figures["districts"].items())),
        "portals": {
            r["portal__schema_name"]: {"name": r["portal__name"], **{k: r[k] for k in ROW_FIGURES}}
            for r in figures["portals"]
        },
        "provinces": {
            r["province__cbs_code"]: {"name": r["province__name"], **{k: r[k] for k in ROW_FIGURES}}
            for r in figures["provinces"]
        },
    }
