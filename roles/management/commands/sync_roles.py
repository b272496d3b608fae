from django.core.management.base import BaseCommand

from roles.services import sync_all_portals


class Command(BaseCommand):
    help = "Bring every portal's role groups and their permissions up to date (idempotent; run after upgrades)."

    def handle(self, *args, **options):
        self.stdout.write(f"role groups synchronised on {sync_all_portals()} portals")
