"""Wagtail admin hooks of the portal pages."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks

from .models import InitiativeIndexPage


def _holds_the_initiative_list(pages, *, with_descendants: bool) -> bool:
    """Whether the action would take the portal's initiative list (and so every initiative's URL) offline."""
    for page in pages:
        if issubclass(page.specific_class, InitiativeIndexPage):
            return True
        if with_descendants and InitiativeIndexPage.objects.descendant_of(page).exists():
            return True
    return False


def _refuse(request, page):
    messages.error(
        request,
        _(
            "Deze pagina toont de initiatieven van het portaal en kan niet worden verwijderd of offline gehaald. "
            "U kunt de titel en de introductie wel aanpassen."
        ),
    )
    parent = page.get_parent()
    return redirect("wagtailadmin_explore", parent.id if parent else page.id)


@hooks.register("before_delete_page")
def keep_the_initiative_list(request, page):
    """Every portal serves its initiatives at /initiatieven/ through this page: it can be renamed, not removed."""
    if _holds_the_initiative_list([page], with_descendants=True):
        return _refuse(request, page)
    return None


@hooks.register("before_unpublish_page")
def keep_the_initiative_list_live(request, page):
    if _holds_the_initiative_list([page], with_descendants=False):
        return _refuse(request, page)
    return None


@hooks.register("before_bulk_action")
def keep_the_initiative_list_in_bulk(request, action_type, objects, action_class_instance):
    pages = [obj for obj in objects if hasattr(obj, "specific_class")]
    if action_type in ("delete", "unpublish") and _holds_the_initiative_list(
        pages, with_descendants=action_type == "delete"
    ):
        return _refuse(request, pages[0])
    return None
