"""The review queue in every portal's Wagtail admin: a menu item and its URLs under /beheer/aanmeldingen/."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views
from .permissions import can_review


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
    ]
    return [path("aanmeldingen/", include((urls, "initiatives_review"), namespace="initiatives_review"))]


@hooks.register("register_admin_menu_item")
def register_review_menu_item():
    return ReviewQueueMenuItem(
        _("Aanmeldingen"), reverse("initiatives_review:queue"), name="aanmeldingen", icon_name="tasks", order=250
    )
