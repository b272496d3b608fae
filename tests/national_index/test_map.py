"""/kaart/: the municipalities of the portal's area coloured by a chosen figure, with the numbers in a table; euro
figures by the one euro rule (docs/decisions/0020-one-euro-rule-pages-and-api.md, 0033-municipality-map.md)."""

import re
from decimal import Decimal

import pytest
from django.db.models import Sum

from geo.models import Municipality, MunicipalityShape
from national_index import selectors
from national_index.models import IndexEntry
from tests.national_index.test_euro_rule import _show_amounts
from tests.support import MIDDELBURG, ROTTERDAM, THOLEN, VLISSINGEN, count_queries, make_user, register


@pytest.fixture
def shapes(db):
    """The boundaries the platform ships (geo/data/municipality_shapes.csv, loaded by a migration)."""
    assert MunicipalityShape.objects.count() == Municipality.objects.count() == 342


def _paths(html: str) -> dict[str, str]:
    """data-code -> the path's own <title> text."""
    return dict(
        re.findall(
            r'<path d="[^"]*" fill="[^"]*" vector-effect="non-scaling-stroke" '
            r'data-code="(GM\d{4})"><title>([^<]*)</title>',
            html,
        )
    )


def _row(html: str, name: str) -> list[str]:
    match = re.search(rf'<tr><th scope="row">{re.escape(name)}</th>(.*?)</tr>', html)
    assert match, name
    return [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", match.group(1))]


def test_the_national_map_draws_every_municipality_with_a_shape_and_counts_initiatives(shapes, national, client_for):
    # Given two initiatives in Vlissingen and one in Rotterdam
    owner = make_user()
    register(owner, VLISSINGEN)
    register(owner, VLISSINGEN)
    register(owner, ROTTERDAM)

    # When a visitor opens the national map
    response = client_for(national).get("/kaart/")
    html = response.content.decode()

    # Then it is an accessible SVG with one titled path per municipality of the country, and no script
    assert response.status_code == 200
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="kaart-title kaart-desc"' in html
    assert '<title id="kaart-title">' in html and '<desc id="kaart-desc">' in html
    assert "<script" not in html.split("</header>", 1)[1]
    paths = _paths(html)
    assert len(paths) == Municipality.objects.count()
    assert paths[VLISSINGEN] == "Vlissingen: 2" and paths[MIDDELBURG] == "Middelburg (Z.): 0"
    # And the table lists every municipality of the country, those without a shape too
    assert html.count('<tr><th scope="row">') == Municipality.objects.count()
    assert _row(html, "Vlissingen")[1] == "2" and _row(html, "Rotterdam")[1] == "1"
    # And the legend names the classes
    assert 'class="legend map-legend"' in html


def test_a_regional_map_draws_only_the_municipalities_of_its_area(shapes, zeeland, client_for):
    register(make_user(), VLISSINGEN)

    html = client_for(zeeland).get("/kaart/").content.decode()

    assert sorted(_paths(html)) == sorted([VLISSINGEN, MIDDELBURG, THOLEN])  # Zeeland covers three, not Rotterdam
    assert html.count('<tr><th scope="row">') == 3


def test_euros_show_only_where_the_portal_shows_amounts_and_say_not_public_elsewhere(shapes, national, client_for):
    # Given Zeeland shows euro amounts and Rotterdam hides them, each with a published initiative
    _show_amounts("zeeland")
    register(make_user(), VLISSINGEN)
    register(make_user(), ROTTERDAM)
    hidden = IndexEntry.objects.get(municipality__cbs_code=ROTTERDAM).social_value
    assert hidden > 0

    # When the national map is coloured by social value
    html = client_for(national).get("/kaart/", {"figuur": "waarde"}).content.decode()

    # Then Vlissingen shows the euro sum of the one source of truth, Rotterdam "niet openbaar" and no amount
    by_code = {r["municipality__cbs_code"]: r for r in selectors.totals_by_municipality()}
    shown = by_code[VLISSINGEN]["social_value"]
    assert by_code[ROTTERDAM]["social_value"] is None
    paths = _paths(html)
    assert paths[ROTTERDAM] == "Rotterdam: niet openbaar"
    assert paths[VLISSINGEN].startswith("Vlissingen: € ") and paths[VLISSINGEN] != "Vlissingen: € 0"
    assert _row(html, "Rotterdam")[2] == "niet openbaar"
    # and the hidden amount appears nowhere, however written (the shapes' path data and the theme's colours aside)
    readable = re.sub(r'<style[^>]*>.*?</style>|\sd="[^"]*"', "", html, flags=re.DOTALL)
    readable = re.sub(r"(?<=\d)[.\s\u00a0\u202f](?=\d{3})", "", readable)  # 7.000 and 7 000 read as 7000
    assert not re.search(rf"(?<!\d){hidden:.0f}(?!\d)", readable)
    assert shown > 0 and "niet openbaar" in html and 'id="euro-rule"' in html


def test_the_sdg_figure_is_the_public_value_of_that_sdg(shapes, national, client_for):
    _show_amounts("zeeland")
    initiative, _ = register(make_user(), VLISSINGEN)
    entry = IndexEntry.objects.get(uuid=initiative.uuid)
    sdg = int(next(iter(entry.value_by_sdg)))
    expected = Decimal(entry.value_by_sdg[str(sdg)])

    assert selectors.sdg_value_by_municipality(sdg)[VLISSINGEN] == expected
    html = client_for(national).get("/kaart/", {"figuur": "sdg", "sdg": sdg}).content.decode()
    assert f"SDG {sdg}" in html
    assert _paths(html)[VLISSINGEN] != "Vlissingen: € 0"


@pytest.mark.parametrize(
    "params", [{"figuur": "sdg"}, {"figuur": "sdg", "sdg": "18"}, {"figuur": "<script>"}, {"sorteer": "x"}]
)
def test_bad_choices_get_a_message_and_the_default_map(shapes, national, client_for, params):
    response = client_for(national).get("/kaart/", params)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="errorlist"' in html and "<script>" not in html.split("</header>", 1)[1]
    assert _paths(html)  # the default map still shows


def test_initiatives_per_10000_inhabitants_use_the_cbs_population_where_known(shapes, national, client_for):
    Municipality.objects.filter(cbs_code=VLISSINGEN).update(population=40000, population_year=2025)
    Municipality.objects.filter(cbs_code=MIDDELBURG).update(population=None, population_year=None)
    register(make_user(), VLISSINGEN)
    register(make_user(), VLISSINGEN)

    html = client_for(national).get("/kaart/", {"figuur": "per-10000"}).content.decode()

    paths = _paths(html)
    assert paths[VLISSINGEN] == "Vlissingen: 0,5"  # 2 per 40 000 inhabitants
    assert paths[MIDDELBURG] == "Middelburg (Z.): inwonertal onbekend"
    assert "Inwoners op 1 januari 2025. Bron: CBS" in html


def _names(html: str) -> list[str]:
    return re.findall(r'<tr><th scope="row">([^<]*)</th>', html.split("<tbody>", 1)[1])


def test_sorting_by_figure_puts_the_highest_first(shapes, national, client_for):
    register(make_user(), ROTTERDAM)
    client = client_for(national)
    assert _names(client.get("/kaart/", {"sorteer": "cijfer"}).content.decode())[0] == "Rotterdam"
    # and by name as people read them: Den Haag under D, 's-Hertogenbosch under H
    names = _names(client.get("/kaart/").content.decode())
    assert names[0] == "Aa en Hunze"
    assert names.index("Delft") < names.index("Den Haag (&#x27;s-Gravenhage)") < names.index("Den Helder")
    assert names.index("Hengelo (O.)") < names.index("&#x27;s-Hertogenbosch") < names.index("Heumen")


def test_the_municipality_totals_add_up_to_the_national_totals(db):
    _show_amounts("zeeland")
    for code in (VLISSINGEN, THOLEN, ROTTERDAM):
        register(make_user(), code)
    rows = selectors.totals_by_municipality()
    national = selectors.totals()
    assert sum(r["initiatives"] for r in rows) == national["initiatives"]
    assert sum(r["social_value"] or 0 for r in rows) == national["social_value"]
    public = IndexEntry.objects.filter(portal__show_amounts=True).aggregate(v=Sum("social_value"))["v"]
    assert national["social_value"] == public


@pytest.mark.parametrize("portal_name", ["national", "zeeland"])
def test_the_map_queries_do_not_grow_with_the_number_of_initiatives(shapes, portal_name, request, client_for):
    client = client_for(request.getfixturevalue(portal_name))
    owner = make_user()
    register(owner, VLISSINGEN)
    client.get("/kaart/?figuur=waarde")  # warm up: the host lookup, once-per-process caches, the map's cache
    few, before = count_queries(client, "/kaart/?figuur=waarde")
    for code in (VLISSINGEN, THOLEN, MIDDELBURG, VLISSINGEN):
        register(owner, code)
    client.get("/kaart/?figuur=waarde")  # computed again after the change, then cached
    many, after = count_queries(client, "/kaart/?figuur=waarde")
    assert after.content != before.content
    assert many == few and 0 < many <= 6, f"{few} queries before, {many} after"
    # And a cache miss is bounded too: the figures, the municipalities with their shapes, and the versions
    client.get("/kaart/?figuur=sdg&sdg=3")
    miss, _ = count_queries(client, "/kaart/?figuur=sdg&sdg=4")
    assert miss <= few + 4


def test_euros_per_inhabitant_divide_the_public_sum_by_the_cbs_population(shapes, national, client_for):
    _show_amounts("zeeland")
    Municipality.objects.filter(cbs_code=VLISSINGEN).update(population=40000, population_year=2025)
    register(make_user(), VLISSINGEN)
    value = selectors.totals_by_municipality()[0]["social_value"]

    html = client_for(national).get("/kaart/", {"figuur": "waarde"}).content.decode()

    cells = _row(html, "Vlissingen")
    assert cells[0] == "40.000" and cells[1] == "1"
    expected = f"{(value / 40000):.2f}".replace(".", ",")
    assert cells[3] == f"€ {expected}"


def test_per_inhabitant_figures_round_as_on_the_comparison(shapes, national, client_for):
    from portals.compare import per_inhabitant

    # Given Vlissingen with 45,000 inhabitants and three initiatives: 0.666... per 10,000 inhabitants
    Municipality.objects.filter(cbs_code=VLISSINGEN).update(population=45_000, population_year=2025)
    for _ in range(3):
        register(make_user(), VLISSINGEN)
    # When the map is coloured per 10,000 inhabitants
    rows = client_for(national).get("/kaart/", {"figuur": "per-10000"}).context["map"]["rows"]
    shown = next(r for r in rows if r["code"] == VLISSINGEN)["text"]
    # Then it shows the comparison's figure, rounded half up (0,7), not cut off (0,6)
    compared = per_inhabitant({"initiatives": 3, "people_reached": 0, "social_value": None}, 45_000)["initiatives"]
    assert compared == Decimal("0.7") and shown == "0,7"


@pytest.mark.parametrize(("figure", "sdg"), [("waarde", None), ("sdg", 3)])
def test_euro_maps_name_their_price_list_and_example_values_like_the_stand(shapes, national, client_for, figure, sdg):
    # Given Zeeland shows euro amounts and Vlissingen has an initiative valued with an example value of the list
    _show_amounts("zeeland")
    for _ in range(20):
        register(make_user(), VLISSINGEN)
        entry = IndexEntry.objects.filter(municipality__cbs_code=VLISSINGEN, uses_examples=True).first()
        if entry is not None:
            break
    assert entry is not None, "no profile of twenty used an example value"
    # When the map is coloured by a euro figure
    html = client_for(national).get("/kaart/", {"figuur": figure} | ({"sdg": sdg} if sdg else {})).content.decode()
    # Then it names the price list and its example values, as the Stand's headline does beside the same euros
    assert f"Berekend met prijslijst {entry.valued_with}." in html
    assert "De prijslijst bevat voorbeeldwaarden zonder citeerbare bron." in html
    # And a map of counts does not speak of euros
    assert "Berekend met prijslijst" not in client_for(national).get("/kaart/").content.decode()
