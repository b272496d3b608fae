"""One source of truth (docs/decisions/0034-the-full-stand-van-het-land.md): for the same area, the Stand page,
``/api/v1/figures``, the Stand's CSV and the map give the same numbers, euro rule included."""

from decimal import Decimal

import pytest

from portals.open_data import cell
from tenants.models import Portal
from tests.support import ROTTERDAM, THOLEN, VLISSINGEN, figures_csv, register_with

SKIPPED = {("totals", "valued_with")}  # the API keeps its old name too; the CSV has it as price_list_version


def leaves(figures: dict) -> dict[tuple, str]:
    """Every number of a figures mapping, at (figure, breakdown, key), written as a CSV cell."""
    found = {}
    for figure, value in figures.items():
        if figure in ("area", "euro_rule"):
            continue
        for key, v in value.items():
            if (figure, key) in SKIPPED:
                continue
            if isinstance(v, dict):
                for measure, x in v.items():
                    if measure != "name":
                        found[(figure, measure, key)] = cell(x)
            else:
                found[(figure, "", key)] = cell(v)
    return found


@pytest.fixture
def spread(zeeland, rotterdam):
    # Zeeland shows euro amounts, Rotterdam hides them; one initiative is fictional (demo)
    Portal.objects.filter(schema_name="zeeland").update(show_amounts=True)
    Portal.objects.filter(schema_name="rotterdam").update(show_amounts=False)
    register_with(
        VLISSINGEN, district="Oost", needs=[("geld", False), ("kennis", True)], partners=["fonds", "gemeente"]
    )
    register_with(VLISSINGEN, district="", phase="start", needs=[("vrijwilligers", False)], is_demo=True)
    register_with(THOLEN, partners=["bedrijf"], legal_form="vereniging")
    register_with(ROTTERDAM, needs=[("geld", False)], partners=["fonds"])


@pytest.mark.parametrize("key", ["nl", "portal:zeeland", "province:PV29", f"gemeente:{VLISSINGEN}", "portal:rotterdam"])
def test_page_api_and_csv_give_the_same_numbers_for_an_area(spread, national, client_for, key):
    client = client_for(national)

    # When the page, the API and the CSV are read for the same area
    page = client.get("/stand-van-het-land/", {"gebied": key})
    api = client.get("/api/v1/figures", {"gebied": key})
    rows = client.get("/stand-van-het-land/cijfers.csv", {"gebied": key})
    assert page.status_code == api.status_code == rows.status_code == 200

    # Then every number is the same in all three, and none is missing from one of them
    from_page = leaves(page.context["figures"])
    from_api = leaves(api.json())
    from_csv = figures_csv(rows)
    assert from_page == from_api == from_csv
    assert from_csv[("totals", "", "initiatives")] != "0"
    # And the page shows its headline count
    assert f"<strong>{from_csv[('totals', '', 'initiatives')]}</strong>" in page.content.decode()


def test_an_area_that_hides_euros_has_no_euro_in_any_of_the_three(spread, national, client_for):
    client = client_for(national)
    api = client.get("/api/v1/figures", {"gebied": "portal:rotterdam"}).json()
    rows = figures_csv(client.get("/stand-van-het-land/cijfers.csv", {"gebied": "portal:rotterdam"}))
    page = client.get("/stand-van-het-land/", {"gebied": "portal:rotterdam"}).content.decode()

    assert api["totals"]["social_value"] is None
    assert {v["social_value"] for v in api["domains"].values()} == {None}
    assert {
        v
        for (figure, measure, _k), v in rows.items()
        if measure == "social_value" or figure == "totals" and _k == "social_value"
    } == {""}
    assert "€" not in page and "niet openbaar" in page


def test_the_csv_and_the_api_answer_a_conditional_get_with_304_until_the_index_changes(zeeland, national, client_for):
    register_with(VLISSINGEN)
    client = client_for(national)
    for path in ("/stand-van-het-land/cijfers.csv", "/api/v1/figures"):
        first = client.get(path, {"gebied": "portal:zeeland"})
        assert first.status_code == 200 and first["ETag"] and first["Last-Modified"], path
        again = client.get(path, {"gebied": "portal:zeeland"}, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304, path
    # When an initiative is added, the old tag no longer matches and the new figures come
    tag = client.get("/stand-van-het-land/cijfers.csv", {"gebied": "portal:zeeland"})["ETag"]
    register_with(THOLEN)
    fresh = client.get("/stand-van-het-land/cijfers.csv", {"gebied": "portal:zeeland"}, HTTP_IF_NONE_MATCH=tag)
    assert fresh.status_code == 200 and figures_csv(fresh)[("totals", "", "initiatives")] == "2"


def _number(value) -> Decimal | None:
    """A euro amount as a number (the map keeps cents, the API the precision of the sum), None where not public."""
    return None if value is None else Decimal(value)


@pytest.mark.parametrize(("figure", "sdg"), [("initiatieven", None), ("waarde", None), ("sdg", 3)])
def test_the_map_gives_each_municipality_the_numbers_of_its_stand(spread, national, client_for, figure, sdg):
    client = client_for(national)

    # When the national map is drawn by a figure
    params = {"figuur": figure} | ({"sdg": sdg} if sdg else {})
    rows = client.get("/kaart/", params).context["map"]["rows"]
    by_code = {r["code"]: r for r in rows}

    # Then every municipality with initiatives has the number its Stand (through the API) has
    shown = [r for r in rows if r["initiatives"]]
    assert {r["code"] for r in shown} == {VLISSINGEN, THOLEN, ROTTERDAM}
    for code in (VLISSINGEN, THOLEN, ROTTERDAM):
        stand = client.get("/api/v1/figures", {"gebied": f"gemeente:{code}"}).json()
        assert by_code[code]["initiatives"] == stand["totals"]["initiatives"], code
        if figure == "waarde":
            assert _number(by_code[code]["value"]) == _number(stand["totals"]["social_value"]), code
        if figure == "sdg":
            public = stand["totals"]["social_value"] is not None
            expected = stand["sdgs"].get(str(sdg), {"social_value": 0 if public else None})["social_value"]
            assert _number(by_code[code]["value"]) == _number(expected), code
    # And the map's municipalities add up to the country's Stand
    country = client.get("/api/v1/figures", {"gebied": "nl"}).json()
    assert sum(r["initiatives"] for r in rows) == country["totals"]["initiatives"]
