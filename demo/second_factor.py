"""The demo's second factor (dev only; docs/decisions/0015-staff-sign-in-with-a-second-factor.md).

Demo staff accounts get a TOTP authenticator with one fixed, published secret, so anyone trying the demo can
reach the admin: add the secret to an authenticator app, or print the current code with
``manage.py demo_totp <email>``. Never with DEBUG off: a published secret is no second factor.
"""

from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEMO_TOTP_SECRET = "MAEXDEMOMAEXDEMOMAEXDEMOMAEXDEMO"  # noqa: S105 - published on purpose (README "Demo logins")


def _refuse_outside_development() -> None:
    if not settings.DEBUG:
        raise ImproperlyConfigured("The demo's second factor exists only in development (DEBUG on).")


def ensure_demo_authenticator(user) -> bool:
    """Give a demo account the demo TOTP authenticator unless it has one; returns whether it was added."""
    _refuse_outside_development()
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        return False
    TOTP.activate(user, DEMO_TOTP_SECRET)
    return True


def demo_code(user, now: float) -> str:
    """The code an authenticator app with the demo secret shows at ``now``, for an account that uses it.
    Refuses any other account: this must never read a real person's second factor."""
    _refuse_outside_development()
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None or decrypt(authenticator.data["secret"]) != DEMO_TOTP_SECRET:
        raise ValueError(f"{user.email} has no demo authenticator.")
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(now) // app_settings.TOTP_PERIOD))
