"""Reads about roles in the current portal (run in the portal's schema)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Q

from .models import Membership, PermissionGrant
from .ownership import portal_app_labels


def members():
    """Accounts with at least one role in this portal."""
    return get_user_model().objects.filter(pk__in=Membership.objects.values("user_id"))


def holders_of(permission: str):
    """Active accounts that hold ``permission`` (``"app_label.codename"``) in this portal, through one of its
    groups or a direct grant: for the portal's editors, whoever may review (``initiatives.review_initiative``).
    Platform staff hold every permission without a role and are not counted."""
    app_label, codename = permission.split(".", 1)
    match = Q(permission__content_type__app_label=app_label, permission__codename=codename)
    in_group = Membership.objects.filter(
        group__permissions__content_type__app_label=app_label, group__permissions__codename=codename
    ).values("user_id")
    granted = PermissionGrant.objects.filter(match).values("user_id")
    return get_user_model().objects.filter(Q(pk__in=in_group) | Q(pk__in=granted), is_active=True).order_by("email")


def assignable_groups(user):
    """The groups ``user`` may give to others (and edit) in this portal: platform staff any, anyone else only
    groups whose every permission they hold themselves, so nobody hands out more than they have."""
    groups = Group.objects.order_by("name")
    if user is None or not user.is_authenticated or not user.is_active:
        return groups.none()
    if user.is_superuser:
        return groups
    held = user.get_all_permissions()
    own = portal_app_labels()  # a shared permission a group still held from before counts for nobody
    allowed = [
        group.pk
        for group in groups.prefetch_related("permissions__content_type")
        if {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.all()
            if p.content_type.app_label in own
        }
        <= held
    ]
    return groups.filter(pk__in=allowed)
