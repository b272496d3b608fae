"""Fixtures of the Impuls tests: an initiative that meets a default round's criteria, owned by a person, and an
open round in Zeeland (the applicant's side); people with a role in Zeeland, and their browsers (the review,
payouts and report)."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from tests.impuls.builders import make_round
from tests.support import VLISSINGEN, make_user, profile, with_role

APPLICATIONS = "/beheer/impuls/aanvragen/"
PAYOUTS = "/beheer/impuls/uitbetalingen/"
REPORT = "/beheer/impuls/rapportage/"


def eligible_initiative(owner=None, code: str = VLISSINGEN, **fields):
    """A published initiative whose profile meets a default round (doorgroeifase, a money need, complete, valued
    activities): registered through the real service in its home portal."""
    from initiatives import services

    owner = owner or make_user()
    values = {
        "phase": "doorgroei",
        "legal_form": "stichting",
        "website": "https://voorbeeld.example.org",
        "contact_phone": "0118 123456",
        "district": "Centrum",
        **fields,
    }
    data = profile(code, **values)
    data.needs = [{"kind": "geld", "text": "Voor een training van onze vrijwilligers."}]
    initiative, portal = services.register_initiative(owner=owner, profile=data)
    if not initiative.is_published:
        with schema_context(portal.schema_name):
            initiative = services.publish(initiative, portal)
    return initiative, portal


@pytest.fixture
def owner(db):
    return make_user()


@pytest.fixture
def applicant(zeeland, owner):
    """A person and their eligible initiative in Zeeland."""
    initiative, _portal = eligible_initiative(owner)
    return owner, initiative


@pytest.fixture
def open_round(zeeland):
    """An open round in Zeeland: € 5.000 from one funder and € 3.000 from another, € 500 to € 2.500 each."""
    with schema_context("zeeland"):
        return make_round(500_000, 300_000, title="Voorjaarsronde", purpose="Versterking van de organisatie.")


@pytest.fixture
def manager(zeeland):
    return with_role(make_user(), zeeland, "fund_manager")


@pytest.fixture
def manager_client(zeeland, manager, client_for):
    return client_for(zeeland, manager)


@pytest.fixture
def applicant_user():
    """A person who applies (the review tests give them applications directly)."""
    return make_user()


@pytest.fixture
def fund_account(zeeland):
    """Zeeland's fund account (the debtor of the SEPA file)."""
    from wagtail.models import Site

    from impuls.models import ImpulsSettings

    with schema_context("zeeland"):
        settings = ImpulsSettings.for_site(Site.objects.get(is_default_site=True))
        settings.account_name = "Stichting Impuls Zeeland"
        settings.iban = "NL02 ABNA 0123 4567 89"
        settings.bic = "ABNANL2A"
        settings.save()
    return settings


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the decision mails) at once, inside the test's transaction:
    ``with sent(): ...``."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
