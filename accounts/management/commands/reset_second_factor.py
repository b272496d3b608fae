"""Remove every second factor of an account, for a person who lost them all (after checking who they are).

manage.py reset_second_factor beheer@example.org: at their next visit to the admin they set up a new one
(docs/decisions/0015-staff-sign-in-with-a-second-factor.md)."""

from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User


class Command(BaseCommand):
    help = "Remove every authenticator (TOTP, security keys, recovery codes) of an account."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        user = User.objects.filter(email=email.strip().lower()).first()
        if user is None:
            raise CommandError(f"No account with e-mail address {email}.")
        with transaction.atomic():
            removed, _ = Authenticator.objects.filter(user=user).delete()
        self.stdout.write(self.style.SUCCESS(f"{removed} authenticators of {user.email} removed."))
