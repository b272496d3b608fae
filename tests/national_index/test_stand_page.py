"""The full Stand van het Land page (/stand-van-het-land/?gebied=, docs/decisions/0034): every section for an area,
labels of the profile's choices, accessible charts with their tables, bad input, the demodata notice and its
query count."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.support import ROTTERDAM, THOLEN, VLISSINGEN, register, register_with


def test_a_municipality_shows_every_section_with_the_names_of_the_kinds(zeeland, national, client_for):
    # Given two initiatives in Vlissingen, one in a named district
    register_with(VLISSINGEN, district="Oost-Souburg", needs=[("media", False), ("geld", True)], partners=["fonds"])
    register_with(VLISSINGEN, district="", legal_form="vereniging", founding_year=1994)

    # When the Stand of Vlissingen is opened
    response = client_for(national).get("/stand-van-het-land/", {"gebied": f"gemeente:{VLISSINGEN}"})
    html = response.content.decode()

    # Then it is Vlissingen's, with the kinds named as the profile names them
    assert response.status_code == 200 and response.context["area"].key == f"gemeente:{VLISSINGEN}"
    assert "{#" not in html and "{%" not in html  # no template comment or tag shows as text
    assert response.context["figures"]["totals"]["initiatives"] == 2
    for label in ("Media-aandacht", "Fonds", "Vereniging", "1990–1999", "Subsidie", "Wijk of kern", "Oost-Souburg"):
        assert label in html, label
    assert "Niet opgegeven" in html  # the district one did not state
    # And every chart is an image with a title and a description, with a table behind it
    svgs = re.findall(r"<svg role=\"img\" aria-labelledby=\"([^\"]+)\"", html)
    assert len(svgs) >= 7
    for ids in svgs:
        for id_ in ids.split():
            assert f'id="{id_}"' in html
    assert html.count("<table") >= len(svgs)
    # And the chosen area is selected in the form, which works without script
    assert f'<option value="gemeente:{VLISSINGEN}" selected>' in html
    # And the municipality has no per-portal table
    assert "Per portaal" not in html


@pytest.mark.parametrize("given", ["bla", "gemeente:GM9999", "province:", "x" * 500, "portal:rotterdam"])
def test_an_unknown_or_foreign_area_gets_a_dutch_message_and_the_portals_own_figures(zeeland, client_for, given):
    register(code=VLISSINGEN)
    response = client_for(zeeland).get("/stand-van-het-land/", {"gebied": given})
    assert response.status_code == 400
    assert response.context["area"].key == "portal:zeeland"
    assert "Hieronder staan de cijfers van MAEX Zeeland" in response.content.decode()
    assert response.context["figures"]["totals"]["initiatives"] >= 1
    # And its CSV refuses the same key with the same reason
    csv = client_for(zeeland).get("/stand-van-het-land/cijfers.csv", {"gebied": given})
    assert csv.status_code == 400 and "Hieronder staan de cijfers" in csv.content.decode()


def test_a_regional_portal_offers_its_own_area_and_its_municipalities(zeeland, client_for):
    response = client_for(zeeland).get("/stand-van-het-land/", {"gebied": f"gemeente:{THOLEN}"})
    assert response.status_code == 200
    keys = [k for _group, options in response.context["choices"] for k, _name in options]
    assert "portal:zeeland" in keys and f"gemeente:{THOLEN}" in keys and "nl" not in keys


DEMO = "Deze cijfers bevatten demodata: 1 van de 3 initiatieven is fictief."
COLUMN_DEMO = "Let op: 1 van de 3 initiatieven is fictief (demodata)."  # per area, on the comparison and the report
VLISSINGEN_DEMO = "Let op: 1 van de 2 initiatieven is fictief (demodata)."


def test_demodata_are_announced_wherever_their_figures_show(zeeland, client_for):
    # Given three initiatives in Zeeland, without demo data
    register(code=VLISSINGEN)
    register(code=THOLEN)
    paths = [
        "/",
        "/initiatieven/",
        "/waardenweb/",
        "/stand-van-het-land/",
        "/kaart/",
        "/vergelijk/gebieden/?gebied=portal:zeeland",
        f"/rapport/gemeente:{VLISSINGEN}/",
    ]
    for path in paths:
        assert "demodata" not in client_for(zeeland).get(path).content.decode(), path
    # When a fictional initiative joins
    register_with(VLISSINGEN, is_demo=True)
    # Then every page with figures says how many of them are fictional (the graadmeter from its next take on)
    for path in paths:
        html = client_for(zeeland).get(path).content.decode()
        assert DEMO in html or COLUMN_DEMO in html or VLISSINGEN_DEMO in html, path
    # And the API says it too
    api = client_for(zeeland).get("/api/v1/totals", {"portal": "zeeland"}).json()
    assert api["national"]["demo_initiatives"] == 1 and api["portals"][0]["demo_initiatives"] == 1


def _queries(client, path, params):
    connection.set_schema_to_public()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, params)
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries], response


@pytest.mark.parametrize("gebied", ["", "province:PV29", f"gemeente:{VLISSINGEN}"])
def test_a_warm_stand_reads_its_figures_from_one_cache_entry(national, zeeland, client_for, gebied):
    client = client_for(national)
    for code in (VLISSINGEN, THOLEN, ROTTERDAM):
        register(code=code)
    client.get("/stand-van-het-land/", {"gebied": gebied})  # the host lookup, the figures computed and cached
    few, _ = _queries(client, "/stand-van-het-land/", {"gebied": gebied})
    for code in (VLISSINGEN, THOLEN, ROTTERDAM) * 3:
        register(code=code)
    client.get("/stand-van-het-land/", {"gebied": gebied})
    many, response = _queries(client, "/stand-van-het-land/", {"gebied": gebied})
    # Then the page does not read the index at all when warm, and its query count does not grow
    assert not [q for q in many if "national_index_indexentry" in q]
    assert len(many) == len(few) <= 12, many
    assert response.context["figures"]["totals"]["initiatives"] > 3


def test_after_a_change_the_page_shows_the_new_figures(zeeland, client_for):
    # Nothing is cleared by hand: the index version moves the cache key
    register(code=VLISSINGEN)
    before = client_for(zeeland).get("/stand-van-het-land/").context["figures"]["totals"]["initiatives"]
    register(code=THOLEN)
    after = client_for(zeeland).get("/stand-van-het-land/").context["figures"]["totals"]["initiatives"]
    assert after == before + 1


def test_an_initiative_item_states_its_price_list_version_and_examples_under_the_euro_rule(
    zeeland, rotterdam, national, client_for
):
    from tenants.models import Portal

    Portal.objects.filter(schema_name="zeeland").update(show_amounts=True)
    Portal.objects.filter(schema_name="rotterdam").update(show_amounts=False)
    shown, _ = register(code=VLISSINGEN)
    hidden, _ = register(code=ROTTERDAM)
    client = client_for(national)
    item = client.get(f"/api/v1/initiatives/{shown.uuid}").json()
    assert item["price_list_version"] == item["valued_with"] and item["uses_examples"] in (True, False)
    item = client.get(f"/api/v1/initiatives/{hidden.uuid}").json()
    assert item["price_list_version"] is None and item["uses_examples"] is None and item["valued_with"]
    totals = client.get("/api/v1/totals").json()["national"]
    assert totals["price_list_version"] == totals["valued_with"]
    for name in ("uses_examples", "demo_initiatives", "paid_fte", "deliveries"):
        assert name in totals, name


def test_the_stand_leads_to_the_report_the_comparison_and_the_map_of_the_same_area(zeeland, client_for):
    # Given the Stand of a municipality on a regional portal
    register(code=VLISSINGEN)
    key = f"gemeente:{VLISSINGEN}"
    html = client_for(zeeland).get("/stand-van-het-land/", {"gebied": key}).content.decode()

    # Then it links the printable report and the comparison of that area, and the map
    assert f'href="/rapport/{key}/"' in html
    assert f'href="/vergelijk/gebieden/?gebied=gemeente%3A{VLISSINGEN}"' in html
    assert 'href="/kaart/"' in html
    # And the comparison it leads to opens with that area chosen in its first select
    compare = client_for(zeeland).get("/vergelijk/gebieden/", {"gebied": key}).content.decode()
    first = compare.split('id="gebied-1"')[1].split("</select>")[0]
    assert f'<option value="{key}" selected>' in first
    second = compare.split('id="gebied-2"')[1].split("</select>")[0]
    assert " selected>" not in second


@pytest.mark.parametrize("path", ["/stand-van-het-land/", "/graadmeter/", "/graadmeter/methode/", "/kaart/"])
def test_the_figures_pages_only_read(national, client_for, path):
    client = client_for(national)
    assert client.head(path).status_code == 200
    assert client.post(path).status_code == 405


def test_after_the_warming_the_unfiltered_totals_read_no_index_on_any_host(national, zeeland, client_for):
    from national_index import figures

    # Given initiatives and the figures warmed after the change, as the worker does
    for code in (VLISSINGEN, ROTTERDAM):
        register(code=code)
    figures.warm()
    for portal in (national, zeeland):
        client = client_for(portal)
        client.get("/robots.txt")  # the host lookup, once per process
        # When a first reader asks for the unfiltered totals on this host
        queries, response = _queries(client, "/api/v1/totals", {})
        # Then they come from the warmed entry: no aggregate over the index
        assert not [q for q in queries if "national_index_indexentry" in q], queries
        assert response.json()["national"]["initiatives"] >= 2
