from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class RolesConfig(AppConfig):
    default = True  # this module also holds the users app's config below
    name = "roles"
    verbose_name = _("Rollen")


class PortalUsersAdminConfig(WagtailUsersAppConfig):
    """Wagtail's users app with the portal's own group editor and users admin (``roles/admin_views.py``):
    a portal role is given only permissions on the portal's own models, and a portal's users admin edits only
    that portal's memberships (docs/decisions/0012-permissions-follow-table-ownership.md)."""

    default = False
    group_viewset = "roles.admin_views.PortalGroupViewSet"
    user_viewset = "roles.admin_views.PortalUserViewSet"

    def ready(self):
        super().ready()
        # Inside ready(): these modules import models (Django's, Wagtail's, this app's admin views), and Django
        # loads apps.py before any app's models exist (its app registry); a module-level import would fail.
        from django.contrib.auth.models import Group
        from wagtail.permissions import register_permission_policy

        from .admin_views import AccountPermissionPolicy, RoleGroupPermissionPolicy

        register_permission_policy(get_user_model(), AccountPermissionPolicy(get_user_model()))
        register_permission_policy(Group, RoleGroupPermissionPolicy(Group))
