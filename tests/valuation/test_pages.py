"""The compare page (/vergelijk/) and the combined waardenweb (/waardenweb/), read from the national index."""

import math
import re
import uuid
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django_tenants.utils import schema_context

from geo.models import ValueDomain
from national_index.models import IndexEntry
from tenants.middleware import forget_host
from tenants.models import Portal
from tests.support import (
    MIDDELBURG,
    ROTTERDAM,
    THOLEN,
    VLISSINGEN,
    count_queries,
    make_user,
    profile,
    register,
    with_role,
)

pytestmark = pytest.mark.django_db
EURO = "€"


@pytest.fixture(autouse=True)
def _forget_portal_hosts(portal_specs):
    """A test that changes a portal must not leave the cached copy behind for the next test."""
    yield
    for _name, _kind, host, _codes in portal_specs.values():
        forget_host(host)


def _show_amounts(*schemas, value=True):
    Portal.objects.filter(schema_name__in=schemas).update(show_amounts=value)
    for portal in Portal.objects.filter(schema_name__in=schemas).with_domains():
        forget_host(portal.primary_host)


def _compare_url(*uuids) -> str:
    return "/vergelijk/?" + "&".join(f"i={u}" for u in uuids)


def _table(html: str, css_class: str) -> str:
    start = html.index(f'<table class="{css_class}">')
    return html[start : html.index("</table>", start)]


def _register_valued(code, activities, **fields):
    """Register and publish an initiative whose activities are exactly ``activities`` [(item code, quantity)]."""
    from initiatives import services

    p = profile(code, **fields)
    p.activities = [{"item_code": c, "quantity": Decimal(q), "description": "Test."} for c, q in activities]
    initiative, portal = services.register_initiative(owner=make_user(), profile=p)
    if not initiative.is_published:
        with schema_context(portal.schema_name):
            initiative = services.publish(initiative, portal)
    return initiative


def _expected_sums(rows) -> tuple[dict, dict, dict]:
    by_domain, contributors, by_sdg = {}, {}, {}
    for row in rows:
        for code, value in row.value_by_domain.items():
            by_domain[code] = by_domain.get(code, Decimal(0)) + Decimal(value)
            contributors[code] = contributors.get(code, 0) + (Decimal(value) > 0)
        for sdg, value in row.value_by_sdg.items():
            by_sdg[sdg] = by_sdg.get(sdg, Decimal(0)) + Decimal(value)
    return by_domain, contributors, by_sdg


# --- /vergelijk/ ----------------------------------------------------------------------------------------------


def test_compare_two_initiatives_from_different_portals(national, client_for):
    # Given an initiative in Zeeland and one in Rotterdam
    a, _ = register(code=VLISSINGEN, name="Vergelijk Vlissingen Zorg")
    b, _ = register(code=ROTTERDAM, name="Vergelijk Rotterdam Groen")

    # When the national portal compares them
    response = client_for(national).get(_compare_url(a.uuid, b.uuid))

    # Then both are shown with their link, portal and municipality, with the chart and its table
    assert response.status_code == 200
    html = response.content.decode()
    rows = _table(html, "compare-initiatives")
    for initiative, portal_name, place in [(a, "MAEX Zeeland", "Vlissingen"), (b, "MAEX Rotterdam", "Rotterdam")]:
        entry = IndexEntry.objects.get(uuid=initiative.uuid)
        assert f'<a href="{entry.url}">{entry.name}</a>' in rows
        assert portal_name in rows and place in rows
    assert "<svg" in html and "compare-shares" in html
    assert len(response.context["series"]) == 2


def test_compare_works_on_a_regional_portal_too(zeeland, client_for):
    # Given two initiatives, one outside Zeeland
    a, _ = register(code=VLISSINGEN, name="Vergelijk Regionaal Een")
    b, _ = register(code=ROTTERDAM, name="Vergelijk Regionaal Twee")

    # When Zeeland's portal compares them
    response = client_for(zeeland).get(_compare_url(a.uuid, b.uuid))

    # Then both are there: the compare page reads the national index
    assert response.status_code == 200
    assert "Vergelijk Regionaal Een" in response.content.decode()
    assert "Vergelijk Regionaal Twee" in response.content.decode()


def test_one_initiative_explains_that_two_are_needed(national, client_for):
    # Given one initiative
    a, _ = register(code=VLISSINGEN, name="Vergelijk Alleen")

    # When only it is asked for
    response = client_for(national).get(_compare_url(a.uuid))

    # Then the page explains, in Dutch, without a chart
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kies ten minste 2 initiatieven om te vergelijken" in html
    assert "Vergelijk Alleen" in _table(html, "compare-initiatives")
    assert "compare-shares" not in html


def test_no_initiatives_shows_the_explanation_and_the_form(national, client_for):
    # Given an initiative in the index
    register(code=VLISSINGEN, name="Vergelijk Kandidaat")

    # When the page is opened bare
    response = client_for(national).get("/vergelijk/")

    # Then it explains and offers the form to add initiatives
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kies ten minste 2 initiatieven" in html and 'name="q"' in html and 'id="compare-add"' in html
    assert ">Vergelijk Kandidaat · Vlissingen · MAEX Zeeland</option>" in html


def test_six_initiatives_show_the_first_five_with_an_explanation(national, client_for):
    # Given six initiatives
    owner = make_user()
    initiatives = [register(owner, VLISSINGEN, name=f"Vergelijk Zes {n}")[0] for n in range(6)]

    # When all six are asked for
    response = client_for(national).get(_compare_url(*(i.uuid for i in initiatives)))

    # Then the first five are compared and the page says why the sixth is not
    assert response.status_code == 200
    html = response.content.decode()
    assert "U kunt hooguit 5 initiatieven tegelijk vergelijken; de eerste 5 worden getoond." in html
    rows = _table(html, "compare-initiatives")
    assert all(f"Vergelijk Zes {n}<" in rows for n in range(5))
    assert "Vergelijk Zes 5<" not in rows
    assert len(response.context["series"]) == 5


def test_unknown_and_invalid_uuids_are_ignored_with_a_message(national, client_for):
    # Given two real initiatives, an unknown uuid and something that is no uuid at all
    a, _ = register(code=VLISSINGEN, name="Vergelijk Echt Een")
    b, _ = register(code=THOLEN, name="Vergelijk Echt Twee")
    unknown = uuid.uuid4()

    # When all four are asked for
    response = client_for(national).get(_compare_url(a.uuid, unknown, "onzin<script>", b.uuid))

    # Then the real two are compared and the page names what it ignored
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Initiatief “{unknown}” staat niet in de index en is genegeerd." in html
    assert "“onzin&lt;script&gt;” is geen geldige initiatief-code en is genegeerd." in html
    assert "<script>" not in html.split("</header>", 1)[1]
    assert len(response.context["series"]) == 2


def test_amounts_are_hidden_when_a_portal_keeps_them_private(national, client_for):
    # Given initiatives of Zeeland (amounts public) and Rotterdam (default: private)
    _show_amounts("zeeland")
    a, _ = register(code=VLISSINGEN, name="Vergelijk Privé Een")
    b, _ = register(code=ROTTERDAM, name="Vergelijk Privé Twee")

    # When they are compared
    response = client_for(national).get(_compare_url(a.uuid, b.uuid))

    # Then no euro amount is shown, but the share per domain in percent is
    html = response.content.decode()
    assert response.context["show_amounts"] is False
    assert EURO not in html.split("</header>", 1)[1]
    shares = _table(html, "compare-shares")
    assert "%</td>" in shares


def test_amounts_are_shown_when_every_portal_shows_them(national, client_for):
    # Given both portals show amounts publicly
    _show_amounts("zeeland", "rotterdam")
    a, _ = register(code=VLISSINGEN, name="Vergelijk Open Een")
    b, _ = register(code=ROTTERDAM, name="Vergelijk Open Twee")

    # When they are compared
    response = client_for(national).get(_compare_url(a.uuid, b.uuid))

    # Then the table shows euro amounts
    assert response.context["show_amounts"] is True
    assert f'<td class="num">{EURO} ' in response.content.decode()


def test_shares_per_domain_are_rounded_percentages_of_each_initiative(national, client_for):
    # Given two initiatives with known activities: one only care, one split over care and green
    a = _register_valued(VLISSINGEN, [("informele-zorg-uur", 100)], name="Vergelijk Aandeel Een")
    b = _register_valued(ROTTERDAM, [("informele-zorg-uur", 100), ("groenonderhoud-uur", 200)], name="Aandeel Twee")

    # When they are compared
    response = client_for(national).get(_compare_url(a.uuid, b.uuid))

    # Then the shares are 100% care, and one third care / two thirds green
    shares = {label: percents for label, percents in response.context["shares"]}
    zorg, groen = (ValueDomain.objects.get(code=c).name_nl for c in ("zorg", "groen"))
    assert shares[zorg] == [100, 33] and shares[groen] == [0, 67]


def _points(attribute: str) -> list[tuple[float, float]]:
    return [tuple(float(v) for v in pair.split(",")) for pair in attribute.split()]


def _drawn_and_tabled(html: str):
    """From the page alone: per initiative (legend and column) and per domain (axis label and row), the value the
    web draws (distance from the centre as a fraction of the outer ring, times the outer ring's value) and the
    number in the table behind it."""
    figure = BeautifulSoup(html, "html.parser").select_one("figure.chart")
    svg = figure.select_one("svg")
    centre = float(svg.select_one("line")["x1"]), float(svg.select_one("line")["y1"])
    outer = _points(svg.select("polygon.ww-ring")[-1]["points"])
    spokes = [(float(line["x2"]), float(line["y2"])) for line in svg.select("line")]
    labels = [" ".join(t.stripped_strings) for t in svg.select("text.ww-label")]
    assert [math.dist(centre, p) for p in outer] == pytest.approx([math.dist(centre, s) for s in spokes])
    ring = math.dist(centre, outer[0])
    scale = float(re.search(r"De buitenste ring staat voor (\d+)%", figure.get_text()).group(1))
    table = figure.select_one("table.compare-shares")
    names = [th.get_text() for th in table.select("thead th")][1:]
    assert names == [li.get_text().strip() for li in figure.select("ul.legend li")]
    tabled, drawn = {}, {}
    for row in table.select("tbody tr"):
        domain = row.select_one("th").get_text()
        for name, cell in zip(names, row.select("td"), strict=True):
            tabled[name, domain] = float(re.match(r"(\d+)%", cell.get_text()).group(1))
    for name, polygon in zip(names, svg.select("polygon.ww-series"), strict=True):
        points = _points(polygon["points"])
        assert len(points) == len(labels) == len(spokes)
        for domain, point, spoke in zip(labels, points, spokes, strict=True):
            fraction = math.dist(centre, point) / ring
            if fraction > 0:  # on its own domain's spoke
                direction = [(point[i] - centre[i]) / (fraction * ring) for i in (0, 1)]
                assert direction == pytest.approx([(spoke[i] - centre[i]) / ring for i in (0, 1)], abs=1e-3)
            drawn[name, domain] = fraction * scale
    return drawn, tabled


@pytest.mark.parametrize("public", [False, True], ids=["amounts private", "amounts public"])
def test_the_compare_web_draws_exactly_what_its_table_says(public, national, client_for):
    # Given three initiatives of very different size and spread, on portals that show amounts or not
    _show_amounts("zeeland", "rotterdam", value=public)
    a = _register_valued(VLISSINGEN, [("informele-zorg-uur", 10)], name="Web Klein Zorg")
    b = _register_valued(
        ROTTERDAM,
        [("informele-zorg-uur", 900), ("groenonderhoud-uur", 4000)],
        name="Web Groot Gemengd",
        volunteers=10,  # 4,900 hours a year are plausible for ten (the profile's own number varies with the order)
    )
    c = _register_valued(
        THOLEN, [("huiswerk-taal-uur", 50), ("groenonderhoud-uur", 30), ("informele-zorg-uur", 20)], name="Web Drie"
    )

    # When they are compared
    response = client_for(national).get(_compare_url(a.uuid, b.uuid, c.uuid))
    assert response.status_code == 200
    drawn, tabled = _drawn_and_tabled(response.content.decode())

    # Then for each initiative and each domain, the drawn point is the table's number
    domains = [d.name_nl for d in ValueDomain.objects.all()]
    names = ["Web Klein Zorg", "Web Groot Gemengd", "Web Drie"]
    assert set(tabled) == set(drawn) == {(n, d) for n in names for d in domains}
    assert drawn == pytest.approx(tabled, abs=0.05)
    # and the table's numbers are the shares of each initiative's own value (the small one is not dwarfed)
    shares = dict(response.context["shares"])
    assert all(tabled[name, d] == shares[d][k] for k, name in enumerate(names) for d in domains)
    assert tabled["Web Klein Zorg", ValueDomain.objects.get(code="zorg").name_nl] == 100


def test_the_compare_page_opens_without_an_error(national, client_for):
    # Given an initiative to choose from
    register(code=VLISSINGEN, name="Vergelijk Nog Niets")
    client = client_for(national)

    # When the page is opened, searched, or given one initiative: no error box, only guidance
    for path in ("/vergelijk/", "/vergelijk/?q=Nog+Niets", _compare_url(IndexEntry.objects.first().uuid)):
        html = client.get(path).content.decode()
        assert 'class="error-summary"' not in html and 'role="alert"' not in html, path
        assert "Kies ten minste 2 initiatieven om te vergelijken" in html, path

    # But a choice that cannot be used is an error, once submitted
    html = client.get(_compare_url("geen-code")).content.decode()
    assert 'class="error-summary" role="alert"' in html and "“geen-code” is geen geldige initiatief-code" in html


def test_the_add_form_lists_at_most_fifty_initiatives_matching_the_search(national, client_for):
    # Given a searchable initiative already chosen, and another to add
    a, _ = register(code=VLISSINGEN, name="Zoekbaar Gekozen")
    b, _ = register(code=THOLEN, name="Zoekbaar Kandidaat")

    # When searching for "zoekbaar" with the first one chosen
    response = client_for(national).get(_compare_url(a.uuid) + "&q=zoekbaar")

    # Then the select offers the other, not the chosen one, and keeps the chosen one in the form
    options = response.context["options"]
    assert [o.uuid for o in options] == [b.uuid]
    html = response.content.decode()
    assert f'<input type="hidden" name="i" value="{a.uuid}">' in html
    assert len(client_for(national).get("/vergelijk/").context["options"]) <= 50


# --- /waardenweb/ ---------------------------------------------------------------------------------------------


def test_combined_web_sums_the_portals_index_rows(zeeland, client_for):
    # Given three initiatives in Zeeland and one elsewhere
    owner = make_user()
    for code in (VLISSINGEN, THOLEN, VLISSINGEN):
        register(owner, code)
    register(owner, ROTTERDAM)
    rows = list(IndexEntry.objects.filter(portal=zeeland))
    by_domain, contributors, by_sdg = _expected_sums(rows)

    # When Zeeland's combined web is opened
    response = client_for(zeeland).get("/waardenweb/")

    # Then it sums Zeeland's rows only: per domain, per SDG, and counts who contributes where
    assert response.status_code == 200
    assert response.context["initiatives"] == len(rows)
    values = response.context["series"][0][1]
    assert {c: v for c, v in values.items() if v} == {c: v for c, v in by_domain.items() if v}
    assert {d["code"]: d["initiatives"] for d in response.context["overlap"] if d["initiatives"]} == {
        c: n for c, n in contributors.items() if n
    }
    assert response.context["by_sdg"] == {k: v for k, v in by_sdg.items() if v}
    assert "<svg" in response.content.decode()


def test_combined_web_narrows_to_one_municipality(zeeland, client_for):
    # Given initiatives in Vlissingen and Tholen
    owner = make_user()
    register(owner, VLISSINGEN)
    register(owner, THOLEN)
    rows = list(IndexEntry.objects.filter(portal=zeeland, municipality__cbs_code=THOLEN))
    by_domain, _, _ = _expected_sums(rows)

    # When only Tholen is chosen
    response = client_for(zeeland).get(f"/waardenweb/?gemeente={THOLEN}")

    # Then only Tholen's rows count, and both municipalities are choices
    assert response.context["initiatives"] == len(rows)
    assert {c: v for c, v in response.context["series"][0][1].items() if v} == {c: v for c, v in by_domain.items() if v}
    codes = [m.cbs_code for m in response.context["municipalities"]]
    assert VLISSINGEN in codes and THOLEN in codes and ROTTERDAM not in codes


def test_national_combined_web_covers_the_whole_country(national, client_for):
    # Given initiatives in two portals
    owner = make_user()
    register(owner, VLISSINGEN)
    register(owner, ROTTERDAM)

    # When the national combined web is opened
    response = client_for(national).get("/waardenweb/")

    # Then every index row counts
    assert response.context["initiatives"] == IndexEntry.objects.count()
    codes = [m.cbs_code for m in response.context["municipalities"]]
    assert VLISSINGEN in codes and ROTTERDAM in codes


def test_an_unknown_municipality_shows_everything_with_a_message(zeeland, client_for):
    register(code=VLISSINGEN)

    response = client_for(zeeland).get(f"/waardenweb/?gemeente={ROTTERDAM}")

    assert response.status_code == 200
    assert f"Gemeente “{ROTTERDAM}” heeft geen initiatieven in dit overzicht" in response.content.decode()
    assert response.context["initiatives"] == IndexEntry.objects.filter(portal=zeeland).count()


def test_combined_web_lists_the_gaps(zeeland, client_for):
    # Given the only initiative in Middelburg delivers care and nothing else
    _register_valued(MIDDELBURG, [("informele-zorg-uur", 100)], name="Alleen Zorg Middelburg")

    # When Middelburg's combined web is opened
    response = client_for(zeeland).get(f"/waardenweb/?gemeente={MIDDELBURG}")

    # Then every other domain is listed as a gap
    others = [d.name_nl for d in ValueDomain.objects.exclude(code="zorg")]
    assert response.context["gaps"] == others
    gaps = response.content.decode().split('<ul class="combined-gaps">', 1)[1].split("</ul>", 1)[0]
    assert all(f"<li>{name}</li>" in gaps for name in others)
    assert ValueDomain.objects.get(code="zorg").name_nl not in gaps


def test_combined_amounts_only_for_public_portals_or_editors(zeeland, client_for):
    # Given Zeeland keeps amounts private (the default) and has an editor
    register(code=VLISSINGEN)
    editor = with_role(make_user(), zeeland, "editor")

    # When a visitor and the editor look
    visitor_page = client_for(zeeland).get("/waardenweb/")
    editor_page = client_for(zeeland, editor).get("/waardenweb/")

    # Then only the editor sees euro amounts
    assert EURO not in visitor_page.content.decode().split("</header>", 1)[1]
    assert f'<td class="num">{EURO} ' in editor_page.content.decode()

    # And once Zeeland makes amounts public, visitors see them too
    _show_amounts("zeeland")
    assert f'<td class="num">{EURO} ' in client_for(zeeland).get("/waardenweb/").content.decode()


@pytest.mark.parametrize("path", ["/waardenweb/", f"/waardenweb/?gemeente={VLISSINGEN}"])
def test_combined_queries_do_not_grow_with_the_number_of_initiatives(path, zeeland, client_for):
    # Given three initiatives
    client = client_for(zeeland)
    owner = make_user()
    for i in range(3):
        register(owner, (VLISSINGEN, THOLEN)[i % 2])
    client.get(path)  # warm up: the host lookup
    few, before = count_queries(client, path)

    # When nine more are published
    for i in range(9):
        register(owner, (VLISSINGEN, THOLEN)[i % 2])
    many, after = count_queries(client, path)

    # Then the page counts them with the same number of queries
    assert after.context["initiatives"] > before.context["initiatives"]
    assert many == few, f"{few} queries with 3 initiatives, {many} with 12"
    assert many <= 15  # including the SET search_path when the schema changes


def test_compare_queries_do_not_grow_with_the_number_compared(national, client_for):
    owner = make_user()
    initiatives = [register(owner, (VLISSINGEN, ROTTERDAM)[n % 2])[0] for n in range(5)]
    client = client_for(national)
    client.get("/vergelijk/")
    two, _ = count_queries(client, _compare_url(*(i.uuid for i in initiatives[:2])))
    five, _ = count_queries(client, _compare_url(*(i.uuid for i in initiatives)))
    assert two == five
