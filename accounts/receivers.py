"""Hooks into django-allauth (its documented signals are the way in; the platform's own domain side effects are
explicit calls)."""

from allauth.account.models import EmailAddress
from allauth.account.signals import password_reset
from django.dispatch import receiver


@receiver(password_reset, dispatch_uid="maex-reset-verifies-email")
def reset_link_verifies_the_address(sender, request, user, **kwargs):
    """A password chosen through a reset link proves the person reads that mailbox: the link went to the
    account's address (when it has only one). So a portal's first admin, invited with such a link, is not asked
    to verify again."""
    addresses = EmailAddress.objects.filter(user=user)
    if addresses.count() == 1:  # with several addresses we cannot tell which mailbox the link went to
        addresses.filter(email__iexact=user.email, verified=False).update(verified=True)
