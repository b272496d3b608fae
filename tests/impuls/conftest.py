"""Fixtures of the applicant's side of MAEX Impuls: an initiative that meets a default round's criteria, owned by
a person, and an open round in Zeeland."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from tests.impuls.builders import make_round
from tests.support import VLISSINGEN, make_user, profile


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
