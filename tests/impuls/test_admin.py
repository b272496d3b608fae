"""Funders and rounds (with their commitments inline) in a portal's Wagtail admin, for that portal's fund managers."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from impuls import services
from impuls.models import Commitment, Funder, Round
from tests.admin.test_permissions_by_ownership import form_data
from tests.impuls.builders import TEXTS, commitment_ids, make_round
from tests.support import make_user, register, with_role

ROUNDS = "/beheer/impuls/rondes/"
FUNDERS = "/beheer/impuls/financiers/"


def new_round_data(funder_id: int, slug: str = "voorjaar-2027") -> dict:
    return {
        "title": "Voorjaarsronde 2027",
        "slug": slug,
        "purpose": "Versterking van de organisatie.",
        "kind": "geld",
        "unit": "",
        "opens_at": "2027-03-01 09:00",
        "closes_at": "2027-03-08 17:00",
        "min_cents": "50000",
        "max_cents": "250000",
        "max_applications": "",
        "spend_months": "4",
        "payout_working_days": "10",
        "municipalities": "",
        "sdgs": "",
        "min_phase": "doorgroei",
        "needs_money_need": "on",
        "commitments-TOTAL_FORMS": "1",
        "commitments-INITIAL_FORMS": "0",
        "commitments-MIN_NUM_FORMS": "0",
        "commitments-MAX_NUM_FORMS": "1000",
        "commitments-0-id": "",
        "commitments-0-funder": str(funder_id),
        "commitments-0-amount_cents": "2500000",
        "commitments-0-max_per_award_cents": "",
        "commitments-0-sdgs": "11",
        "commitments-0-municipalities": "",
        "commitments-0-legal_forms": "stichting",
        "commitments-0-DELETE": "",
    }


def test_a_fund_manager_creates_a_round_with_a_commitment_in_its_own_portal_only(zeeland, rotterdam, client_for):
    # Given a fund manager of Zeeland and one of Rotterdam
    zeeland_manager = client_for(zeeland, with_role(make_user(), zeeland, "fund_manager"))
    rotterdam_manager = client_for(rotterdam, with_role(make_user(), rotterdam, "fund_manager"))
    # When the Zeeland manager adds a funder and a round with its commitment
    response = zeeland_manager.post(f"{FUNDERS}new/", {"name": "VSBfonds", "kind": "fonds", "partner_page": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    with schema_context("zeeland"):
        funder = Funder.objects.get(name="VSBfonds")
    response = zeeland_manager.post(f"{ROUNDS}new/", new_round_data(funder.pk))
    assert response.status_code == 302, response.content.decode()[:3000]
    # Then the round and its commitment are in Zeeland's schema, with an empty balance
    with schema_context("zeeland"):
        round = Round.objects.get(slug="voorjaar-2027")
        commitment = round.commitments.get()
        assert (commitment.amount_cents, commitment.sdgs, commitment.legal_forms) == (2_500_000, [11], ["stichting"])
        assert (commitment.reserved_cents, commitment.awarded_cents) == (0, 0)
    assert "Voorjaarsronde 2027" in zeeland_manager.get(ROUNDS).content.decode()
    # And Rotterdam's fund manager neither sees it nor reaches it, and Rotterdam has no such round
    assert "Voorjaarsronde 2027" not in rotterdam_manager.get(ROUNDS).content.decode()
    assert rotterdam_manager.get(f"{ROUNDS}edit/{round.pk}/").status_code == 404
    with schema_context("rotterdam"):
        assert not Round.objects.exists() and not Funder.objects.exists()


@pytest.mark.parametrize("role", [None, "editor", "author"])
def test_people_without_the_fund_manager_role_do_not_reach_the_rounds(zeeland, client_for, role):
    person = make_user()
    if role:
        with_role(person, zeeland, role)
    client = client_for(zeeland, person)
    for url in (ROUNDS, f"{ROUNDS}new/", FUNDERS):
        response = client.get(url)
        assert response.status_code in (302, 403), url
    assert "impuls/rondes" not in client.get("/beheer/").content.decode()


def test_a_commitment_with_bookings_keeps_what_it_holds(zeeland, client_for):
    # Given a round whose only commitment of 1,000 euros has 800 euros reserved by an application
    manager = client_for(zeeland, with_role(make_user(), zeeland, "fund_manager"))
    owner = make_user()
    initiative, _portal = register(owner)
    with schema_context("zeeland"):
        round = make_round(100_000, min_cents=10_000)
        services.submit_application(
            round, initiative, owner, 80_000, **TEXTS, frozen_profile={}, eligible_commitment_ids=commitment_ids(round)
        )
        commitment = round.commitments.get()
    url = f"{ROUNDS}edit/{round.pk}/"
    data = form_data(manager.get(url).content.decode())
    # When the manager lowers it to 500 euros
    lowered = {**data, "commitments-0-amount_cents": ["50000"]}
    response = manager.post(url, lowered)
    # Then the form says why, and nothing changed
    assert response.status_code == 200
    assert "Er is al € 800 gereserveerd en toegekend" in response.content.decode()
    # When the manager removes it
    response = manager.post(url, {**data, "commitments-0-DELETE": ["1"]})
    assert response.status_code == 200
    assert "heeft al boekingen en kan niet worden verwijderd" in response.content.decode()
    # When the manager raises it to 1,500 euros
    response = manager.post(url, {**data, "commitments-0-amount_cents": ["150000"]})
    assert response.status_code == 302
    # Then the amount changed and the reservation stayed as the ledger says
    with schema_context("zeeland"):
        commitment = Commitment.objects.get(pk=commitment.pk)
        assert (commitment.amount_cents, commitment.reserved_cents) == (150_000, 80_000)


def test_saving_a_stale_commitment_never_writes_its_balance(zeeland):
    owner = make_user()
    initiative, _portal = register(owner)
    with schema_context("zeeland"):
        round = make_round(500_000)
        stale = round.commitments.get()
        services.submit_application(
            round, initiative, owner, 100_000, **TEXTS, frozen_profile={}, eligible_commitment_ids=[stale.pk]
        )
        # When a copy read before the reservation is saved with a new amount
        stale.amount_cents = 600_000
        stale.save()
        # Then the amount changed and the reservation is still there
        assert Commitment.objects.filter(pk=stale.pk).values_list("amount_cents", "reserved_cents").get() == (
            600_000,
            100_000,
        )
