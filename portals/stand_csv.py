"""The figures of the Stand van het Land of one area as CSV: ``/stand-van-het-land/cijfers.csv?gebied=<area key>``
(docs/decisions/0034-the-full-stand-van-het-land.md). The same figures as the page and ``/api/v1/figures``
(``national_index.stand.figures_of``), one row per number: ``figure`` and ``key`` (and ``breakdown`` for a measure
of a key) name where the API's JSON holds the same value (``[figure][key]`` or ``[figure][key][breakdown]``), the
label is the name the page shows. Euros follow the euro rule (decision 0020): empty where not public."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.http import require_safe

from initiatives.stand import figures_csv
from national_index.conditional import conditional
from national_index.licence import with_licence
from national_index.stand import PARAMETER, chosen_area, figures_of


@require_safe
@conditional
def stand_csv(request):
    """The Stand's figures of ``?gebied=`` (the portal's own area without it); an area this portal does not show:
    400 with the reason in Dutch."""
    chosen = chosen_area(request.tenant, request.GET.get(PARAMETER))
    if chosen.problem:
        return HttpResponseBadRequest(chosen.problem, content_type="text/plain; charset=utf-8")
    response = HttpResponse(figures_csv(figures_of(chosen.area)), content_type="text/csv; charset=utf-8")
    name = chosen.area.key.replace(":", "-")
    response["Content-Disposition"] = f'inline; filename="stand-van-het-land-{name}.csv"'
    response["Cache-Control"] = "public, no-cache"  # keep a copy, ask with If-None-Match before using it
    return with_licence(response)
