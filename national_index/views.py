from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from . import graadmeter_chart, graadmeter_store, version
from .stand import PARAMETER, cached_choices, chosen_area, graadmeter_area, read, with_selected


@require_safe
def state_of_the_country(request):
    """The "Maatschappelijke Stand van het Land" of an area (``?gebied=<area key>``, decision 0034): the country on
    the national portal, a regional portal's own area, or one of the areas it may show. Every section is an
    include of ``national_index/stand/`` taking ``figures`` and ``area``, so an edition or a comparison shows the
    same sections of the same figures. An area the portal does not show: its own figures, a message and 400."""
    portal = request.tenant
    chosen = chosen_area(portal, request.GET.get(PARAMETER))
    figures, current = read(chosen.area)
    choices, options = cached_choices(portal, current)
    return render(
        request,
        "national_index/state.html",
        {
            "area": chosen.area,
            "figures": figures,
            "totals": figures["totals"],
            # The sections' HTML is kept per area, version and language ({% cache %} in the template): a warm page
            # reads the version, the figures and that fragment (decision 0034).
            "sections_key": f"{chosen.area.key}:{current}:{get_language() or ''}",
            "choices": choices,
            "options": with_selected(options, chosen.area.key),
            "problem": chosen.problem,
            "parameter": PARAMETER,
            # The graadmeter's latest levels (one query when warm; a municipality has none, decision 0032)
            "graadmeter": graadmeter_store.cached_summary(scope, current)
            if (scope := graadmeter_store.scope_of(chosen.area))
            else None,
        },
        status=400 if chosen.problem else 200,
    )


@require_safe
def graadmeter_page(request):
    """The MAEX graadmeter of an area (``?gebied=``, docs/decisions/0032-the-maex-graadmeter.md): the koers chart of
    both levels with its table, the latest levels and their change over a day, a month and a year."""
    portal = request.tenant
    chosen = graadmeter_area(portal, request.GET.get(PARAMETER))
    current = version.current_with_portals()
    _choices, options = cached_choices(portal, current, municipalities=False)
    found = graadmeter_store.series(chosen.area.key)
    return render(
        request,
        "national_index/graadmeter.html",
        {
            "area": chosen.area,
            "series": found,
            "latest": found.latest,
            "changes": found.changes,
            "chart": graadmeter_chart.koers(found.rows) if found.public else None,
            "rows": list(reversed(found.rows)),
            "options": with_selected(options, chosen.area.key),
            "problem": chosen.problem,
            "parameter": PARAMETER,
        },
        status=400 if chosen.problem else 200,
    )


@require_safe
def graadmeter_method(request):
    """How the graadmeter is computed, for the public (the same method as docs/decisions/0032)."""
    return render(request, "national_index/graadmeter_method.html", {})
