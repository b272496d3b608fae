"""The figures of the Stand van het Land of one area as CSV: ``/stand-van-het-land/cijfers.csv?gebied=<area key>``
(docs/decisions/0034-the-full-stand-van-het-land.md). The same figures as the page and ``/api/v1/figures``
(``national_index.stand.figures_of``), one row per number: ``figure`` and ``key`` (and ``breakdown`` for a measure
of a key) name where the API's JSON holds the same value (``[figure][key]`` or ``[figure][key][breakdown]``), the
label is the name the page shows. Euros follow the euro rule (decision 0020): empty where not public."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.http import require_safe

from geo.models import SDG, ValueDomain
from initiatives import stand as labels
from national_index.conditional import conditional
from national_index.figures import ROW_FIGURES
from national_index.stand import PARAMETER, chosen_area, figures_of

from .open_data import LICENCE_URL, cell

FIELDS = ["figure", "breakdown", "key", "label", "value"]
KEYED = ("needs", "needs_fulfilled", "partner_kinds", "legal_forms", "phases")
BY_KEY_MEASURES = ("social_value", "initiatives", "valued_initiatives", "share")
DISTRICT_MEASURES = ("initiatives", "people_reached", "volunteers")


def figure_rows(figures: dict) -> list[tuple[str, str, str, str, object]]:
    """Every number of ``figures`` (``national_index.figures.public_figures``) as (figure, breakdown, key, label,
    value), in the order of the page (two queries: the names of the domains and the SDGs)."""
    rows: list[tuple[str, str, str, str, object]] = []
    totals = figures["totals"]
    for key in labels.TOTALS:
        rows.append(("totals", "", key, labels.label("totals", key), totals[key]))
    for key, value in figures["income_mix"].items():
        rows.append(("income_mix", "", key, labels.label("income_mix", key), value))
    for figure in KEYED:
        for key, value in figures[figure].items():
            rows.append((figure, "", key, labels.label(figure, key), value))
    domains = {d.code: d.name for d in ValueDomain.objects.all()}
    sdgs = {str(s.number): f"{s.number}. {s.name}" for s in SDG.objects.all()}
    for figure, names in (("domains", domains), ("sdgs", sdgs)):
        for key, measures in figures[figure].items():
            for measure in BY_KEY_MEASURES:
                rows.append((figure, measure, key, names.get(key, key), measures[measure]))
    for key, value in figures["founding_years"].items():
        rows.append(("founding_years", "", key, key, value))
    for key, measures in figures["districts"].items():
        for measure in DISTRICT_MEASURES:
            rows.append(("districts", measure, key, key or str(labels.NOT_STATED), measures[measure]))
    for figure in ("portals", "provinces"):
        for key, measures in figures[figure].items():
            for measure in ROW_FIGURES:
                rows.append((figure, measure, key, measures["name"], measures[measure]))
    return rows


@require_safe
@conditional
def stand_csv(request):
    """The Stand's figures of ``?gebied=`` (the portal's own area without it); an area this portal does not show:
    400 with the reason in Dutch."""
    chosen = chosen_area(request.tenant, request.GET.get(PARAMETER))
    if chosen.problem:
        return HttpResponseBadRequest(chosen.problem, content_type="text/plain; charset=utf-8")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(FIELDS)
    for figure, breakdown, key, label, value in figure_rows(figures_of(chosen.area)):
        writer.writerow([figure, breakdown, cell(key), cell(label), cell(value)])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    name = chosen.area.key.replace(":", "-")
    response["Content-Disposition"] = f'inline; filename="stand-van-het-land-{name}.csv"'
    response["Cache-Control"] = "public, no-cache"  # keep a copy, ask with If-None-Match before using it
    response["Link"] = f'<{LICENCE_URL}>; rel="license"'
    return response
