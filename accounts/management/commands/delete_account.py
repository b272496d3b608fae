from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.services import delete_account, erasure_preview


class Command(BaseCommand):
    help = (
        "Delete a person from every portal (memberships, ownerships, messages) and then the account itself. "
        "Initiatives they co-own go to the other owners (contact details handed over, owners mailed); "
        "initiatives they owned alone are withdrawn and their contact details cleared."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--dry-run", action="store_true", help="Only say what would happen.")
        parser.add_argument("--by", default="", help="E-mail address of the staff member handling the request.")

    def handle(self, *args, email, dry_run, by, **options):
        user = User.objects.filter(email=email.lower()).first()
        if user is None:
            raise CommandError(f"No account with e-mail address {email}.")
        staff = User.objects.filter(email=by.lower()).first() if by else None
        if by and staff is None:
            raise CommandError(f"No account with e-mail address {by}.")
        if dry_run:
            for outcome in erasure_preview(user):
                self.stdout.write(outcome.describe())
            self.stdout.write("Dry run: nothing deleted.")
            return
        erasure = delete_account(user, by=staff)
        for outcome in erasure.initiatives:
            self.stdout.write(outcome.describe())
        for schema, rows in erasure.rows.items():
            self.stdout.write(f"{schema}: {rows} rows removed or anonymised")
        self.stdout.write(self.style.SUCCESS(f"Account {email} deleted."))
