"""The portal's group editor and users admin: Wagtail's own (``wagtail.users``), narrowed to what belongs to
the portal (docs/decisions/0012-permissions-follow-table-ownership.md).

- The group editor offers and accepts only permissions on models whose tables live in the portal's schema
  (``roles/ownership.py``), and only for groups the editing person could hold themselves.
- The users admin of a portal lists the accounts with a role here and edits only which roles they have here.
  Shared accounts themselves (email, name, password, activity, the superuser flag; creating and deleting them)
  are managed only by platform staff, in the national portal's admin.
"""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.models import Q
from django.forms import CheckboxSelectMultiple
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.users.views import groups, users

from tenants.models import NATIONAL_SCHEMA

from . import selectors
from .forms import AddMemberForm, MembershipForm, PortalGroupForm

MANAGE_MEMBERSHIPS = "roles.change_membership"


# --- who may ------------------------------------------------------------------------------------------------


def manages_accounts(user) -> bool:
    """Platform staff manage shared accounts themselves, and only in the national portal's admin."""
    return bool(
        user.is_authenticated and user.is_active and user.is_superuser and connection.schema_name == NATIONAL_SCHEMA
    )


def manages_memberships(user) -> bool:
    """Who may give and take this portal's roles: its portal admins (and platform staff)."""
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user.has_perm(MANAGE_MEMBERSHIPS)))


class AccountPermissionPolicy(ModelPermissionPolicy):
    """The users admin: "add", "view" and "change" mean giving this portal's roles; deleting an account (and
    Wagtail's account-wide bulk actions) is for platform staff in the national portal only."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "view"):
            return manages_memberships(user)
        return manages_accounts(user)

    def users_with_any_permission(self, actions):
        allowed = Q(is_superuser=True)
        if set(actions) & {"add", "change", "view"}:
            perm = Permission.objects.filter(content_type__app_label="roles", codename="change_membership")
            allowed |= Q(groups__permissions__in=perm) | Q(user_permissions__in=perm)
        return get_user_model().objects.filter(allowed, is_active=True).distinct()


class RoleGroupPermissionPolicy(ModelPermissionPolicy):
    """Groups: Django's permissions, and per group only if the person could hold all of its permissions."""

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            self.user_has_permission(user, action) and selectors.assignable_groups(user).filter(pk=instance.pk).exists()
        )


# --- the group editor ---------------------------------------------------------------------------------------


class OwnGroupsMixin:
    """Only groups the person could hold themselves; others are not found."""

    def get_object(self, *args, **kwargs):
        group = super().get_object(*args, **kwargs)
        if not selectors.assignable_groups(self.request.user).filter(pk=group.pk).exists():
            raise Http404
        return group


class GroupIndexView(groups.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().filter(pk__in=selectors.assignable_groups(self.request.user))


class GroupEditView(OwnGroupsMixin, groups.EditView):
    pass


class GroupDeleteView(OwnGroupsMixin, groups.DeleteView):
    pass


class PortalGroupViewSet(groups.GroupViewSet):
    index_view_class = GroupIndexView
    edit_view_class = GroupEditView
    delete_view_class = GroupDeleteView

    def get_form_class(self, for_update=False):
        return PortalGroupForm


# --- the users admin ----------------------------------------------------------------------------------------


class MembershipFilterSet(WagtailFilterSet):
    group = django_filters.ModelMultipleChoiceFilter(
        field_name="groups", queryset=Group.objects.all(), label=_("Rol"), widget=CheckboxSelectMultiple
    )

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, is_searching=False):
        super().__init__(data, queryset, request=request, prefix=prefix)

    class Meta:
        model = get_user_model()
        fields = []


class MembersOnlyMixin:
    """A portal admin finds only accounts with a role in this portal; platform staff find every account."""

    def get_object(self, *args, **kwargs):
        account = super().get_object(*args, **kwargs)
        if not self.request.user.is_superuser and not selectors.members().filter(pk=account.pk).exists():
            raise Http404
        return account


class UserIndexView(users.IndexView):
    @property
    def filterset_class(self):
        return self._filterset_class if manages_accounts(self.request.user) else MembershipFilterSet

    @filterset_class.setter
    def filterset_class(self, value):
        self._filterset_class = value

    def get_base_queryset(self):
        accounts = super().get_base_queryset()
        if not self.request.user.is_superuser:
            accounts = accounts.filter(pk__in=selectors.members().values("pk"))
        return accounts.prefetch_related("groups")

    @cached_property
    def columns(self):
        columns = super().columns
        if manages_accounts(self.request.user):
            return columns
        # Who the person is and their roles here; nothing about the shared account's state or staff status.
        kept = [c for c in columns if c.name in ("name", self.model.USERNAME_FIELD)]
        roles = Column(
            "roles", label=_("Rollen in dit portaal"), accessor=lambda u: ", ".join(g.name for g in u.groups.all())
        )
        return [*kept, roles]


class UserCreateView(users.CreateView):
    def membership_only(self) -> bool:
        return not manages_accounts(self.request.user)

    def get_form_class(self):
        return AddMemberForm if self.membership_only() else super().get_form_class()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.membership_only():
            kwargs["for_user"] = self.request.user
            kwargs.pop("instance", None)
        return kwargs

    def get_template_names(self):
        return ["wagtailadmin/generic/create.html"] if self.membership_only() else super().get_template_names()

    def get_page_title(self):
        return _("Persoon rollen geven") if self.membership_only() else super().get_page_title()

    def save_instance(self):
        return self.form.save() if self.membership_only() else super().save_instance()

    def get_success_message(self, instance):
        if self.membership_only():
            return _("%(account)s heeft nu rollen in dit portaal.") % {"account": instance}
        return super().get_success_message(instance)

    def get_success_url(self):
        return reverse(self.index_url_name) if self.membership_only() else super().get_success_url()


class UserEditView(MembersOnlyMixin, users.EditView):
    def membership_only(self) -> bool:
        return not manages_accounts(self.request.user)

    def get_form_class(self):
        return MembershipForm if self.membership_only() else super().get_form_class()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.membership_only():
            kwargs.pop("editing_self", None)
            kwargs["for_user"] = self.request.user
        return kwargs

    def get_template_names(self):
        return ["wagtailadmin/generic/edit.html"] if self.membership_only() else super().get_template_names()

    def save_instance(self):
        return self.form.save() if self.membership_only() else super().save_instance()


class UserDeleteView(MembersOnlyMixin, users.DeleteView):
    pass


class UserHistoryView(MembersOnlyMixin, users.HistoryView):
    pass


class PortalUserViewSet(users.UserViewSet):
    index_view_class = UserIndexView
    add_view_class = UserCreateView
    edit_view_class = UserEditView
    delete_view_class = UserDeleteView
    history_view_class = UserHistoryView
