"""Builders for tests: the session's portals, people and initiatives (real services, real database)."""

from __future__ import annotations

import csv
import io
import itertools
import random

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from demo import content as demo_content

VLISSINGEN, THOLEN, MIDDELBURG, ROTTERDAM, DEN_HAAG, AMSTERDAM, UTRECHT = (
    "GM0718",
    "GM0716",
    "GM0687",
    "GM0599",
    "GM0518",
    "GM0363",
    "GM0344",
)
# The session's portals are the demo portals (demo/data/portals.json) on *.localhost, covering fewer
# municipalities: Zeeland three of its thirteen, the national portal none (the rest stay uncovered).
TEST_COVERAGE = {"landelijk": [], "zeeland": [VLISSINGEN, THOLEN, MIDDELBURG]}
PORTAL_SPECS = {  # schema: (name, kind, host, municipality codes)
    portal["schema"]: (
        portal["name"],
        portal["kind"],
        demo_content.host(portal, "localhost"),
        TEST_COVERAGE.get(portal["schema"], portal["municipalities"]),
    )
    for portal in demo_content.PORTALS
}
_seq = itertools.count(1)


def ensure_test_portals() -> None:
    """Create the template and the four test portals once (idempotent, for --reuse-db)."""
    from portals.services import create_portal
    from roles.services import sync_all_portals
    from tenants.models import Portal

    connection.set_schema_to_public()
    for schema, (name, kind, host, codes) in PORTAL_SPECS.items():
        if not Portal.objects.filter(schema_name=schema).exists():
            create_portal(schema_name=schema, name=name, kind=kind, hosts=[host], municipality_codes=codes)
        with schema_context(schema):
            from cms.models import HomePage
            from cms.services import ensure_initiative_index

            ensure_initiative_index(HomePage.objects.get())  # a reused database keeps every portal's list
    sync_all_portals()  # a reused test database gets the permissions the current code defines
    from accounts.sign_on import sync_sign_on_clients

    sync_sign_on_clients()  # and every portal's sign-on client (ADR 0022)


def make_user(email: str | None = None, password: str = "een-lang-wachtwoord-123", **extra):
    from accounts.services import ensure_verified_user

    return ensure_verified_user(email or f"persoon{next(_seq)}@example.org", password, **extra)


def with_role(user, portal, role: str):
    from roles.services import assign_role

    with schema_context(portal.schema_name):
        assign_role(user, role)
    return user


def municipality(code: str):
    from geo.models import Municipality

    return Municipality.objects.select_related("province").get(cbs_code=code)


def profile(code: str = VLISSINGEN, *, seed: int | None = None, **fields):
    """A valid uniform profile in municipality ``code``; keyword arguments override fields."""
    from demo.profiles import profile_data
    from initiatives.services import Profile

    n = seed if seed is not None else next(_seq) + 10_000
    data = profile_data(n, municipality(code), random.Random(n))
    data["fields"].update(fields)
    return Profile(**data)


def register(owner=None, code: str = VLISSINGEN, *, publish: bool = True, **fields):
    """Register an initiative through the real service, and publish it (in its home schema)."""
    from initiatives import services

    owner = owner or make_user()
    initiative, portal = services.register_initiative(owner=owner, profile=profile(code, **fields))
    if publish and not initiative.is_published:
        with schema_context(portal.schema_name):
            initiative = services.publish(initiative, portal)
    return initiative, portal


def register_with(code: str, *, needs=(), partners=(), is_demo: bool = False, **fields):
    """Register and publish an initiative in ``code`` with open or fulfilled needs (``(kind, fulfilled)`` pairs),
    partners of the given kinds and the demo mark, through the real services; the published initiative."""
    from initiatives import services

    given = profile(code, **fields)
    given.needs = [{"kind": k, "text": "Nodig.", "fulfilled": done} for k, done in needs]
    given.partners = [{"name": f"Partner {k}", "kind": k} for k in partners]
    initiative, portal = services.register_initiative(owner=make_user(), profile=given, is_demo=is_demo)
    if not initiative.is_published:
        with schema_context(portal.schema_name):
            initiative = services.publish(initiative, portal)
    return initiative


def form_data(code_pk: int, **overrides) -> dict:
    """POST data of the registration form with every field valid."""
    data = {
        "name": f"Buurtmoestuin Testlaan {next(_seq)}",
        "short_description": "Samen groente kweken in de wijk.",
        "description": "Een moestuin voor en door de buurt.",
        "municipality": str(code_pk),
        "district": "Oost",
        "legal_form": "stichting",
        "kvk_number": "",
        "founding_year": "2015",
        "phase": "doorgroei",
        "website": "https://moestuin.example.org",
        "contact_name": "Jan Jansen",
        "contact_email": "jan@example.org",
        "contact_phone": "0612345678",
        "target_groups": ["buurtbewoners"],
        "value_domains": ["groen", "insluiting"],
        "sdgs": ["11", "15"],
        "people_reached": "250",
        "volunteers": "12",
        "paid_staff": "1",
        "paid_fte": "0.5",
        "income_subsidy": "40",
        "income_funds": "30",
        "income_sales": "20",
        "income_contributions": "5",
        "income_other": "5",
        "need_vrijwilligers": "Mensen die willen helpen wieden.",
        "partners-TOTAL_FORMS": "3",
        "partners-INITIAL_FORMS": "0",
        "partners-0-name": "Fonds Voorbeeld",
        "partners-0-kind": "fonds",
        "offers-TOTAL_FORMS": "3",
        "offers-INITIAL_FORMS": "0",
        "offers-0-name": "Groentepakket",
        "offers-0-description": "Wekelijks pakket.",
        "activities-TOTAL_FORMS": "3",
        "activities-INITIAL_FORMS": "0",
        "activities-0-item_code": "groenonderhoud-uur",
        "activities-0-quantity": "250",
        "activities-0-description": "Wieden en snoeien.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- second factor (docs/decisions/0015-staff-sign-in-with-a-second-factor.md) ------------------------------
def mfa_ready(user, secret: str | None = None) -> str:
    """Give ``user`` a real TOTP authenticator (allauth's own ``TOTP.activate``); returns its secret.
    Idempotent: a user who has one keeps it."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from allauth.mfa.utils import decrypt

    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing is not None:
        return decrypt(existing.data["secret"])
    secret = secret or generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now for ``secret`` (allauth's own TOTP functions)."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def sign_in_with_mfa(client, user):
    """Sign ``client`` in as ``user`` with a session like allauth leaves after a password and a TOTP code:
    its authentication records (``account_authentication_methods``) hold a password and an ``mfa`` step."""
    import time

    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )
    from allauth.account.internal.userkit import user_id_to_str
    from allauth.mfa.models import Authenticator

    mfa_ready(user)
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    client.force_login(user)
    session = client.session
    now = time.time()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "id": authenticator.pk, "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = user_id_to_str(user)
    session.save()
    return client


def holds_staff_role(user, portal) -> bool:
    from accounts.mfa import is_staff_here

    with schema_context(portal.schema_name):
        return is_staff_here(user)


def count_queries(client, path, params=None) -> tuple[int, object]:
    """The queries one GET of ``path`` makes (from a clean public search path) and its 200 response."""
    connection.set_schema_to_public()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def edits_go_live(*portals):
    """No threshold for changes on these portals: every plausible edit of a published initiative goes live at
    once (docs/decisions/0021-held-changes.md), for tests about something else that edit with a whole new profile."""
    from tenants.services import set_review_rules

    for portal in portals:
        set_review_rules(portal, implausible=portal.implausible, hold_threshold=None)


def figures_csv(response) -> dict[tuple, str]:
    """A Stand-shaped CSV (the Stand's, an edition's) as {(figure, breakdown, key): value}."""
    rows = csv.DictReader(io.StringIO(response.content.decode()))
    return {(r["figure"], r["breakdown"], r["key"]): r["value"] for r in rows}
