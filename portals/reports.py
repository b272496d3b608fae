"""The report of one area, for policy documents: ``/rapport/<area key>/`` (``/rapport/gemeente:GM0718/``,
``/rapport/province:PV28/``), a page made to be printed (docs/decisions/0036-areas-side-by-side-and-reports.md).

Its figures are the comparison's column of the area (``portals.compare.column``, so the same as the Stand van het
Land), and further: the area's initiatives from the index (public fields only: the index holds no contact
details), the SDG contribution, the initiatives with an open need per kind, the districts of a municipality and
the MAEX Impuls awards of the area's initiatives. Every list is capped, so the queries do not grow with the area;
the full list of initiatives is the open data CSV.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from geo.models import SDG
from initiatives.models import NeedKind
from national_index import areas, selectors
from national_index.licence import LICENCE_NAME, LICENCE_URL
from national_index.models import IndexEntry
from tenants.models import host_url

from .compare import column, need_rows

REPORT_INITIATIVES = 250  # initiatives listed; the rest are in the CSV the page links to
NEED_INITIATIVES = 25  # initiatives named per need kind
REPORT_AWARDS = 250
HUNDRED = Decimal(100)


def _csv_url(area: areas.Area) -> str:
    """The open data CSV of the area's initiatives, on the national portal (whose files hold every portal's)."""
    params = {}
    if area.kind == "gemeente":
        params["municipality"] = area.code
    elif area.kind == "province":
        params["province"] = area.code
    elif area.kind == "portal":
        params["portal"] = area.code
    path = reverse("portals:open_data_initiatives_csv") + (f"?{urlencode(params)}" if params else "")
    return host_url(settings.MAEX_NATIONAL_HOST, path)


def _handprint_sdgs(entry: IndexEntry) -> list[int]:
    return sorted(int(k) for k, v in (entry.value_by_sdg or {}).items() if Decimal(str(v)) > 0)


def initiative_rows(flt: selectors.EntryFilter) -> list[dict]:
    """The first ``REPORT_INITIATIVES`` initiatives of the area by name (one query), with their SDGs by the price
    list (the Social Handprint, as the SDG table of the report counts them) and their social value under the
    euro rule: None where the initiative's portal does not show amounts."""
    rows = []
    for entry in selectors.entries(flt)[:REPORT_INITIATIVES]:
        rows.append(
            {
                "entry": entry,
                "sdgs": _handprint_sdgs(entry),
                "social_value": entry.social_value if entry.portal.show_amounts else None,
            }
        )
    return rows


def sdg_rows(figures: dict) -> list[dict]:
    """Per SDG with value in the area: its number of initiatives, its share of the area's value (over every
    initiative, public as every shape) and its public euros (the euro rule). One query (the SDG names)."""
    by_sdg = figures["sdgs"]
    total = sum((v["value"] for v in by_sdg.values()), Decimal(0))
    rows = []
    for sdg in SDG.objects.all():
        found = by_sdg.get(str(sdg.number))
        if not found:
            continue
        rows.append(
            {
                "number": sdg.number,
                "name": sdg.name,
                "initiatives": found["initiatives"],
                "share": (found["value"] * HUNDRED / total).quantize(Decimal("0.1"), ROUND_HALF_UP) if total else 0,
                "public_value": found["public_value"],
                "withheld": found["initiatives"] - found["valued_initiatives"],
            }
        )
    return rows


def open_needs(flt: selectors.EntryFilter, needs: dict[str, int]) -> list[dict]:
    """Per need kind some initiatives have open: the first ``NEED_INITIATIVES`` of them by name and how many more
    there are (two queries, whatever the number of kinds and initiatives)."""
    if not any(needs.values()):
        return []
    inner, params = flt.apply(IndexEntry.objects.all()).values("uuid").query.sql_with_params()
    table = IndexEntry._meta.db_table
    sql = (
        "SELECT k, uuid FROM (SELECT k, e.uuid, "  # noqa: S608 (the table name is the model's own)
        "row_number() OVER (PARTITION BY k ORDER BY e.name, e.uuid) AS n "
        f"FROM {table} e, unnest(e.needs) k WHERE e.uuid IN ({inner})) named WHERE n <= %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, NEED_INITIATIVES])
        pairs = cursor.fetchall()
    entries = IndexEntry.objects.select_related("municipality").only(
        "uuid", "name", "url", "district", "municipality__name", "municipality__cbs_code"
    )
    by_uuid = {e.uuid: e for e in entries.filter(uuid__in={u for _k, u in pairs})}
    found = []
    for kind, label in NeedKind.choices:
        count = needs.get(kind, 0)
        if not count:
            continue
        named = sorted((by_uuid[u] for k, u in pairs if k == kind and u in by_uuid), key=lambda e: (e.name, e.uuid))
        found.append({"kind": kind, "label": label, "count": count, "entries": named, "more": count - len(named)})
    return found


@require_safe
def report(request, key: str):
    """The printable report of one area this portal may show (``areas.allowed``: the national portal any area, a
    regional portal its own and its municipalities'); a clear page for any other key."""
    portal = request.tenant
    area = areas.parse(key)
    if area is None or not areas.allowed(portal, area):
        return render(request, "portals/area_report_missing.html", {"key": key[:60], "area": area}, status=404)
    c = column(area)
    flt = area.filter
    figures = c["figures"]
    initiatives = initiative_rows(flt)
    total = c["totals"]["initiatives"]
    award_totals = selectors.award_totals_in_area(flt)
    award_list = list(selectors.awards_in_area(flt)[:REPORT_AWARDS]) if award_totals["awards"] else []
    today = timezone.localdate()
    return render(
        request,
        "portals/area_report.html",
        {
            "area": area,
            "area_kind": areas.KINDS.get(area.kind, ""),
            "c": c,
            "columns": [c],
            "today": today,
            "initiatives": initiatives,
            "more_initiatives": total - len(initiatives),
            "csv_url": _csv_url(area),
            "sdg_rows": sdg_rows(figures),
            "needs": need_rows([c]),
            "series": [(area.name, c["domain_shares"])],
            "amounts": [c["domain_values"]] if c["all_public"] else None,
            "open_needs": open_needs(flt, figures["needs"]),
            "awards": award_list,
            "award_totals": award_totals,
            "more_awards": award_totals["awards"] - len(award_list),
            "licence_name": LICENCE_NAME,
            "licence_url": LICENCE_URL,
            "report_url": portal.absolute_url(reverse("portals:report", args=[area.key])),
        },
    )
