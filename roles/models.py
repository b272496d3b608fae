"""Per-portal roles: these tables live in each portal's schema (docs/architecture.md, "Tenancy and roles")."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import models


class Membership(models.Model):
    """A person's membership of one of this portal's groups (the through table of ``User.groups``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    group = models.ForeignKey(Group, on_delete=models.CASCADE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "group"], name="roles_membership_unique")]


class PermissionGrant(models.Model):
    """A permission given to a person directly, in this portal only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    permission = models.ForeignKey(Permission, on_delete=models.CASCADE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "permission"], name="roles_grant_unique")]


class NationalDuty(models.Model):
    """No table: carries the national roles' duties as permissions of a portal-owned model, so that a role
    holds no permission on a shared model (``roles/ownership.py``). Checked only in the national portal."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("manage_portals", "Kan portalen, domeinen en dekking beheren"),
            ("manage_price_list", "Kan de prijslijst beheren"),
            ("view_national_index", "Kan de landelijke index analyseren"),
        ]
