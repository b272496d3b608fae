"""National portal management in the Wagtail admin: only in the national portal, only for national admins.
A new portal is launched with its own form (``nieuw/``, ``portals.launch``), not Wagtail's add view.

The permission policy answers no outside the national schema (so the menu item is hidden in regional
portals' admins) and every URL answers 404 there (``admin_views.national_only``)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from tenants.models import Portal

from . import admin_views

register_permission_policy(Portal, admin_views.NationalPortalPermissionPolicy(Portal))


class PortalViewSet(ModelViewSet):
    model = Portal
    name = admin_views.URL_NAMESPACE  # /beheer/portalen/
    icon = "site"
    menu_label = _("Portalen")
    menu_order = 9000
    add_to_admin_menu = True
    # Portal is a shared (public schema) model: keep it out of the per-portal reference index, whose tables
    # do not exist in the public schema where portals are created.
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = admin_views.PortalIndexView
    edit_view_class = admin_views.PortalEditView
    form_fields = ["name", "kind", "is_active", "review_required", "implausible", "hold_threshold"]
    search_fields = None

    def get_form_class(self, for_update=False):
        return admin_views.PortalForm

    def get_permissions_to_register(self):
        # Portal is a shared model: no portal role holds a permission on it (roles/ownership.py). National
        # admins reach these screens through their duty ``roles.manage_portals``.
        return super().get_permissions_to_register().none()

    def get_urlpatterns(self):
        patterns = [
            *super().get_urlpatterns(),
            path("<int:pk>/domeinen-en-dekking/", admin_views.PortalScopeView.as_view(), name="scope"),
            path("nieuw/", admin_views.PortalLaunchView.as_view(), name="launch"),
        ]
        for pattern in patterns:
            pattern.callback = admin_views.national_only(pattern.callback)
        return patterns


@hooks.register("register_admin_viewset")
def register_portal_viewset():
    return PortalViewSet()
