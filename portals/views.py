from django.shortcuts import render

from . import selectors


def portal_directory(request):
    """Public list of every MAEX portal: the national one and each "MAEX op Maat"."""
    return render(request, "portals/portal_directory.html", {"rows": selectors.portal_directory()})
