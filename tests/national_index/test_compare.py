"""Areas side by side (/vergelijk/gebieden/, portals/compare.py, docs/decisions/0036-areas-side-by-side-and-reports.md):
each column is the figures of its area, as the Stand van het Land reads them; bad choices get a message; a regional
portal compares only its own area and municipalities; per-inhabitant figures only with a population; the euro
rule holds; the queries do not grow with the number of initiatives."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from geo.models import Municipality
from initiatives import services
from national_index import areas, figures
from national_index.models import IndexEntry
from tenants.middleware import forget_host
from tenants.models import Portal
from tests.support import AMSTERDAM, ROTTERDAM, THOLEN, VLISSINGEN, count_queries, make_user, profile, register

PATH = "/vergelijk/gebieden/"
EURO = "€"


def _show_amounts(*schemas):
    """These portals show euro amounts, every other portal hides them."""
    Portal.objects.filter(schema_name__in=schemas).update(show_amounts=True)
    Portal.objects.exclude(schema_name__in=schemas).update(show_amounts=False)
    for portal in Portal.objects.with_domains():
        for domain in portal.domains.all():
            forget_host(domain.domain)


def _url(*keys) -> str:
    return PATH + "?" + "&".join(f"gebied={k}" for k in keys)


def _body(response) -> str:
    assert response.status_code == 200
    return response.content.decode().split("</header>", 1)[1]


def _selected(html: str) -> list[str]:
    return re.findall(r'<option value="([^"]+)" selected>', html)


def test_each_column_shows_exactly_the_figures_of_its_area(national, client_for):
    # Given initiatives in Zeeland, Rotterdam and Amsterdam
    _show_amounts("zeeland", "landelijk")
    register(code=VLISSINGEN, district="Oost")
    register(code=THOLEN)
    register(code=ROTTERDAM)
    register(code=AMSTERDAM)
    keys = ["nl", "portal:zeeland", f"gemeente:{VLISSINGEN}", "province:PV27"]

    # When the national portal compares four areas
    response = client_for(national).get(_url(*keys))

    # Then each column is the area's figures, the one definition of the Stand van het Land
    columns = response.context["columns"]
    assert [c["key"] for c in columns] == keys
    for c in columns:
        assert c["figures"] == figures.area_figures(areas.parse(c["key"]).filter), c["key"]
    # And the page shows each area's initiatives in its column, in order
    html = _body(response)
    row = re.search(r"Initiatieven</th>(.*?)</tr>", html, re.S).group(1)
    assert re.findall(r'<td class="num">(\d+)</td>', row) == [
        str(c["figures"]["totals"]["initiatives"]) for c in columns
    ]
    # And the municipality's districts are broken down, and every area links to its report
    assert "Wijken en kernen van Vlissingen" in html and "Oost" in html
    for key in keys:
        assert f'href="/rapport/{key}/"' in html
    # And the form keeps the four choices
    assert _selected(html) == keys


def test_more_than_four_duplicates_and_unknown_keys_get_a_message_and_the_valid_choices_stay(national, client_for):
    # Given a query string with a duplicate, two unknown keys and more than four valid areas
    keys = [
        "portal:zeeland",
        "portal:zeeland",
        "gemeente:GM9999",
        "<script>alert(1)</script>",
        "nl",
        f"gemeente:{VLISSINGEN}",
        "province:PV29",
        f"gemeente:{ROTTERDAM}",
    ]

    # When it is asked for
    response = client_for(national).get(_url(*keys))

    # Then the page answers with a message for each, in Dutch, and shows the first four valid areas
    html = _body(response)
    assert [c["key"] for c in response.context["columns"]] == [
        "portal:zeeland",
        "nl",
        f"gemeente:{VLISSINGEN}",
        "province:PV29",
    ]
    problems = response.context["problems"]
    assert any("meer dan eens gekozen" in p for p in problems)
    assert any("GM9999" in p and "geen bekend gebied" in p for p in problems)
    assert any("hooguit 4 gebieden" in p for p in problems)
    assert 'role="alert"' in html and "<script>alert(1)</script>" not in html
    assert _selected(html) == ["portal:zeeland", "nl", f"gemeente:{VLISSINGEN}", "province:PV29"]


def test_a_page_without_choices_shows_the_form(national, client_for):
    html = _body(client_for(national).get(PATH))
    assert html.count('name="gebied"') == 4 and "Kies hierboven" in html
    assert _selected(html) == []


def test_a_regional_portal_compares_only_its_own_area_and_its_municipalities(zeeland, client_for):
    # Given Rotterdam has an initiative
    register(code=ROTTERDAM, name="Rotterdams Buurtinitiatief")
    register(code=VLISSINGEN)

    # When Zeeland's portal is asked for Rotterdam, the country and a province next to its own areas
    keys = ["portal:zeeland", "portal:rotterdam", "nl", "province:PV28", f"gemeente:{ROTTERDAM}", f"gemeente:{THOLEN}"]
    response = client_for(zeeland).get(_url(*keys))

    # Then it shows only its own area and its municipality, with a message for each of the others
    html = _body(response)
    assert [c["key"] for c in response.context["columns"]] == ["portal:zeeland", f"gemeente:{THOLEN}"]
    assert sum("valt buiten dit portaal" in p for p in response.context["problems"]) == 4
    # And nothing of Rotterdam's figures is on the page, nor any other area among its choices
    options = re.findall(r'<option value="([^"]*)"', html)
    assert set(options) - {""} == {"portal:zeeland", f"gemeente:{VLISSINGEN}", f"gemeente:{THOLEN}", "gemeente:GM0687"}
    assert 'href="/rapport/portal:rotterdam/' not in html


def test_per_inhabitant_figures_only_where_the_population_is_known(national, client_for):
    # Given two initiatives in Vlissingen (public euros) and one in Tholen
    _show_amounts("zeeland")
    register(code=VLISSINGEN, people_reached=300)
    register(code=VLISSINGEN, people_reached=100)
    register(code=THOLEN)
    # And CBS population figures for Vlissingen only (as ``import_cbs_population`` stores them)
    Municipality.objects.update(population=None)
    Municipality.objects.filter(cbs_code=VLISSINGEN).update(population=40_000, population_year=2025)

    # When both are compared
    response = client_for(national).get(_url(f"gemeente:{VLISSINGEN}", f"gemeente:{THOLEN}"))

    # Then Vlissingen has figures per 10,000 inhabitants and its value per inhabitant, Tholen says it has none
    vlissingen, tholen = response.context["columns"]
    totals = vlissingen["totals"]
    assert vlissingen["per"]["initiatives"] == Decimal("0.5")  # 2 per 40,000 inhabitants
    assert vlissingen["per"]["people_reached"] == Decimal(100)  # 400 per 40,000 inhabitants
    assert vlissingen["per"]["social_value"] == (totals["social_value"] / 40_000).quantize(
        Decimal("0.01"), ROUND_HALF_UP
    )
    assert tholen["per"] is None
    html = _body(response)
    row = re.search(r"Initiatieven per 10.000 inwoners</th>(.*?)</tr>", html, re.S).group(1)
    assert "0,5" in row and "geen inwonertal bekend" in row
    assert "40.000" in html


def test_without_any_population_the_per_inhabitant_figures_say_so(national, client_for):
    register(code=VLISSINGEN)
    response = client_for(national).get(_url(f"gemeente:{VLISSINGEN}"))
    assert response.context["columns"][0]["per"] is None
    assert "geen inwonertal bekend" in _body(response)


def test_a_portal_that_hides_amounts_shows_no_euro_in_the_comparison(national, client_for):
    # Given Rotterdam hides euro amounts and has initiatives with a value
    _show_amounts("zeeland")
    initiative, _ = register(code=ROTTERDAM)
    register(code=ROTTERDAM)
    assert initiative.social_value > 0

    # When Rotterdam's portal and municipality are compared
    response = client_for(national).get(_url("portal:rotterdam", f"gemeente:{ROTTERDAM}"))

    # Then no euro amount is on the page, the value is "niet openbaar", and the shapes are shown in percent
    html = _body(response)
    assert EURO not in html
    assert "niet openbaar" in html
    assert response.context["amounts"] is None
    assert re.search(r'class="num">\d+%', html)

    # And next to an area that shows amounts, the euros of that area are shown, none of Rotterdam's
    mixed = client_for(national).get(_url("portal:zeeland", "portal:rotterdam"))
    assert "niet openbaar" in _body(mixed) and mixed.context["amounts"] is None


def test_a_notice_says_where_demo_initiatives_count(national, client_for):
    # Given a demo initiative and a real one in Vlissingen, and a real one in Rotterdam
    given = profile(VLISSINGEN)
    demo, portal = services.register_initiative(owner=make_user(), profile=given, is_demo=True)
    if not demo.is_published:
        with schema_context(portal.schema_name):
            services.publish(demo, portal)
    register(code=VLISSINGEN)
    register(code=ROTTERDAM)

    # When both municipalities are compared
    html = _body(client_for(national).get(_url(f"gemeente:{VLISSINGEN}", f"gemeente:{ROTTERDAM}")))

    # Then the page says one of Vlissingen's two initiatives is fictional, and nothing of Rotterdam
    assert html.count("fictief (demodata)") == 1
    assert "1 van de 2 initiatieven is fictief" in html


def test_the_example_value_notice_follows_the_figures(national, client_for):
    # Given an initiative with public euros, valued with the current price list
    _show_amounts("zeeland")
    register(code=VLISSINGEN)
    uses_examples = IndexEntry.objects.filter(municipality__cbs_code=VLISSINGEN, uses_examples=True).exists()

    # Then the comparison names example values exactly where they contribute to the area's public euros
    response = client_for(national).get(_url(f"gemeente:{VLISSINGEN}"))
    assert response.context["columns"][0]["totals"]["uses_examples"] is uses_examples
    assert ("voorbeeldwaarden zonder citeerbare bron" in _body(response)) is uses_examples


def test_the_queries_do_not_grow_with_the_initiatives_and_the_figures_come_from_the_cache(national, client_for):
    client = client_for(national)
    path = _url("nl", "portal:zeeland", f"gemeente:{VLISSINGEN}", f"gemeente:{ROTTERDAM}")
    table = IndexEntry._meta.db_table

    def add(n):
        for _ in range(n):
            register(code=VLISSINGEN, district="Noord")
            register(code=ROTTERDAM)

    add(1)
    client.get(path)
    few, _ = count_queries(client, path)
    add(4)
    client.get(path)  # the index changed: the figures are computed once more
    many, _ = count_queries(client, path)
    assert many == few, f"{few} queries with 2 initiatives, {many} with 10"
    assert many <= 25
    # And once computed the figures come from the cache: a second request reads no index row
    connection.set_schema_to_public()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    assert not [q for q in ctx.captured_queries if table in q["sql"]]


def test_the_page_works_without_javascript(national, client_for):
    html = client_for(national).get(_url("nl")).content.decode()
    assert "<script" not in html
    assert re.search(r'<form method="get" action="/vergelijk/gebieden/"', html)
    assert re.search(r"<svg role=\"img\"", html)  # the charts are SVG drawn on the server


def test_an_area_has_inhabitants_only_when_every_municipality_has_them(zeeland):
    # Given population figures for two of Zeeland's three covered municipalities
    Municipality.objects.update(population=None)
    Municipality.objects.filter(cbs_code__in=[VLISSINGEN, THOLEN]).update(population=10_000)
    portal = areas.parse("portal:zeeland")
    assert portal is not None

    # Then the portal's area has no inhabitants (a partial sum would inflate every per-inhabitant figure)
    assert areas.inhabitants(portal) is None
    assert areas.inhabitants(areas.parse(f"gemeente:{VLISSINGEN}")) == 10_000

    # And once the third is known, the portal's area has their sum
    covered = list(areas.municipalities(portal).values_list("cbs_code", flat=True))
    Municipality.objects.filter(cbs_code__in=covered).update(population=10_000)
    assert areas.inhabitants(portal) == 10_000 * len(covered)
