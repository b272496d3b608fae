"""Creates the demo: four portals with domains and coverage, an admin and an editor per portal, a few hundred
fictional initiatives, published, and each portal's pages and branding. Safe to run twice.

The content is data in ``demo/data/``; ``demo.loader`` writes it through the apps' services."""

from django.core.management.base import BaseCommand

from demo import impuls as demo_impuls
from demo import loader
from demo.content import ACCOUNTS
from demo.second_factor import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Create the demo portals, accounts and initiatives (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--initiatives", type=int, default=300)

    def handle(self, *args, initiatives, **options):
        for schema, seconds in loader.ensure_portals().items():
            self.stdout.write(f"portal {schema}: created in {seconds:.2f} s")
        accounts = loader.ensure_accounts()
        self._second_factor(accounts.staff)
        made = loader.seed_initiatives(accounts.owner, initiatives)
        self.stdout.write(f"initiatives: {made} created ({initiatives - made} already there)")
        if loader.ensure_held_change():
            self.stdout.write("a held change waits in MAEX Rotterdam's review queue")
        self.stdout.write(f"demo pages: {len(loader.ensure_pages())} created")
        graadmeter = loader.ensure_graadmeter()
        self.stdout.write(
            f"graadmeter: {graadmeter} rows written (labelled backfill of {loader.BACKFILL_DAYS} days and today's take)"
            if graadmeter
            else "graadmeter: the series exists already"
        )
        impuls = demo_impuls.ensure_impuls(accounts.owner)
        self.stdout.write(f"impuls: {sum(len(rounds) for rounds in impuls.values())} demo rounds created")
        editions = loader.ensure_editions(accounts.owner, initiatives)
        self.stdout.write(f"editions of the Stand: {editions or 'already there'}")
        self.stdout.write(
            f"branding: {sorted(s for s, changed in loader.apply_brandings().items() if changed)} updated"
        )
        self.stdout.write(self.style.SUCCESS(f"Demo ready. Logins (password: {ACCOUNTS['password']}):"))
        for role, email in accounts.logins:
            self.stdout.write(f"  {role:32} {email}")

    def _second_factor(self, staff):
        """Staff reach the admin only with a second factor (ADR 0015): in development the demo staff share
        a published TOTP secret (README, "Demo logins"); elsewhere they set up their own."""
        added = loader.ensure_second_factors(staff)
        if added is None:
            self.stdout.write("second factor: DEBUG is off, so demo staff set up their own authenticator")
            return
        self.stdout.write(
            f"second factor: {added} demo staff authenticators added (secret {DEMO_TOTP_SECRET}; "
            "current code: manage.py demo_totp <email>)"
        )
