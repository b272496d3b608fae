"""Wagtail admin hooks of the roles app (docs/decisions/0012-permissions-follow-table-ownership.md)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from wagtail import hooks

from .admin_views import manages_accounts


@hooks.register("before_bulk_action")
def account_bulk_actions_for_platform_staff_only(request, action_type, objects, action_class_instance):
    """Wagtail's bulk actions on users (delete, (de)activate, assign a role to any account) act on shared
    accounts: only platform staff in the national portal's admin."""
    if get_user_model() in getattr(action_class_instance, "models", ()) and not manages_accounts(request.user):
        raise PermissionDenied
    return None
