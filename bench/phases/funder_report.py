"""12: the MAEX Impuls funder report of a round of 1,000 applications: the admin page and its
streamed CSV, requested as the portal's fund manager with Django's test client in this process (the admin needs a
signed-in session with a second factor, which the HTTP phases do not set up). Each row's notes give the queries
of one request, which must not grow with the number of applications (docs/decisions/0027).

The round is built once in the first regional portal through ``impuls.services`` (submissions, approvals of
about two thirds, payouts of half of those), so its ledger is what real use leaves; with ``--keep`` it is reused.
"""

from __future__ import annotations

import secrets
import time
import uuid
from datetime import timedelta
from types import SimpleNamespace

from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.services import ensure_verified_user
from impuls import review, services
from impuls.models import Commitment, Funder, Payout, Round
from roles.services import assign_role
from tenants.models import Portal
from tenants.selectors import live_portals

from ..inprocess import measure

APPLICATIONS = 1000
SLUG = "bench-financiersrapportage"
REPORT = "/beheer/impuls/rapportage/"


def run(bench) -> None:
    portal = live_portals().filter(kind=Portal.Kind.REGION).order_by("schema_name").first()
    if portal is None:
        raise CommandError("The funder report needs a regional portal.")
    portal = Portal.objects.with_domains().get(pk=portal.pk)
    with schema_context(portal.schema_name):
        round = Round.objects.filter(slug=SLUG).first() or _round(bench, portal)
        manager = ensure_verified_user("bench-fund-manager@example.org", secrets.token_urlsafe(24), "Bench (fictief)")
        assign_role(manager, "fund_manager")
    client = Client(HTTP_HOST=portal.primary_host)
    _sign_in(client, manager)
    for path, label in (
        (f"{REPORT}?round={round.pk}", "GET funder report page"),
        (f"{REPORT}csv/?round={round.pk}", "GET funder report CSV"),
    ):
        measure(bench, client, path, f"{label} ({APPLICATIONS} applications)")


def _round(bench, portal) -> Round:
    bench.log(f"funder report: a round of {APPLICATIONS} applications in {portal.schema_name}")
    now = timezone.now()
    round = Round.objects.create(
        slug=SLUG,
        title="Bench: financiersrapportage",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
        min_cents=50_000,
        max_cents=250_000,
    )
    for name, amount in (("Bench-fonds A", 150_000_000), ("Bench-fonds B", 100_000_000)):
        funder, _created = Funder.objects.get_or_create(name=name)
        Commitment.objects.create(round=round, funder=funder, amount_cents=amount)
    ids = list(round.commitments.values_list("pk", flat=True))
    rng = bench.rng
    for k in range(APPLICATIONS):
        amount = rng.randrange(500, 2501) * 100
        sdgs = rng.sample(range(1, 18), 3)
        application = services.submit_application(
            round,
            SimpleNamespace(uuid=uuid.uuid4()),
            None,
            amount,
            strengthens="Training van vrijwilligers.",
            cost_estimate="Trainer en zaal.",
            frozen_profile={
                "name": f"Bench-initiatief {k}",
                "social_value": f"{rng.randrange(5_000, 250_000)}.00",
                "value_by_sdg": {str(s): f"{rng.randrange(1_000, 50_000)}.00" for s in sdgs},
            },
            eligible_commitment_ids=ids,
            iban="NL91ABNA0417164300",
        )
        if k % 3:
            payout = review.approve(application, amount_cents=amount, portal=portal, by=None)
            if k % 2:
                services.mark_paid(payout, paid_on=payout.due_on - timedelta(days=rng.randrange(0, 5)))
    bench.log(f"funder report: {Payout.objects.filter(application__round=round).count()} payouts")
    return round


def _sign_in(client, user) -> None:
    """A fund manager's admin session: signed in with a password and a TOTP step, as allauth records it."""
    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )
    from allauth.account.internal.userkit import user_id_to_str
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        authenticator = TOTP.activate(user, generate_totp_secret()).instance
    client.force_login(user)
    session = client.session
    now = time.time()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "id": authenticator.pk, "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = user_id_to_str(user)
    session.save()
