from django.shortcuts import render
from django.utils.translation import get_language

from .stand import PARAMETER, cached_choices, chosen_area, read, with_selected


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
        },
        status=400 if chosen.problem else 200,
    )
