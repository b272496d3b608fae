"""Who may do what with an initiative: checked on the server, here and nowhere else.

Roles are per portal: ``has_perm`` reads the person's groups in the current portal's schema only.
"""

from .models import Ownership


def is_owner(user, initiative) -> bool:
    if not user.is_authenticated:
        return False
    return Ownership.objects.filter(initiative=initiative, user=user).exists()


def can_review(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm("initiatives.review_initiative")


def can_edit(user, initiative) -> bool:
    return is_owner(user, initiative) or (user.is_authenticated and user.has_perm("initiatives.change_initiative"))


def can_view(user, initiative) -> bool:
    return initiative.is_published or can_edit(user, initiative) or can_review(user)


def can_invite(user, initiative) -> bool:
    return is_owner(user, initiative)


def can_set_review_rules(user) -> bool:
    """The portal's own admins (who may change its site, ``wagtailcore.change_site``, in this portal's schema):
    the portal's rules for plausible figures and held changes."""
    return user.is_authenticated and user.is_active and user.has_perm("wagtailcore.change_site")
