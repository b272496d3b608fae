"""The figures of the Stand van het Land for an area (national_index/figures.py, docs/decisions/0034): every figure
is what the registered profiles say, the euro rule holds, and the parts add up to the whole."""

from decimal import Decimal

from django.core.cache import cache

from national_index import figures
from national_index.models import IndexEntry
from national_index.selectors import EntryFilter
from tenants.models import Portal
from tests.support import ROTTERDAM, THOLEN, VLISSINGEN, register_with

MIX = {"income_subsidy": 50, "income_funds": 20, "income_sales": 30, "income_contributions": 0, "income_other": 0}
NO_SALES = {"income_subsidy": 60, "income_funds": 40, "income_sales": 0, "income_contributions": 0, "income_other": 0}


def test_the_figures_of_an_area_are_what_its_profiles_say(zeeland, rotterdam):
    # Given three initiatives in Zeeland (two in Vlissingen's districts) and one in Rotterdam
    a = register_with(
        VLISSINGEN,
        district="Oost",
        legal_form="stichting",
        founding_year=2010,
        needs=[("geld", False), ("vrijwilligers", True)],
        partners=["gemeente", "fonds", "fonds"],
        people_reached=100,
        volunteers=10,
        paid_staff=2,
        paid_fte=Decimal("1.5"),
        **MIX,
    )
    b = register_with(
        VLISSINGEN,
        district="West",
        legal_form="vereniging",
        founding_year=2020,
        needs=[("geld", False)],
        partners=["gemeente"],
        people_reached=50,
        volunteers=5,
        paid_staff=0,
        paid_fte=Decimal(0),
        **NO_SALES,
    )
    c = register_with(
        THOLEN, district="", legal_form="stichting", founding_year=2010, needs=[("geld", True)], **NO_SALES
    )
    register_with(ROTTERDAM, legal_form="stichting", needs=[("kennis", False)], partners=["bedrijf"], **NO_SALES)
    zeeland_rows = list(IndexEntry.objects.filter(portal__schema_name="zeeland"))
    assert sorted(r.name for r in zeeland_rows) == sorted([a.name, b.name, c.name])

    # When the figures of Zeeland are read
    got = figures.area_figures(EntryFilter(portal="zeeland"))

    # Then the totals are the sums of the three profiles
    totals = got["totals"]
    assert totals["initiatives"] == 3
    assert totals["people_reached"] == sum(r.people_reached for r in zeeland_rows)
    assert totals["paid_fte"] == sum(r.paid_fte for r in zeeland_rows)
    assert totals["deliveries"] == sum(r.deliveries for r in zeeland_rows)
    # And needs count per kind, open and fulfilled apart; partner kinds once per initiative
    assert got["needs"] == {"geld": 2}
    assert got["needs_fulfilled"] == {"vrijwilligers": 1, "geld": 1}
    assert got["partner_kinds"] == {"gemeente": 2, "fonds": 1}
    assert got["legal_forms"] == {"stichting": 2, "vereniging": 1}
    assert got["founding_years"] == {2010: 2, 2020: 1}
    # And the sellers: one sells (30% of its income), so a third sells and sellers average 30%
    sellers = [r for r in zeeland_rows if r.offers_count or r.income_sales]
    assert totals["selling_initiatives"] == len(sellers)
    assert totals["selling_share"] == (Decimal(len(sellers)) * 100 / 3).quantize(Decimal("0.1"))
    assert got["income_mix"]["income_subsidy"] == Decimal(sum(r.income_subsidy for r in zeeland_rows) / 3).quantize(
        Decimal("0.1")
    )
    # And districts are a breakdown of a municipality only
    assert got["districts"] == {}
    vlissingen = figures.area_figures(EntryFilter(municipality=VLISSINGEN))
    assert vlissingen["districts"] == {
        "Oost": {"initiatives": 1, "people_reached": 100, "volunteers": 10},
        "West": {"initiatives": 1, "people_reached": 50, "volunteers": 5},
    }
    # And nothing here is demo data
    assert totals["demo_initiatives"] == 0


def test_the_parts_add_up_to_the_country(zeeland, rotterdam):
    # Given initiatives on two portals, one of which hides euro amounts
    Portal.objects.filter(schema_name="zeeland").update(show_amounts=True)
    Portal.objects.filter(schema_name="rotterdam").update(show_amounts=False)
    for code in (VLISSINGEN, THOLEN, ROTTERDAM, ROTTERDAM):
        register_with(code, needs=[("geld", False)])

    # When the country's figures and each portal's are read
    country = figures.area_figures()
    parts = [
        figures.area_figures(EntryFilter(portal=s))
        for s in sorted(set(IndexEntry.objects.values_list("portal__schema_name", flat=True)))
    ]

    # Then every count of the country is the sum of the portals' counts
    for key in ("initiatives", "people_reached", "volunteers", "paid_staff", "paid_fte", "deliveries"):
        assert country["totals"][key] == sum(p["totals"][key] for p in parts), key
    assert country["needs"]["geld"] == sum(p["needs"].get("geld", 0) for p in parts)
    # And the country's public euros are the sum of the public euros of the portals that show them
    shown = [p["totals"]["social_value"] for p in parts if p["totals"]["social_value"] is not None]
    assert country["totals"]["social_value"] == sum(shown)
    # And Rotterdam's figures carry no euro amount anywhere
    hidden = figures.area_figures(EntryFilter(portal="rotterdam"))
    assert hidden["totals"]["social_value"] is None and hidden["totals"]["uses_examples"] is False
    assert all(v["public_value"] is None for v in hidden["sdgs"].values())
    # And the country's breakdown per portal and per province is the same figures
    assert sum(r["initiatives"] for r in country["portals"]) == country["totals"]["initiatives"]
    assert sum(r["initiatives"] for r in country["provinces"]) == country["totals"]["initiatives"]


def test_demo_initiatives_are_counted_as_such(zeeland):
    # Given one demo initiative and one real one
    register_with(VLISSINGEN, is_demo=True)
    register_with(VLISSINGEN)

    # Then the figures say how many of the initiatives are demo data
    got = figures.area_figures(EntryFilter(portal="zeeland"))
    assert got["totals"]["initiatives"] == 2 and got["totals"]["demo_initiatives"] == 1


def test_a_fulfilled_need_is_no_longer_found_by_a_search_on_it(zeeland):
    # Given an initiative whose need for money is met, and one that still needs money
    met = register_with(VLISSINGEN, needs=[("geld", True)])
    still = register_with(VLISSINGEN, needs=[("geld", False)])

    # Then a search on that need finds only the one that still needs it
    assert list(IndexEntry.objects.filter(needs__contains=["geld"]).values_list("uuid", flat=True)) == [still.uuid]
    assert IndexEntry.objects.get(uuid=met.uuid).needs_fulfilled == ["geld"]


def test_the_cached_figures_follow_every_change_of_the_index(zeeland):
    # Given the figures of Zeeland were read and cached
    cache.clear()
    register_with(VLISSINGEN)
    before = figures.cached_area_figures(EntryFilter(portal="zeeland"))["totals"]["initiatives"]

    # When another initiative is published
    register_with(THOLEN)

    # Then the cached figures count it at once
    assert figures.cached_area_figures(EntryFilter(portal="zeeland"))["totals"]["initiatives"] == before + 1


def test_warming_stores_the_figures_of_the_country_every_portal_and_province(zeeland):
    # Given an index change and an empty cache
    cache.clear()
    register_with(VLISSINGEN)

    # When the figures are warmed
    made = figures.warm()

    # Then the country, each live portal and each province are stored, and a second warm computes nothing
    assert made == len(figures.warm_filters()) and made >= 1 + 12
    assert figures.warm() == 0
    key = figures.figures_cache_key(EntryFilter(portal="zeeland"))
    assert cache.get(key) == figures.area_figures(EntryFilter(portal="zeeland"))


def test_shares_round_half_up_like_every_other_figure_of_the_platform():
    # Given two SDGs sharing 10,000 euros as 1,225 and 8,775: 12.25 and 87.75 percent
    def one(value):
        return {"value": Decimal(value), "public_value": Decimal(value), "initiatives": 1, "valued_initiatives": 1}

    shares = figures._by_key({"3": one(1225), "7": one(8775)})
    # Then the Stand, the API, the CSV and the edition show 12.3 and 87.8, as the report and the pages round
    assert (shares["3"]["share"], shares["7"]["share"]) == (Decimal("12.3"), Decimal("87.8"))
