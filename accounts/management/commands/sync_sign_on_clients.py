"""Register every portal as an OpenID Connect client of the national portal, idempotently
(docs/decisions/0022-one-sign-in-across-portals.md). ``make run`` runs it; run it after restoring a database
or changing MAEX_LINK_PORT. Creating, launching and changing a portal register it already."""

from django.core.management.base import BaseCommand
from django.db import connection

from accounts.sign_on import sync_sign_on_clients


class Command(BaseCommand):
    help = "Register (or update) every portal's sign-on client at the national portal."

    def handle(self, *args, **options):
        connection.set_schema_to_public()
        result = sync_sign_on_clients()
        self.stdout.write(
            self.style.SUCCESS(f"{result['clients']} sign-on clients up to date, {result['removed']} removed.")
        )
