"""Writes of per-portal roles. Run in the portal's schema (``schema_context``)."""

from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from django_tenants.utils import schema_context
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from accounts.audit import record
from tenants.models import NATIONAL_SCHEMA
from tenants.selectors import live_portals

from .definitions import ROLES
from .models import Membership, PermissionGrant
from .ownership import grantable_permissions, is_portal_permission, shared_permissions


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def strip_shared_permissions() -> int:
    """Remove from this portal's groups, direct grants and Wagtail's page and collection permissions every
    permission on a shared model (``roles/ownership.py``); returns the rows removed. Idempotent."""
    shared = shared_permissions().values("pk")
    removed = Group.permissions.through.objects.filter(permission__in=shared).delete()[0]
    removed += PermissionGrant.objects.filter(permission__in=shared).delete()[0]
    removed += GroupPagePermission.objects.filter(permission__in=shared).delete()[0]
    removed += GroupCollectionPermission.objects.filter(permission__in=shared).delete()[0]
    return removed


def group_name(role: str) -> str:
    with override("nl"):
        return str(ROLES[role]["name"])


def ensure_role_groups(*, national: bool) -> dict[str, Group]:
    """Create (or bring up to date) this portal's role groups, with page and collection permissions."""
    for spec in ROLES.values():
        shared = [p for p in spec["perms"] if not is_portal_permission(p)]
        if shared:
            raise ValueError(f"A portal role may not hold permissions on shared models: {shared}")
    strip_shared_permissions()
    groups = {}
    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    collection_perms = [
        _permission(p)
        for p in (
            "wagtailimages.add_image",
            "wagtailimages.choose_image",
            "wagtaildocs.add_document",
            "wagtaildocs.choose_document",
        )
    ]
    for role, spec in ROLES.items():
        if spec["national_only"] and not national:
            continue
        group, _created = Group.objects.get_or_create(name=group_name(role))
        perms = [_permission(p) for p in spec["perms"]]
        if spec.get("all_portal_permissions"):
            perms += list(grantable_permissions())
        group.permissions.set(perms)
        for action in spec["pages"]:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root_page, permission=_permission(f"wagtailcore.{action}_page")
            )
        if spec["pages"]:
            for perm in collection_perms:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=perm
                )
        groups[role] = group
    _moderation(groups, root_page)
    return groups


APPROVERS = ("portal_admin", "editor", "national_admin")
WAGTAIL_DEFAULT_WORKFLOW = "Moderators approval"  # created by Wagtail's migrations in every schema


def _moderation(groups: dict[str, Group], root_page) -> None:
    """The portal's moderation: a page submitted for approval (by an author, say) waits for one of the portal's
    editors or admins, in Wagtail's workflow on the portal's whole page tree.

    Set up once: a workflow a portal admin has chosen or changed since is left alone. Only Wagtail's own
    default (approval by its "Moderators" group, which no portal role belongs to) is replaced."""
    current = WorkflowPage.objects.filter(page=root_page).select_related("workflow").first()
    if current is not None and current.workflow.name != WAGTAIL_DEFAULT_WORKFLOW:
        return
    with override("nl"):
        task_name, workflow_name = str(_("Goedkeuring door de redactie")), str(_("Redactie keurt goed"))
    task = GroupApprovalTask.objects.filter(name=task_name).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=task_name)
        task.groups.set([groups[role] for role in APPROVERS if role in groups])
    workflow, _created = Workflow.objects.get_or_create(name=workflow_name, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})


def assign_role(user, role: str, by=None) -> None:
    """Give a person a role in the current portal (and nowhere else); logged in the portal's audit log on the
    role's group, naming the person by account id only (accounts/audit.py)."""
    if connection.schema_name == "public":
        raise RuntimeError("Roles are per portal: assign a role inside a portal's schema.")
    group = Group.objects.get(name=group_name(role))
    _membership, created = Membership.objects.get_or_create(user=user, group=group)
    if created:
        record(group, "maex.role.assign", by=by, data={"user_id": user.pk, "role": role})


def remove_role(user, role: str, by=None) -> None:
    group = Group.objects.filter(name=group_name(role)).first()
    if group is not None and Membership.objects.filter(user=user, group=group).delete()[0]:
        record(group, "maex.role.remove", by=by, data={"user_id": user.pk, "role": role})


def sync_all_portals() -> int:
    """Bring every portal's role groups up to date with ``definitions.ROLES`` (after an upgrade that adds
    permissions); idempotent."""
    count = 0
    for portal in live_portals():
        with schema_context(portal.schema_name):
            ensure_role_groups(national=portal.schema_name == NATIONAL_SCHEMA)
        count += 1
    return count


def set_memberships(user, groups, *, within) -> None:
    """Make ``user``'s roles among the groups ``within`` exactly ``groups`` in this portal; memberships in
    other groups (ones the person editing may not give) stay as they are. Never writes the shared account."""
    if connection.schema_name == "public":
        raise RuntimeError("Roles are per portal: set memberships inside a portal's schema.")
    allowed = set(within.values_list("pk", flat=True))
    wanted = {g.pk for g in groups} & allowed
    current = set(Membership.objects.filter(user=user, group_id__in=allowed).values_list("group_id", flat=True))
    Membership.objects.filter(user=user, group_id__in=current - wanted).delete()
    Membership.objects.bulk_create([Membership(user=user, group_id=pk) for pk in wanted - current])
