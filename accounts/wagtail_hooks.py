"""The platform's own actions in Wagtail's audit log (accounts/audit.py), shown under Reports > Site history."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin import messages

from .audit import register_actions
from .services import delete_account


@hooks.register("register_log_actions")
def register_maex_log_actions(actions):
    register_actions(actions)


@hooks.register("before_delete_user")
def delete_through_the_platform(request, user):
    """Wagtail's "delete user" in a portal's admin would delete the shared account from one schema only:
    it goes through ``delete_account`` instead (every portal, initiatives released, audit log kept), and only
    platform staff may do it."""
    if not request.user.is_superuser:
        raise PermissionDenied
    if request.method != "POST":
        return None  # Wagtail's confirmation page
    email = user.email
    erasure = delete_account(user, by=request.user)
    messages.success(request, _("Account %(email)s is verwijderd.") % {"email": email})
    for outcome in erasure.initiatives:
        messages.info(request, outcome.describe())
    return redirect("wagtailusers_users:index")
