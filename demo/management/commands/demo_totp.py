"""Print the current second-factor code of a demo account (dev only): manage.py demo_totp beheer@zeeland.localhost"""

import time

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from demo.second_factor import demo_code


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo staff account (development only)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        user = User.objects.filter(email=email.strip().lower()).first()
        if user is None:
            raise CommandError(f"No account {email}.")
        try:
            code = demo_code(user, time.time())
        except (ImproperlyConfigured, ValueError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(code)
