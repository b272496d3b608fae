"""Mijn MAEX (/mijn-maex/): the owner's dashboard on every portal lists the person's initiatives on all portals,
read from each home portal's schema in a bounded number of queries, and nothing of anybody else's."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from initiatives.models import Initiative
from portals.selectors import initiatives_of
from tests.support import AMSTERDAM, DEN_HAAG, ROTTERDAM, VLISSINGEN, make_user, register


def _reads(captured) -> list[str]:
    """The statements that read (django-tenants' "SET search_path" on a change of schema is not a query)."""
    return [q["sql"] for q in captured.captured_queries if not q["sql"].startswith("SET search_path")]


def _owned_in_two_portals():
    owner = make_user(full_name="Olga Eigenaar")
    co_owner = make_user(full_name="Cor Mede")
    in_zeeland, _ = register(owner, VLISSINGEN, website="")
    in_rotterdam, _ = register(owner, ROTTERDAM, publish=False)
    with schema_context("zeeland"):
        in_zeeland.ownerships.create(user=co_owner)
    return owner, in_zeeland, in_rotterdam


def test_mijn_maex_lists_the_person_s_initiatives_on_every_portal_and_no_one_else_s(denhaag, client_for):
    # Given a person who owns one published initiative in Zeeland (with a co-owner) and one waiting in Rotterdam,
    # and somebody else's initiatives in Zeeland and Den Haag
    owner, in_zeeland, in_rotterdam = _owned_in_two_portals()
    others_zeeland, _ = register(code=VLISSINGEN)
    others_denhaag, _ = register(code=DEN_HAAG, publish=False)
    # When they open Mijn MAEX on a third portal, Den Haag's
    response = client_for(denhaag, owner).get("/mijn-maex/")
    html = response.content.decode()
    # Then both of theirs are listed with portal, state, co-owners, what is missing and links on the home hosts
    assert response.status_code == 200
    assert in_zeeland.name in html and in_rotterdam.name in html
    assert "MAEX Zeeland" in html and "MAEX Rotterdam" in html
    assert "Gepubliceerd" in html and "Ingediend, wacht op beoordeling" in html
    assert "Cor Mede" in html
    assert "website" in html  # Zeeland's profile has no website
    assert f'href="http://zeeland.localhost:8000/initiatieven/{in_zeeland.slug}/"' in html
    assert f'href="http://zeeland.localhost:8000/initiatieven/{in_zeeland.slug}/bewerken/"' in html
    assert f'href="http://rotterdam.localhost:8000/initiatieven/{in_rotterdam.slug}/bewerken/"' in html
    # and nothing of anybody else's
    assert others_zeeland.name not in html and others_denhaag.name not in html


def test_mijn_maex_reads_one_query_per_portal_where_the_person_owns_something(national, client_for):
    owner, in_zeeland, in_rotterdam = _owned_in_two_portals()
    register(code=DEN_HAAG)  # somebody else's, on a portal where the owner has nothing
    # Two portals with initiatives: the portals and their domains (2), where they own something (1), 2 portals
    with CaptureQueriesContext(connection) as two:
        rows = initiatives_of(owner)
    assert {row.initiative.uuid for row in rows} == {in_zeeland.uuid, in_rotterdam.uuid}
    assert len(_reads(two)) == 2 + 1 + 2, _reads(two)
    # A third portal with one of theirs: one query more, not one per initiative or per portal in the registry
    third, _ = register(owner, AMSTERDAM, publish=False)  # the national portal
    register(owner, VLISSINGEN)  # a second one in Zeeland costs nothing extra
    with CaptureQueriesContext(connection) as three:
        rows = initiatives_of(owner)
    assert len(rows) == 4 and third.uuid in {row.initiative.uuid for row in rows}
    assert len(_reads(three)) == 2 + 1 + 3, _reads(three)
    # and the rows say what they are
    row = next(row for row in rows if row.initiative.uuid == in_zeeland.uuid)
    assert row.portal.schema_name == "zeeland" and row.initiative.status == Initiative.Status.PUBLISHED
    assert row.co_owners == ["Cor Mede"] and "website" in row.missing


def test_mijn_maex_asks_to_sign_in_and_the_header_links_it_for_signed_in_people(zeeland, client_for):
    anonymous = client_for(zeeland).get("/mijn-maex/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/account/login/")
    assert 'href="/mijn-maex/"' not in client_for(zeeland).get("/zoeken/").content.decode()
    person = make_user()
    home = client_for(zeeland, person).get("/zoeken/").content.decode()
    assert 'href="/mijn-maex/"' in home and "Mijn MAEX" in home
    empty = client_for(zeeland, person).get("/mijn-maex/").content.decode()
    assert "U heeft nog geen initiatieven." in empty
