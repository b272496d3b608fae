"""Which permissions a portal role may hold: only those on models whose tables live in the portal's own schema
(docs/decisions/0012-permissions-follow-table-ownership.md).

The answer comes from django-tenants' own rule for where tables are created (its router and the app lists in
``maex/settings/base.py``), never from a hand-kept list: a model of an app in ``TENANT_APPS`` has its table in
every portal's schema and belongs to that portal; a model of a shared-only app (accounts, tenants, geo,
valuation, national_index, contenttypes, sessions, allauth) belongs to the whole platform, and no portal role
may hold a permission on it.
"""

from __future__ import annotations

from functools import cache

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django_tenants.routers import TenantSyncRouter

# Duties of the national portal's roles over the shared registry, price list and index. They are permissions of
# ``roles.NationalDuty`` (a portal-owned model without a table), given only by ``roles/definitions.py`` to the
# national roles, and never offered in a group editor or held by a regional role.
NATIONAL_DUTIES = ("manage_portals", "manage_price_list", "view_national_index")


def lives_in_portal_schema(app_label: str) -> bool:
    """Whether the app's tables live in each portal's schema (django-tenants' ``TenantSyncRouter`` rule)."""
    try:
        return TenantSyncRouter().app_in_list(app_label, settings.TENANT_APPS)
    except LookupError:  # a content type left behind by an app that is no longer installed
        return False


@cache
def portal_app_labels() -> frozenset[str]:
    """Labels of the installed apps whose tables live in a portal's schema."""
    return frozenset(cfg.label for cfg in apps.get_app_configs() if lives_in_portal_schema(cfg.label))


def portal_permissions(queryset=None):
    """The permissions (of ``queryset``, default all) on models that live in a portal's schema."""
    queryset = Permission.objects.all() if queryset is None else queryset
    return queryset.filter(content_type__app_label__in=portal_app_labels())


def shared_permissions(queryset=None):
    """The permissions (of ``queryset``, default all) on shared models: never held by a portal role."""
    queryset = Permission.objects.all() if queryset is None else queryset
    return queryset.exclude(content_type__app_label__in=portal_app_labels())


def national_duties(queryset=None):
    queryset = Permission.objects.all() if queryset is None else queryset
    return queryset.filter(content_type__app_label="roles", codename__in=NATIONAL_DUTIES)


def grantable_permissions(queryset=None):
    """What a group editor may offer and accept: portal permissions, without the national duties."""
    return portal_permissions(queryset).exclude(pk__in=national_duties().values("pk"))


def is_portal_permission(dotted: str) -> bool:
    """``"app_label.codename"``: whether a portal role may hold it at all."""
    return dotted.split(".", 1)[0] in portal_app_labels()
