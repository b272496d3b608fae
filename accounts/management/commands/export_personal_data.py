from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.personal_data import export_json


class Command(BaseCommand):
    help = (
        "Everything the platform holds about one person, across all portals, as JSON (a written request for "
        "access or portability, GDPR art. 15 and 20). No secrets. Writes to standard output or --output."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--output", "-o", default="", help="File to write (default: standard output).")

    def handle(self, *args, email, output, **options):
        user = User.objects.filter(email=email.lower()).first()
        if user is None:
            raise CommandError(f"No account with e-mail address {email}.")
        text = export_json(user)
        if not output:
            self.stdout.write(text)
            return
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
        self.stderr.write(self.style.SUCCESS(f"Personal data of {email} written to {output}."))
