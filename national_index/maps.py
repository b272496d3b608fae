"""The map of ``/kaart/``: per municipality of the portal's area, one figure of the national index, drawn by
``geo.svgmap`` and listed in a table (docs/decisions/0033-municipality-map.md).

The figures come from ``selectors.totals_by_municipality`` (and ``sdg_value_by_municipality``), so the euro rule
is the one of every other page (docs/decisions/0020-one-euro-rule-pages-and-api.md). The rendered map and its
table are cached per schema, index version, portals' version (which also follows the municipalities' population
and boundaries, tenants/page_cache.py), figure, SDG and language."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from geo import svgmap
from geo.models import Municipality

from . import selectors, version

FIGURES = {
    "initiatieven": _("Aantal initiatieven"),
    "per-10000": _("Initiatieven per 10.000 inwoners"),
    "waarde": _("Maatschappelijke waarde per jaar (€)"),
    "sdg": _("Maatschappelijke waarde per jaar voor één SDG (€)"),
}
DEFAULT_FIGURE = "initiatieven"
EUROS = ("waarde", "sdg")
MAP_CACHE_SECONDS = 60 * 60  # bounds the memory only: every change makes the key unreachable
MAP_CACHE_FORMAT = 5  # moves on when the cached dict changes shape, so a deploy never reads an older entry


def _count(value) -> str:
    return number_format(value, 0, use_l10n=True, force_grouping=True)


# Rounded half up, as the Stand's pages and the comparison round (portals/compare.py, Django's floatformat):
# number_format alone would cut the digits off.
def _euros(value) -> str:
    return "€ " + number_format(
        Decimal(value).quantize(Decimal(1), ROUND_HALF_UP), 0, use_l10n=True, force_grouping=True
    )


def _euros_per_inhabitant(value) -> str:
    rounded = Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return "€ " + number_format(rounded, 2, use_l10n=True, force_grouping=True)


def _per_10000(value) -> str:
    return number_format(Decimal(value).quantize(Decimal("0.1"), ROUND_HALF_UP), 1, use_l10n=True, force_grouping=True)


def _fmt(figure: str):
    return _euros if figure in EUROS else _per_10000 if figure == "per-10000" else _count


def _table_body(rows: list[dict], unknown: str) -> SafeString:
    """The rows of the map's table: name, inhabitants, initiatives, the figure, per inhabitant."""
    unknown_cell = format_html('<abbr title="{}">?</abbr>', unknown)
    return mark_safe(  # noqa: S308 (every cell is escaped by format_html)
        "".join(
            format_html(
                '<tr><th scope="row">{}</th><td class="num">{}</td><td class="num">{}</td>'
                '<td class="num">{}</td><td class="num">{}</td></tr>',
                r["name"],
                _count(r["population"]) if r["population"] else unknown_cell,
                _count(r["initiatives"]),
                r["text"],
                r["per_inhabitant"] or "—",
            )
            for r in rows
        )
    )


def municipalities_of(portal, codes) -> list[Municipality]:
    """The municipalities the map of ``portal`` draws, with their shapes (one query): every municipality on the
    national portal; on another, those it covers and those where its initiatives are."""
    qs = Municipality.objects.select_related("shape")
    if not portal.is_national:
        qs = qs.filter(Q(coverage__portal=portal) | Q(cbs_code__in=list(codes)))
    return sorted(qs, key=_sort_name)


def _sort_name(municipality) -> str:
    """By the name people read ("Den Haag" under D), 's-Hertogenbosch under H, as Dutch lists do."""
    return municipality.display_name.removeprefix("'s-").casefold()


def municipality_map(portal, figure: str, sdg: int | None) -> dict:
    """The map, its legend and its table for ``figure`` (one of ``FIGURES``) on ``portal``, from the cache while
    nothing it shows has changed."""
    versions = version.current_with_portals()
    key = f"index-map:{MAP_CACHE_FORMAT}:{connection.schema_name}:{versions}:{figure}:{sdg or ''}:{get_language()}"
    found = cache.get(key)
    if found is None:
        found = _build(portal, figure, sdg)
        cache.set(key, found, MAP_CACHE_SECONDS)
    return found


def _build(portal, figure: str, sdg: int | None) -> dict:
    flt = selectors.EntryFilter(portal=selectors.area_of(portal.schema_name))
    totals = {row["municipality__cbs_code"]: row for row in selectors.totals_by_municipality(flt)}
    by_sdg = selectors.sdg_value_by_municipality(sdg, flt) if figure == "sdg" and sdg else {}
    fmt = _fmt(figure)
    not_public = gettext("niet openbaar")
    unknown = gettext("inwonertal onbekend")
    rows, areas, years = [], [], set()
    for m in municipalities_of(portal, totals):
        row = totals.get(m.cbs_code)
        count = row["initiatives"] if row else 0
        euros = (row["social_value"] if row else Decimal(0)) if figure == "waarde" else by_sdg.get(m.cbs_code, 0)
        per_10000 = Decimal(count * 10000) / m.population if m.population else None
        if figure == "initiatieven":
            value, text = count, _count(count)
        elif figure == "per-10000":
            value, text = per_10000, _per_10000(per_10000) if per_10000 is not None else unknown
        else:
            value, text = euros, _euros(euros) if euros is not None else not_public
        if figure in EUROS:
            per_inhabitant = (
                _euros_per_inhabitant(Decimal(euros) / m.population) if euros is not None and m.population else ""
            )
        else:
            per_inhabitant = _per_10000(per_10000) if per_10000 is not None else ""
        if m.population_year:
            years.add(m.population_year)
        rows.append(
            {
                "code": m.cbs_code,
                "name": m.display_name,
                "population": m.population,
                "initiatives": count,
                "value": value,
                "text": text,
                "per_inhabitant": per_inhabitant,
            }
        )
        shape = getattr(m, "shape", None)
        if shape is not None:
            box = (shape.min_x, shape.min_y, shape.max_x, shape.max_y)
            areas.append(svgmap.Area(m.cbs_code, m.display_name, shape.path, box, value, text))
    bounds = svgmap.breaks([a.value for a in areas])
    label = (
        str(FIGURES[figure])
        if figure != "sdg"
        else gettext("Maatschappelijke waarde per jaar voor SDG %(n)s (€)") % {"n": sdg}
    )
    missing = unknown if figure == "per-10000" else not_public
    legend = svgmap.legend(areas, bounds, fmt, missing_label=missing, zero_label=fmt(0))
    area_name = gettext("Nederland") if portal.is_national else portal.name
    desc = gettext(
        "Kaart van %(n)s gemeenten van %(area)s, gekleurd naar: %(figure)s. De tabel onder de kaart geeft de cijfers."
    ) % {"n": len(areas), "area": area_name, "figure": label}
    svg = svgmap.render(areas, bounds, uid="kaart", title=f"{label} — {area_name}", desc=desc)
    by_figure = sorted(rows, key=lambda r: (r["value"] is None, -(r["value"] or 0), r["name"]))
    return {
        "svg": svg,
        "legend": legend,
        "rows": rows,
        # the table's body in both orders, written once per cache entry (342 rows through the template engine
        # cost more than the whole map)
        "table": {"naam": _table_body(rows, unknown), "cijfer": _table_body(by_figure, unknown)},
        "figure_label": label,
        "drawn": len(areas),
        "without_shape": len(rows) - len(areas),
        "population_years": sorted(years),
        "euros": figure in EUROS,
        "withheld": any(r["value"] is None for r in rows) and figure in EUROS,
        # the demodata notice: how many of the initiatives the map counts are fictional ones of the demo
        "initiatives": sum(row["initiatives"] for row in totals.values()),
        "demo_initiatives": sum(row["demo_initiatives"] for row in totals.values()),
        # the price-list versions of the public euros and whether an example value counts in them (decision 0020)
        "valued_with": sorted({v for row in totals.values() for v in row["valued_with"]}),
        "uses_examples": any(row["uses_examples"] for row in totals.values()),
    }
