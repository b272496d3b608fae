from django.shortcuts import render

from . import selectors


def state_of_the_country(request):
    """The "Maatschappelijke Stand van het Land": totals and breakdowns; a regional portal sees its own area."""
    portal = request.tenant
    figures = selectors.cached_breakdowns(selectors.EntryFilter(portal=selectors.area_of(portal.schema_name)))
    return render(
        request,
        "national_index/state.html",
        {"totals": figures["national"], "by_portal": figures["portals"], "by_province": figures["provinces"]},
    )
