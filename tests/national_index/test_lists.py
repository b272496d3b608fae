"""The initiative lists: the national list shows every portal's initiatives (linking to their home portal),
a regional list only its own; the filters narrow both. The detail page lives on the home portal."""

import re

import pytest
from django_tenants.utils import schema_context

from initiatives import services
from tests.support import AMSTERDAM, ROTTERDAM, THOLEN, VLISSINGEN, make_user, profile, with_role


def add(code, name, *, needs=(), publish=True, **fields):
    """Register (and publish) an initiative with a given name and needs through the real services."""
    p = profile(code, name=name, **fields)
    p.needs = [{"kind": kind, "text": "Graag!"} for kind in needs]
    initiative, portal = services.register_initiative(owner=make_user(), profile=p)
    if publish:
        with schema_context(portal.schema_name):
            initiative = services.publish(initiative, portal)
    return initiative, portal


def links(response) -> dict[str, str]:
    """The initiative cards of a list page: name → link."""
    html = response.content.decode()
    return {m.group(2): m.group(1) for m in re.finditer(r'<h2[^>]*><a href="([^"]+)">([^<]+)</a></h2>', html)}


@pytest.fixture
def spread(national, zeeland, rotterdam):
    return {
        "vlissingen": add(VLISSINGEN, "Lijsttest Vlissingen"),
        "tholen": add(THOLEN, "Lijsttest Tholen"),
        "rotterdam": add(ROTTERDAM, "Lijsttest Rotterdam"),
        "amsterdam": add(AMSTERDAM, "Lijsttest Amsterdam"),
        "concept": add(VLISSINGEN, "Lijsttest Concept", publish=False),
    }


def test_the_national_list_shows_every_portals_initiatives_linking_to_their_home(spread, national, client_for):
    response = client_for(national).get("/initiatieven/", {"q": "Lijsttest"})
    assert response.status_code == 200
    found = links(response)
    assert set(found) == {"Lijsttest Vlissingen", "Lijsttest Tholen", "Lijsttest Rotterdam", "Lijsttest Amsterdam"}
    for key in ("vlissingen", "tholen", "rotterdam", "amsterdam"):
        initiative, home = spread[key]
        expected = home.absolute_url(f"/initiatieven/{initiative.slug}/")
        assert found[initiative.name] == expected
        assert expected.startswith(f"http://{home.primary_host}")  # absolute, on the home portal's domain
    assert "Lijsttest Concept" not in response.content.decode()


def test_a_regional_list_shows_only_its_own_portals_initiatives(spread, zeeland, rotterdam, client_for):
    assert set(links(client_for(zeeland).get("/initiatieven/", {"q": "Lijsttest"}))) == {
        "Lijsttest Vlissingen",
        "Lijsttest Tholen",
    }
    assert set(links(client_for(rotterdam).get("/initiatieven/", {"q": "Lijsttest"}))) == {"Lijsttest Rotterdam"}


def test_the_list_filters(national, zeeland, client_for):
    add(VLISSINGEN, "Filtertest Alfa", sdgs=[3], value_domains=["zorg"], needs=["vrijwilligers"])
    add(THOLEN, "Filtertest Beta", sdgs=[7, 13], value_domains=["energie"], needs=["geld"])
    add(
        ROTTERDAM,
        "Filtertest Gamma",
        sdgs=[3, 8],
        value_domains=["werk"],
        needs=["vrijwilligers", "kennis"],
        short_description="Een leerwerkplaats met zonnepanelen.",
    )
    cases = [
        ({"q": "alfa"}, {"Filtertest Alfa"}),
        ({"q": "zonnepanelen"}, {"Filtertest Gamma"}),  # also the short description
        ({"municipality": THOLEN}, {"Filtertest Beta"}),
        ({"sdg": "3"}, {"Filtertest Alfa", "Filtertest Gamma"}),
        ({"domain": "energie"}, {"Filtertest Beta"}),
        ({"need": "vrijwilligers"}, {"Filtertest Alfa", "Filtertest Gamma"}),
        ({"need": "vrijwilligers", "sdg": "8"}, {"Filtertest Gamma"}),
        ({"need": "media"}, set()),
    ]
    for params, expected in cases:
        query = {"q": "Filtertest", **params} if "q" not in params else params
        response = client_for(national).get("/initiatieven/", query)
        assert response.status_code == 200
        assert set(links(response)) == expected, params
    # The regional list applies the same filters within its own area
    assert set(links(client_for(zeeland).get("/initiatieven/", {"q": "Filtertest", "sdg": "3"}))) == {"Filtertest Alfa"}
    empty = client_for(national).get("/initiatieven/", {"q": "Filtertest", "need": "media"}).content.decode()
    assert "Geen initiatieven gevonden met deze filters." in empty


def test_the_list_paginates_24_per_page(national, client_for):
    for i in range(26):
        add(AMSTERDAM, f"Paginatest {i:02d}")
    first = links(client_for(national).get("/initiatieven/", {"q": "Paginatest"}))
    second = links(client_for(national).get("/initiatieven/", {"q": "Paginatest", "pagina": "2"}))
    assert len(first) == 24 and len(second) == 2
    assert set(first) | set(second) == {f"Paginatest {i:02d}" for i in range(26)}


def test_an_unpublished_initiative_is_hidden_from_visitors_but_shown_to_its_owner(zeeland, rotterdam, client_for):
    owner = make_user()
    p = profile(VLISSINGEN, name="Nog Niet Openbaar", contact_email="prive@voorbeeld.example")
    initiative, _ = services.register_initiative(owner=owner, profile=p)
    url = f"/initiatieven/{initiative.slug}/"
    assert client_for(zeeland).get(url).status_code == 404
    assert client_for(zeeland, make_user()).get(url).status_code == 404
    response = client_for(zeeland, owner).get(url)
    assert response.status_code == 200 and "Nog Niet Openbaar" in response.content.decode()
    # Its portal's editor sees it (to review it); it does not exist on another portal
    assert client_for(zeeland, with_role(make_user(), zeeland, "editor")).get(url).status_code == 200
    assert client_for(rotterdam, owner).get(url).status_code == 404


def test_a_published_initiative_is_public_without_its_contact_details(zeeland, client_for):
    initiative, _ = add(
        VLISSINGEN,
        "Openbaar Initiatief",
        contact_email="prive@voorbeeld.example",
        contact_phone="0698765432",
        contact_name="Persoon Prive",
    )
    response = client_for(zeeland).get(f"/initiatieven/{initiative.slug}/")
    html = response.content.decode()
    assert response.status_code == 200 and "Openbaar Initiatief" in html
    for secret in ("prive@voorbeeld.example", "0698765432", "Persoon Prive"):
        assert secret not in html


def _own_figures(portal=None) -> dict:
    """The figures of a portal's own index rows (every row: portal None), summed here in Python."""
    from national_index.models import IndexEntry

    rows = IndexEntry.objects.all() if portal is None else IndexEntry.objects.filter(portal=portal)
    rows = list(rows)
    return {
        "initiatives": len(rows),
        "people_reached": sum(r.people_reached for r in rows),
        "volunteers": sum(r.volunteers for r in rows),
        "paid_staff": sum(r.paid_staff for r in rows),
    }


def _shown(totals) -> dict:
    return {key: totals[key] for key in ("initiatives", "people_reached", "volunteers", "paid_staff")}


def test_a_regional_state_of_the_region_counts_only_its_own_area(spread, zeeland, national, client_for):
    # Given initiatives in Zeeland, Rotterdam and on the national portal (spread)
    own = _own_figures(zeeland)
    assert 0 < own["initiatives"] < _own_figures()["initiatives"]
    # When Zeeland's "stand van de regio" is opened
    response = client_for(zeeland).get("/stand-van-het-land/")
    # Then its figures, its portal table and its province table hold only Zeeland's initiatives
    assert "Maatschappelijke stand van de regio" in response.content.decode()
    assert _shown(response.context["totals"]) == own
    figures = response.context["figures"]
    assert [r["name"] for r in figures["portals"].values()] == ["MAEX Zeeland"]
    assert [r["name"] for r in figures["provinces"].values()] == ["Zeeland"]
    assert figures["provinces"]["PV29"]["initiatives"] == own["initiatives"]
    # while the national page counts the whole country
    national_page = client_for(national).get("/stand-van-het-land/")
    assert _shown(national_page.context["totals"]) == _own_figures()


def test_a_regional_home_page_shows_key_figures_of_its_own_area(spread, zeeland, rotterdam, national, client_for):
    for portal in (zeeland, rotterdam):
        response = client_for(portal).get("/")
        assert _shown(response.context["totals"]) == _own_figures(portal), portal.schema_name
        assert f"<strong>{_own_figures(portal)['initiatives']}</strong>" in response.content.decode()
    assert _shown(client_for(national).get("/").context["totals"]) == _own_figures()


def test_a_municipality_of_an_inactive_portal_is_served_by_the_national_portal(national, denhaag, client_for):
    from portals.services import update_portal
    from tests.support import DEN_HAAG

    # Given Den Haag's portal switched off
    update_portal(denhaag, name=denhaag.name, kind=denhaag.kind, is_active=False, review_required=True)
    # When someone registers an initiative in Den Haag
    initiative, home = add(DEN_HAAG, "Lijsttest Den Haag")
    # Then it lives on the national portal, which lists it with a link to itself and counts it
    assert home.schema_name == "landelijk"
    with schema_context("denhaag"):
        from initiatives.models import Initiative

        assert not Initiative.objects.filter(uuid=initiative.uuid).exists()
    found = links(client_for(national).get("/initiatieven/", {"q": "Lijsttest"}))
    assert found == {"Lijsttest Den Haag": national.absolute_url(f"/initiatieven/{initiative.slug}/")}
    assert client_for(national).get(f"/initiatieven/{initiative.slug}/").status_code == 200
    assert _shown(client_for(national).get("/stand-van-het-land/").context["totals"]) == _own_figures()
    # and Den Haag's own host serves nothing
    assert client_for(denhaag).get("/initiatieven/").status_code == 404
