from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import selectors


def portal_directory(request):
    """Public list of every MAEX portal: the national one and each "MAEX op Maat"."""
    return render(request, "portals/portal_directory.html", {"rows": selectors.portal_directory()})


@login_required
def mine(request):
    """Mijn MAEX: the owner's dashboard, the same on every portal: the person's initiatives on all portals."""
    return render(request, "portals/mine.html", {"rows": selectors.initiatives_of(request.user)})
