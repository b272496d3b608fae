"""Wagtail admin hooks of the portal pages."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks

from .models import InitiativeIndexPage


@hooks.register("before_delete_page")
def keep_the_initiative_list(request, page):
    """Every portal serves its initiatives at /initiatieven/ through this page: it can be renamed, not removed."""
    if issubclass(page.specific_class, InitiativeIndexPage):
        messages.error(
            request,
            _(
                "Deze pagina toont de initiatieven van het portaal en kan niet worden verwijderd. U kunt de titel "
                "en de introductie wel aanpassen."
            ),
        )
        return redirect("wagtailadmin_explore", page.get_parent().id)
    return None
