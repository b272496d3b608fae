"""Areas side by side: ``/vergelijk/gebieden/?gebied=<key>&gebied=<key>`` shows up to four areas (the country, a
portal, a province, a municipality) in columns (docs/decisions/0036-areas-side-by-side-and-reports.md).

Every figure of a column is ``national_index.figures.cached_area_figures(area.filter)``, the one definition the
Stand van het Land, its API and the reports read too, so no two pages can disagree about an area. Per-inhabitant
figures divide those by ``national_index.areas.inhabitants(area)`` and are shown only where it knows the
population. Here and not in ``national_index``: the labels of need kinds come from ``initiatives``, a layer above
the index. ``column`` is shared with the report of one area (``portals/reports.py``).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from initiatives.models import NeedKind
from national_index import areas, version
from national_index.figures import cached_area_figures
from national_index.stand import cached_choices, with_selected

MAX_AREAS = 4
# Keys looked up at most per request (each costs a query or two): a long query string costs no more than this.
MAX_LOOKUPS = 2 * MAX_AREAS
PER = 10_000  # "per 10.000 inwoners"
TENTH = Decimal("0.1")
CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def _short(raw: str) -> str:
    return raw if len(raw) <= 60 else raw[:57] + "…"


def per_inhabitant(totals: dict, population: int | None) -> dict | None:
    """Initiatives and people reached per 10,000 inhabitants and the public social value per inhabitant; None
    without a population. The value follows the euro rule: None where the area's euros are not public, and it is
    then the public sum divided by every inhabitant (``withheld_initiatives`` says how many initiatives it
    leaves out, as the total does)."""
    if not population:
        return None
    value = totals["social_value"]
    return {
        "population": population,
        "initiatives": (Decimal(totals["initiatives"]) * PER / population).quantize(TENTH, ROUND_HALF_UP),
        "people_reached": (Decimal(totals["people_reached"]) * PER / population).quantize(TENTH, ROUND_HALF_UP),
        "social_value": None if value is None else (Decimal(value) / population).quantize(CENT, ROUND_HALF_UP),
    }


def _shares(by_key: dict[str, dict]) -> dict[str, Decimal]:
    """Each key's share of the area's value in whole percents, over every initiative: a shape is public whatever
    the euro rule hides (decision 0020)."""
    total = sum((v["value"] for v in by_key.values()), Decimal(0))
    if total <= 0:
        return {}
    return {k: (v["value"] * HUNDRED / total).quantize(Decimal(1), ROUND_HALF_UP) for k, v in by_key.items()}


def _districts(figures: dict) -> list[dict]:
    """A municipality's districts ("wijk of kern") by name, the unnamed ones last."""
    rows = [{"name": name, **counts} for name, counts in figures["districts"].items()]
    return sorted(rows, key=lambda r: (r["name"] == "", r["name"].lower()))


def column(area: areas.Area) -> dict:
    """Everything the comparison and the report show of one area, from the cached figures (two cache round trips
    when warm) and the area's population (``areas.inhabitants``)."""
    figures = cached_area_figures(area.filter)
    totals = figures["totals"]
    population = areas.inhabitants(area)
    # Every euro of the area public (none withheld): then euros may stand next to the shapes.
    all_public = totals["withheld_initiatives"] == 0
    return {
        "area": area,
        "key": area.key,
        "figures": figures,
        "totals": totals,
        "population": population,
        "per": per_inhabitant(totals, population),
        "all_public": all_public,
        "domain_shares": _shares(figures["domains"]),
        "domain_values": {k: v["value"] for k, v in figures["domains"].items()},
        "sdg_values": {k: v["value"] for k, v in figures["sdgs"].items()},
        "districts": _districts(figures) if area.is_municipality else [],
        "report_url": reverse("portals:report", args=[area.key]),
    }


def need_rows(columns: list[dict]) -> list[dict]:
    """Per need kind: the initiatives with that need open and fulfilled, per column."""
    return [
        {
            "kind": kind,
            "label": label,
            "cells": [
                {"open": c["figures"]["needs"].get(kind, 0), "fulfilled": c["figures"]["needs_fulfilled"].get(kind, 0)}
                for c in columns
            ],
        }
        for kind, label in NeedKind.choices
    ]


def choose(portal, raw_keys: list[str]) -> tuple[list[areas.Area], list[str]]:
    """The areas ``raw_keys`` name, in order, that this portal may show (``areas.allowed``, on the server), at
    most ``MAX_AREAS``; and a message for every key left out: unknown, not allowed here, twice, or one too many."""
    chosen: list[areas.Area] = []
    problems: list[str] = []
    seen: set[str] = set()
    too_many = False
    lookups = 0
    for raw in raw_keys:
        key = raw.strip()
        if not key:
            continue
        if key in seen:
            known = next((a for a in chosen if a.key == key), None)
            if known is not None:
                problems.append(
                    _("“%(name)s” is meer dan eens gekozen en staat één keer in de vergelijking.") % {"name": known}
                )
            continue
        seen.add(key)
        if len(chosen) == MAX_AREAS or lookups == MAX_LOOKUPS:
            too_many = True
            continue
        lookups += 1
        area = areas.parse(key)
        if area is None:
            problems.append(_("“%(key)s” is geen bekend gebied en is weggelaten.") % {"key": _short(key)})
        elif not areas.allowed(portal, area):
            problems.append(
                _(
                    "“%(name)s” valt buiten dit portaal: hier vergelijkt u het eigen gebied en zijn gemeenten. "
                    "Op de landelijke MAEX vergelijkt u elk gebied."
                )
                % {"name": area.name}
            )
        elif area in chosen:  # the same area by another spelling of its key
            problems.append(
                _("“%(name)s” is meer dan eens gekozen en staat één keer in de vergelijking.") % {"name": area.name}
            )
        else:
            chosen.append(area)
    if too_many:
        problems.append(
            _("U kunt hooguit %(max)d gebieden tegelijk vergelijken; de eerste %(max)d zijn getoond.")
            % {"max": MAX_AREAS}
        )
    return chosen, problems


@require_safe
def compare(request):
    """Up to four areas side by side: a GET form of four selects, every figure per area in columns."""
    portal = request.tenant
    chosen, problems = choose(portal, request.GET.getlist("gebied"))
    columns = [column(area) for area in chosen]
    all_public = bool(columns) and all(c["all_public"] for c in columns)
    selected = [a.key for a in chosen] + [""] * (MAX_AREAS - len(chosen))
    # The options of every area of the country, built and escaped once per portal, language and portals' version
    # (shared with the Stand page, decision 0034); each select marks its own area.
    _choices, options = cached_choices(portal, version.current_with_portals())
    return render(
        request,
        "portals/compare_areas.html",
        {
            "columns": columns,
            "problems": problems,
            "slots": list(enumerate((with_selected(options, key) for key in selected), start=1)),
            "max_areas": MAX_AREAS,
            "needs": need_rows(columns),
            "any_population": any(c["per"] for c in columns),
            "municipalities": [c for c in columns if c["area"].is_municipality],
            # The web draws each area's share per domain (public), with its euros in the table only where
            # every area's euros are public (decision 0020).
            "series": [(c["area"].name, c["domain_shares"]) for c in columns],
            "amounts": [c["domain_values"] for c in columns] if all_public else None,
            "all_public": all_public,
        },
    )
