from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.services import delete_account


class Command(BaseCommand):
    help = "Delete a person from every portal (memberships, ownerships) and then the account itself."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        user = User.objects.filter(email=email.lower()).first()
        if user is None:
            raise CommandError(f"No account with e-mail address {email}.")
        for schema, rows in delete_account(user).items():
            self.stdout.write(f"{schema}: {rows} rows removed or anonymised")
        self.stdout.write(self.style.SUCCESS(f"Account {email} deleted."))
