from django.shortcuts import render

from . import selectors


def state_of_the_country(request):
    """The "Maatschappelijke Stand van het Land": totals and breakdowns; a regional portal sees its own area."""
    portal = request.tenant
    flt = selectors.EntryFilter(portal=selectors.area_of(portal.schema_name))
    return render(
        request,
        "national_index/state.html",
        {
            "totals": selectors.totals(flt),
            "by_portal": selectors.totals_by_portal(flt),
            "by_province": selectors.totals_by_province(flt),
        },
    )
