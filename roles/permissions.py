"""Who may carry out a national duty: the one check behind the national portal's own admin screens (portals,
price list). The duties are the permissions of ``roles.NationalDuty`` (docs/architecture.md, "Tenancy and
roles"); they count only in the national portal's schema."""

from django.db import connection

from tenants.models import NATIONAL_SCHEMA


def in_national_portal() -> bool:
    return connection.schema_name == NATIONAL_SCHEMA


def has_national_duty(user, duty: str) -> bool:
    """National admins holding ``duty`` (e.g. ``roles.manage_portals``) in the national schema, and platform
    staff; only in the national portal's admin, never in a regional portal's."""
    if not in_national_portal() or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.has_perm(duty)
