"""Creates the demo: four portals with domains and coverage, an admin and an editor per portal, and a few
hundred fictional initiatives, published. Safe to run twice."""

import random

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django_tenants.utils import schema_context

from accounts.demo import DEMO_TOTP_SECRET, ensure_demo_authenticator
from accounts.services import ensure_verified_user
from branding.services import apply_demo_branding
from cms.services import ensure_demo_content
from geo.models import Municipality
from initiatives import demo, services
from initiatives.models import Initiative
from portals import services as portal_services
from roles.services import assign_role
from tenants.models import NATIONAL_SCHEMA, Portal

DEMO_PASSWORD = "demo-wachtwoord-2026"  # noqa: S105 - demo accounts only, printed for the user
ZEELAND = [
    "GM0654",
    "GM0664",
    "GM0677",
    "GM0678",
    "GM0687",
    "GM0703",
    "GM0715",
    "GM0716",
    "GM0717",
    "GM0718",
    "GM1676",
    "GM1695",
    "GM1714",
]
REGIONAL = [
    ("zeeland", "MAEX Zeeland", Portal.Kind.PROVINCE, ZEELAND),
    ("rotterdam", "MAEX Rotterdam", Portal.Kind.MUNICIPALITY, ["GM0599"]),
    ("denhaag", "MAEX Den Haag", Portal.Kind.MUNICIPALITY, ["GM0518"]),
]


def demo_host(schema: str) -> str:
    if schema == NATIONAL_SCHEMA:
        return settings.MAEX_NATIONAL_HOST
    return f"{schema}.{settings.MAEX_BASE_DOMAIN}"


class Command(BaseCommand):
    help = "Create the demo portals, accounts and initiatives (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--initiatives", type=int, default=300)

    def handle(self, *args, initiatives, **options):
        connection.set_schema_to_public()
        regional_codes = {c for *_, codes in REGIONAL for c in codes}
        rest = list(Municipality.objects.exclude(cbs_code__in=regional_codes).values_list("cbs_code", flat=True))
        specs = [(NATIONAL_SCHEMA, "MAEX", Portal.Kind.NATIONAL, rest), *REGIONAL]
        for schema, name, kind, codes in specs:
            if not Portal.objects.filter(schema_name=schema).exists():
                created = portal_services.create_portal(
                    schema_name=schema, name=name, kind=kind, hosts=[demo_host(schema)], municipality_codes=codes
                )
                self.stdout.write(f"portal {schema}: created in {created.seconds:.2f} s")

        # Zeeland shows euro amounts publicly; the national MAEX (like MAEX itself) shows them only to owners.
        Portal.objects.filter(schema_name="zeeland").update(show_amounts=True)
        platform = ensure_verified_user(
            "platform@maex.localhost", DEMO_PASSWORD, "Platformbeheer (demo)", superuser=True
        )
        logins = [("platformbeheer (alle portalen)", platform.email)]
        staff = [platform]
        for schema, *_ in specs:
            admin = ensure_verified_user(f"beheer@{demo_host(schema)}", DEMO_PASSWORD, f"Beheerder {schema} (demo)")
            editor = ensure_verified_user(f"redactie@{demo_host(schema)}", DEMO_PASSWORD, f"Redacteur {schema} (demo)")
            with schema_context(schema):
                assign_role(admin, "portal_admin")
                assign_role(editor, "editor")
                if schema == NATIONAL_SCHEMA:
                    assign_role(admin, "national_admin")
            logins += [(f"beheerder {schema}", admin.email), (f"redacteur {schema}", editor.email)]
            staff += [admin, editor]
        owner = ensure_verified_user("initiatief@maex.localhost", DEMO_PASSWORD, "Initiatiefnemer (demo)")
        self._second_factor(staff)
        logins.append(("initiatiefnemer", owner.email))

        self._seed_initiatives(owner, initiatives)
        self.stdout.write(f"demo pages: {len(ensure_demo_content())} created")
        self.stdout.write(f"branding: {sorted(s for s, changed in apply_demo_branding().items() if changed)} updated")
        self.stdout.write(self.style.SUCCESS(f"Demo ready. Logins (password: {DEMO_PASSWORD}):"))
        for role, email in logins:
            self.stdout.write(f"  {role:32} {email}")

    def _second_factor(self, staff):
        """Staff reach the admin only with a second factor (ADR 0015): in development the demo staff share
        a published TOTP secret (README, "Demo logins"); elsewhere they set up their own."""
        if not settings.DEBUG:
            self.stdout.write("second factor: DEBUG is off, so demo staff set up their own authenticator")
            return
        added = sum(ensure_demo_authenticator(user) for user in staff)
        self.stdout.write(
            f"second factor: {added} demo staff authenticators added (secret {DEMO_TOTP_SECRET}; "
            "current code: manage.py demo_totp <email>)"
        )

    def _seed_initiatives(self, owner, count):
        # Weighted so every regional portal gets a good share: Zeeland, Rotterdam, Den Haag, elsewhere.
        zeeland = list(Municipality.objects.filter(cbs_code__in=ZEELAND))
        rotterdam = list(Municipality.objects.filter(cbs_code="GM0599"))
        denhaag = list(Municipality.objects.filter(cbs_code="GM0518"))
        elsewhere = list(Municipality.objects.exclude(cbs_code__in=[*ZEELAND, "GM0599", "GM0518"]))
        made = 0
        for i in range(count):
            # Each initiative's place and profile come from its own seed, so a second run (or a later version
            # of the profile) recreates the same initiative in the same municipality and skips it.
            place = random.Random(f"place-{i}")
            pool = place.choices([zeeland, rotterdam, denhaag, elsewhere], weights=[3, 2, 2, 3])[0]
            data = demo.profile_data(i, place.choice(pool), random.Random(f"profile-{i}"))
            portal = services.home_portal_for(data["fields"]["municipality"])
            with schema_context(portal.schema_name):
                if Initiative.objects.filter(name=data["fields"]["name"]).exists():
                    continue
            initiative, portal = services.register_initiative(owner=owner, profile=services.Profile(**data))
            if not initiative.is_published:
                with schema_context(portal.schema_name):
                    services.publish(initiative, portal)
            made += 1
        self.stdout.write(f"initiatives: {made} created ({count - made} already there)")
