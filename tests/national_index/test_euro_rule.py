"""One euro rule on the pages and in the API (docs/decisions/0020-one-euro-rule-pages-and-api.md): a public euro
figure counts only the initiatives whose portal shows euro amounts; the others count in every count."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.template import Context, Template
from django.template.defaultfilters import floatformat
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from national_index.models import IndexEntry
from tenants.middleware import forget_host
from tenants.models import Portal
from tests.national_index.test_query_counts import MAX_QUERIES_IN_PAGE_TREE
from tests.support import ROTTERDAM, THOLEN, VLISSINGEN, register
from valuation import services
from valuation.models import PriceItem
from valuation.selectors import current_price_list

EURO = "€"


def _body(response) -> str:
    assert response.status_code == 200
    return response.content.decode().split("</header>", 1)[1]


def _euros(amount) -> str:
    """An amount as the pages write it (Dutch, whole euros, grouped)."""
    with translation.override("nl"):
        return f"{EURO} {floatformat(Decimal(amount), '0g')}"


def _show_amounts(*schemas):
    """These portals show euro amounts, every other portal hides them."""
    Portal.objects.filter(schema_name__in=schemas).update(show_amounts=True)
    Portal.objects.exclude(schema_name__in=schemas).update(show_amounts=False)
    for portal in Portal.objects.with_domains():
        for domain in portal.domains.all():
            forget_host(domain.domain)


@pytest.fixture
def api(national, client_for):
    client = client_for(national)
    return lambda path, **params: client.get(f"/api/v1{path}", params).json()


def test_a_portal_that_hides_amounts_shows_none_on_its_pages_and_none_in_the_api(rotterdam, national, client_for, api):
    # Given Rotterdam hides euro amounts, and has a published initiative with a value
    _show_amounts("zeeland")
    initiative, _ = register(code=ROTTERDAM, name="Eurotest Verborgen")
    assert initiative.social_value > 0
    visitor = client_for(rotterdam)

    # Then none of its public pages shows a euro amount
    detail_path = api(f"/initiatives/{initiative.uuid}")["url"].split("localhost", 1)[1].split("/", 1)[1]
    for path in ("/", "/stand-van-het-land/", "/waardenweb/", f"/{detail_path}"):
        assert EURO not in _body(visitor.get(path)), path

    # And the API has none of its euros: not per initiative, not per portal, province or SDG
    item = api(f"/initiatives/{initiative.uuid}")
    assert item["social_value"] is None and item["value_by_domain"] is None and item["value_by_sdg"] is None
    totals = api("/totals", portal="rotterdam")
    assert totals["national"]["social_value"] is None
    assert totals["national"]["withheld_initiatives"] == totals["national"]["initiatives"] > 0
    assert [row["social_value"] for row in totals["portals"]] == [None]
    assert [row["social_value"] for row in totals["provinces"]] == [None]
    assert totals["sdgs"] and {row["social_value"] for row in totals["sdgs"]} == {None}
    assert "eurobedragen" in totals["euro_rule"]

    # And the national overview lists the portal with its counts, without euros
    state = client_for(national).get("/stand-van-het-land/")
    row = state.context["figures"]["portals"]["rotterdam"]
    assert row["social_value"] is None and row["initiatives"] == totals["national"]["initiatives"]


def test_a_portal_that_shows_amounts_shows_the_same_numbers_on_page_and_api(zeeland, client_for, api):
    # Given Zeeland shows euro amounts, with two published initiatives
    _show_amounts("zeeland")
    one, _ = register(code=VLISSINGEN, name="Eurotest Open Een")
    register(code=THOLEN, name="Eurotest Open Twee")
    visitor = client_for(zeeland)

    # Then the portal's total on its home and its overview is the API's figure for the portal
    totals = api("/totals", portal="zeeland")
    value = Decimal(totals["national"]["social_value"])
    assert value > 0 and totals["national"]["withheld_initiatives"] == 0
    assert Decimal(totals["portals"][0]["social_value"]) == value
    for path in ("/", "/stand-van-het-land/"):
        html = _body(visitor.get(path))
        assert _euros(value) in html, path
        assert "De waarde in euro telt" not in html  # nothing is left out
    # And the initiative's page shows the API's amount for it
    item = api(f"/initiatives/{one.uuid}")
    detail = _body(visitor.get(f"/initiatieven/{one.slug}/"))
    assert _euros(item["social_value"]) in detail
    assert f"Berekend met prijslijst {item['valued_with']}" in detail


def test_the_national_total_counts_only_the_euros_of_portals_that_show_them(zeeland, national, client_for, api):
    # Given Zeeland shows euro amounts and Rotterdam does not, each with a published initiative
    _show_amounts("zeeland")
    shown, _ = register(code=VLISSINGEN, name="Eurotest Landelijk Open")
    register(code=ROTTERDAM, name="Eurotest Landelijk Verborgen")
    public = IndexEntry.objects.filter(portal__show_amounts=True)
    expected = public.aggregate(v=Sum("social_value"))["v"]
    withheld = IndexEntry.objects.filter(portal__show_amounts=False).count()

    # Then the API's national total is the sum of the public euros, and says how many initiatives it leaves out
    national_totals = api("/totals")["national"]
    assert Decimal(national_totals["social_value"]) == expected
    assert national_totals["valued_initiatives"] == public.count()
    assert national_totals["withheld_initiatives"] == withheld > 0
    assert national_totals["valued_with"] == [shown.valued_with]

    # And the national home shows that same total, what it counts, and the price-list version
    home = client_for(national).get("/")
    assert home.context["totals"]["social_value"] == expected
    html = _body(home)
    assert _euros(expected) in html
    assert "maatschappelijke waarde per jaar" in html
    assert re.search(r"De waarde in euro telt \d+ van de \d+ initiatieven", html)
    assert f"Berekend met prijslijst {shown.valued_with}." in html

    # And the national overview shows, per portal and per province, the API's euro figures (or none)
    state = client_for(national).get("/stand-van-het-land/")
    totals = api("/totals")
    for scope, api_key in (("portals", "portal"), ("provinces", "province_code")):
        on_page = {key: r["social_value"] for key, r in state.context["figures"][scope].items()}
        in_api = {r[api_key]: None if r["social_value"] is None else Decimal(r["social_value"]) for r in totals[scope]}
        assert on_page == in_api, scope
    html = _body(state)
    assert _euros(in_api["PV29"]) in html and "geen eurobedragen openbaar" in html


def test_the_combined_web_shows_euros_only_when_every_initiative_in_it_may(national, client_for):
    register(code=VLISSINGEN, name="Eurotest Web Open")
    register(code=ROTTERDAM, name="Eurotest Web Verborgen")
    _show_amounts("zeeland")
    page = client_for(national).get("/waardenweb/")
    assert page.context["show_amounts"] is False and EURO not in _body(page)
    assert "Niet elk initiatief in dit overzicht" in _body(page)

    _show_amounts(*Portal.objects.values_list("schema_name", flat=True))
    page = client_for(national).get("/waardenweb/")
    assert page.context["show_amounts"] is True and EURO in _body(page)


NOTICE = "De prijslijst bevat voorbeeldwaarden zonder citeerbare bron."


def test_the_national_home_names_example_values_where_the_price_list_has_them(national, client_for):
    _show_amounts("zeeland")
    shown, _ = register(code=VLISSINGEN, name="Eurotest Voorbeeld")
    has_examples = PriceItem.objects.filter(price_list__version=shown.valued_with, is_example=True).exists()
    assert (NOTICE in _body(client_for(national).get("/"))) is has_examples


def test_the_price_list_note_names_example_values_only_where_the_list_has_them(db):
    # Given a list copied from the published one, first without example values, then with one
    draft = services.create_draft(version="2099.7", title="Voorbeeldtest", copy_from=current_price_list())
    draft.items.filter(is_example=True).update(is_example=False, source="Testbron")
    note = Template("{% load valuation_tags %}{% price_list_note versions %}")
    with translation.override("nl"):
        html = note.render(Context({"versions": [draft.version]}))
        assert "Berekend met prijslijst 2099.7." in html and NOTICE not in html
        draft.items.filter(pk=draft.items.first().pk).update(is_example=True)
        assert NOTICE in note.render(Context({"versions": [draft.version]}))
        assert note.render(Context({"versions": []})).strip() == ""


def test_with_no_portal_showing_amounts_the_national_home_shows_counts_only(national, client_for, api):
    _show_amounts()
    register(code=VLISSINGEN, name="Eurotest Niemand")
    assert api("/totals")["national"]["social_value"] is None
    html = _body(client_for(national).get("/"))
    assert EURO not in html
    assert "initiatieven" in html


@pytest.mark.parametrize("path", ["/", "/stand-van-het-land/"])
def test_the_euro_total_costs_the_same_queries_for_more_initiatives(path, national, client_for):
    # Given euro amounts shown by Zeeland, so the pages show a euro total and its price-list note
    _show_amounts("zeeland")
    client = client_for(national)

    def queries() -> tuple[int, str]:
        connection.set_schema_to_public()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        return len(ctx.captured_queries), _body(response)

    for code in (VLISSINGEN, ROTTERDAM):
        register(code=code, name=f"Eurotest Tellen {code}")
    client.get(path)  # warm up: the host lookup and other once-per-process caches
    few, before = queries()
    for i in range(6):
        register(code=(VLISSINGEN, ROTTERDAM, THOLEN)[i % 3], name=f"Eurotest Tellen {i}")
    client.get(path)  # the totals, computed again after the change, are cached again
    many, after = queries()
    assert after != before and EURO in after
    assert many == few, f"{few} queries before, {many} with six more initiatives"
    assert many <= MAX_QUERIES_IN_PAGE_TREE
