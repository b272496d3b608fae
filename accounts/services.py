"""Writes of accounts."""

from allauth.account.models import EmailAddress

from .models import User


def ensure_verified_user(email: str, password: str, full_name: str = "", superuser: bool = False) -> User:
    """A user whose email address is verified (for the demo and for platform set-up)."""
    user = User.objects.filter(email=email.lower()).first()
    if user is None:
        create = User.objects.create_superuser if superuser else User.objects.create_user
        user = create(email=email, password=password, full_name=full_name)
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    return user
