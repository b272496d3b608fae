"""Who must sign in with a second factor, and whether this session did (docs/decisions/0015-...).

Staff of a portal (anyone holding a role or a permission there, and platform staff) reach its Wagtail admin
only when their account has an authenticator (TOTP app or security key/passkey) AND this session was
authenticated with it: allauth records each step of a sign-in in the session
(``account_authentication_methods``); a second factor is a record with method ``mfa``, written by allauth
after a code or key was checked at login or at reauthentication.
"""

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator

from .models import User

SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def is_staff_here(user) -> bool:
    """Platform staff, or a person holding any role or permission in the current portal's schema: a row in the
    tables ``User.groups`` and ``User.user_permissions`` go through (``roles.Membership``, ``roles.PermissionGrant``,
    portal tables)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    memberships, grants = User.groups.through, User.user_permissions.through
    return memberships.objects.filter(user=user).exists() or grants.objects.filter(user=user).exists()


def second_factor_types(user) -> set[str]:
    """The kinds of second factor the account has set up (recovery codes alone are no second factor)."""
    return set(Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTORS).values_list("type", flat=True))


def session_passed_second_factor(request, user) -> bool:
    """Whether this session's sign-in (or a later reauthentication) included a second factor of ``user``."""
    records = get_authentication_records(request, user)
    return any(record.get("method") == "mfa" for record in records)
