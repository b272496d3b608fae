"""MAEX Impuls awards in the national index: the open data API (awards, totals per portal and per funder) and the
national portal's totals page, without IBANs, answers or personal data
(docs/decisions/0028-impuls-accountability-projection-reminders.md)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.impuls.award_builders import HOLDER, IBAN, SECRET_ANSWER, award
from tests.support import ROTTERDAM, count_queries, make_user, register


@pytest.fixture
def awards(zeeland, rotterdam):
    """Three awards: two in Zeeland (2025 and 2026), one in Rotterdam (2026); the owner's name and address are
    on the initiatives and the applications carry an IBAN, an account holder and an answer."""
    owner = make_user(email="eigenaar.geheim@example.org")
    first, _ = register(owner, contact_name="Petra Privé", contact_email="petra.prive@example.org")
    second, _ = register(owner)
    third, _ = register(owner, ROTTERDAM)
    return {
        "owner": owner,
        "zeeland_2025": award("zeeland", first, owner, amount=100_000, decided_on=date(2025, 5, 1)),
        "zeeland_2026": award(
            "zeeland", second, owner, amount=50_000, decided_on=date(2026, 5, 1), paid_on=date(2026, 5, 8)
        ),
        "rotterdam_2026": award(
            "rotterdam", third, owner, amount=200_000, decided_on=date(2026, 6, 1), amounts=(500_000,)
        ),
    }


def test_the_api_lists_awards_of_every_portal_with_filters(national, client_for, awards):
    client = client_for(national)
    everything = client.get("/api/v1/impuls/awards").json()
    assert everything["count"] == 3
    newest = everything["items"][0]
    assert newest["portal"] == "rotterdam" and newest["amount_cents"] == 200_000 and newest["amount"] == "2000"
    assert [p["amount_cents"] for p in newest["funders"]] == [200_000]
    zeeland = client.get("/api/v1/impuls/awards", {"portal": "zeeland", "year": 2026}).json()
    assert [item["awarded_on"] for item in zeeland["items"]] == ["2026-05-01"]
    assert (
        zeeland["items"][0]["paid_on"] == "2026-05-08" and zeeland["items"][0]["accountability_due_on"] == "2026-09-08"
    )
    # Bad input: a clear 422 naming the parameter, never a 500
    bad = client.get("/api/v1/impuls/awards", {"year": "twintig"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "year"


def test_the_api_totals_per_portal_and_per_funder(national, client_for, awards):
    totals = client_for(national).get("/api/v1/impuls/totals", {"year": 2026}).json()
    by_portal = {row["portal"]: row for row in totals["portals"]}
    assert by_portal["zeeland"]["awards"] == 1 and by_portal["zeeland"]["money_cents"] == 50_000
    assert by_portal["zeeland"]["paid"] == 1 and by_portal["rotterdam"]["money_cents"] == 200_000
    assert sum(row["money_cents"] for row in totals["funders"]) == 250_000
    everything = client_for(national).get("/api/v1/impuls/totals").json()
    assert sum(row["awards"] for row in everything["portals"]) == 3


def test_no_iban_answer_or_personal_data_reaches_the_api_or_the_national_pages(national, client_for, awards):
    client = client_for(national)
    owner = awards["owner"]
    secrets = [IBAN, HOLDER, SECRET_ANSWER, owner.email, "Petra Privé", "petra.prive@example.org", "strengthens"]
    bodies = [
        client.get("/api/v1/impuls/awards").content.decode(),
        client.get("/api/v1/impuls/totals").content.decode(),
        client.get("/impuls/overzicht/").content.decode(),
    ]
    for body in bodies:
        for secret in secrets:
            assert secret not in body, secret
    # And an award's fields are exactly the public ones
    item = json.loads(bodies[0])["items"][0]
    assert set(item) == {
        "initiative_uuid", "portal", "portal_name", "round_slug", "round_title", "kind", "unit", "amount_cents",
        "amount", "awarded_on", "paid_on", "accountability_due_on", "accounted_on", "funders",
    }  # fmt: skip


def test_the_national_portal_shows_totals_per_portal_and_per_funder_on_a_page_of_its_own(
    national, zeeland, client_for, awards
):
    page = client_for(national).get("/impuls/overzicht/", {"jaar": "2026"})
    html = page.content.decode()
    assert page.status_code == 200 and "MAEX Zeeland" in html and "MAEX Rotterdam" in html
    assert "€ 2.000" in html  # Rotterdam's award
    # A year that is no number is a message on the form, not an error page
    bad = client_for(national).get("/impuls/overzicht/", {"jaar": "twintig"})
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()
    # A regional portal has no such page
    assert client_for(zeeland).get("/impuls/overzicht/").status_code == 404


@pytest.mark.parametrize("path", ["/api/v1/impuls/awards", "/impuls/overzicht/"])
def test_queries_do_not_grow_with_the_number_of_awards(national, zeeland, client_for, path):
    client = client_for(national)
    owner = make_user()

    def add(n):
        for _ in range(n):
            initiative, _ = register(owner)
            award("zeeland", initiative, owner, decided_on=date(2026, 3, 2), paid_on=date(2026, 3, 9))

    add(1)
    client.get(path)
    few, _ = count_queries(client, path)
    add(4)
    client.get(path)  # the API's Last-Modified date of the new index version, read once and then cached
    many, _ = count_queries(client, path)
    assert many == few
