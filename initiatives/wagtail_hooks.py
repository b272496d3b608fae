"""The review queue in every portal's Wagtail admin: a menu item and its URLs under /beheer/aanmeldingen/; and a
person's initiatives in their data download and erasure (``accounts/personal_data.py``)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from accounts import personal_data as accounts_personal_data

from . import admin_views, personal_data, selectors
from .permissions import can_review

hooks.register(accounts_personal_data.EXPORT_HOOK, personal_data.export_in_portal)
hooks.register(accounts_personal_data.ERASURE_PREVIEW_HOOK, personal_data.erasure_preview_in_portal)
hooks.register(accounts_personal_data.ERASE_HOOK, personal_data.erase_in_portal)


class ReviewQueueMenuItem(MenuItem):
    def is_shown(self, request):
        return can_review(request.user)


@hooks.register("register_admin_urls")
def register_review_urls():
    urls = [
        path("", admin_views.queue, name="queue"),
        path("<int:pk>/", admin_views.review, name="review"),
        path("<int:pk>/publiceren/", admin_views.publish, name="publish"),
        path("<int:pk>/afwijzen/", admin_views.reject, name="reject"),
        path("<int:pk>/wijzigingen/", admin_views.history, name="history"),
        path("wijziging/<int:pk>/", admin_views.change, name="change"),
        path("wijziging/<int:pk>/doorvoeren/", admin_views.approve_change, name="approve_change"),
        path("wijziging/<int:pk>/afwijzen/", admin_views.reject_change, name="reject_change"),
        path("regels/", admin_views.rules, name="rules"),
    ]
    return [path("aanmeldingen/", include((urls, "initiatives_review"), namespace="initiatives_review"))]


@hooks.register("register_admin_menu_item")
def register_review_menu_item():
    return ReviewQueueMenuItem(
        _("Aanmeldingen"), reverse("initiatives_review:queue"), name="aanmeldingen", icon_name="tasks", order=250
    )


class WaitingForReviewPanel(Component):
    """The admin dashboard's "what waits": how many registrations of this portal wait for review, with a link to
    the review queue. Shown to whoever may review here."""

    name = "aanmeldingen_wachten"
    order = 50
    template_name = "initiatives/admin/waiting_panel.html"

    def __init__(self, count: int, changes: int = 0):
        self.count = count
        self.changes = changes

    def get_context_data(self, parent_context=None):
        return {"count": self.count, "changes": self.changes, "queue_url": reverse("initiatives_review:queue")}


@hooks.register("construct_homepage_panels")
def add_waiting_for_review_panel(request, panels):
    if can_review(request.user):
        panels.insert(
            0, WaitingForReviewPanel(selectors.awaiting_review().count(), selectors.pending_changes().count())
        )
