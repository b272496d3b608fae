"""Wagtail admin hooks of the portal pages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.models import Page

from . import services
from .models import EditionFrozen, EditionPage, InitiativeIndexPage, frozen_message


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


# --- yearly editions: "Cijfers opnieuw vastleggen" while a draft (docs/decisions/0035-yearly-editions.md) ----------


def _refreeze_refusal(page, user) -> str:
    """Why the figures of ``page`` cannot be taken again now ("" when they can)."""
    if page.first_published_at:
        return frozen_message()
    lock = page.get_lock()
    if lock is not None and lock.for_user(user):
        return _("Deze editie is vergrendeld: de cijfers kunnen nu niet opnieuw worden vastgelegd.")
    if page.current_workflow_state is not None:
        return _("Deze editie wacht op goedkeuring: de cijfers kunnen nu niet opnieuw worden vastgelegd.")
    return ""


@require_http_methods(["GET", "HEAD", "POST"])
def refreeze_edition_view(request, page_id):
    """GET: what the action does (or why it cannot); POST: take the figures of the edition's area now. Refused for
    a published, locked or moderated edition (a moderator reviews the figures they see)."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not isinstance(page, EditionPage):
        raise Http404
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    refused = _refreeze_refusal(page, request.user)
    if request.method == "POST":
        if refused:
            messages.error(request, refused)
            return redirect("wagtailadmin_pages:edit", page.pk)
        try:
            services.refreeze_edition(page.pk)
        except (EditionFrozen, IntegrityError):  # published meanwhile (the model's guard or the database's)
            messages.error(request, frozen_message())
        except ValidationError as problem:
            messages.error(request, " ".join(problem.messages))
        else:
            messages.success(request, _("De cijfers van deze editie zijn opnieuw vastgelegd."))
        return redirect("wagtailadmin_pages:edit", page.pk)
    return TemplateResponse(request, "cms/admin/edition_refreeze.html", {"page": page, "refused": refused})


@hooks.register("register_admin_urls")
def edition_admin_urls():
    return [path("edities/<int:page_id>/vastleggen/", refreeze_edition_view, name="cms_edition_refreeze")]


@hooks.register("register_page_header_buttons")
def edition_header_buttons(page, user, view_name, next_url=None):
    if issubclass(page.specific_class or Page, EditionPage) and not page.first_published_at:
        yield Button(
            _("Cijfers opnieuw vastleggen"),
            reverse("cms_edition_refreeze", args=[page.pk]),
            icon_name="history",
            priority=80,
        )
