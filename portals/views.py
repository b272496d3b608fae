from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from impuls.selectors import applications_of_initiatives

from . import selectors


def portal_directory(request):
    """Public list of every MAEX portal: the national one and each "MAEX op Maat"."""
    return render(request, "portals/portal_directory.html", {"rows": selectors.portal_directory()})


@login_required
def mine(request):
    """Mijn MAEX: the owner's dashboard, the same on every portal: the person's initiatives on all portals, and
    their initiatives' Impuls applications in this portal (an application lives with its round)."""
    rows = selectors.initiatives_of(request.user)
    applications = applications_of_initiatives([row.initiative.uuid for row in rows]) if rows else []
    return render(request, "portals/mine.html", {"rows": rows, "applications": applications})
