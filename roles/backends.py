"""Authentication backends that never let a portal role count a permission on a shared model.

Even if a group or a direct grant in a portal's schema held such a permission (an old row, a crafted write),
``has_perm`` ignores it: only platform staff (``is_superuser``) act on shared models
(docs/decisions/0012-permissions-follow-table-ownership.md)."""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend

from .ownership import portal_app_labels


class PortalPermissionsMixin:
    def _get_user_permissions(self, user_obj):
        return super()._get_user_permissions(user_obj).filter(content_type__app_label__in=portal_app_labels())

    def _get_group_permissions(self, user_obj):
        return super()._get_group_permissions(user_obj).filter(content_type__app_label__in=portal_app_labels())


class PortalModelBackend(PortalPermissionsMixin, ModelBackend):
    pass


class PortalAllauthBackend(PortalPermissionsMixin, AuthenticationBackend):
    pass
