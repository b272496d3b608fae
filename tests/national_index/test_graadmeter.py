"""The MAEX graadmeter (docs/decisions/0032-the-maex-graadmeter.md): constant prices, growth told apart from
joining and leaving, idempotent takes, gaps, the euro rule, and one source for the page, the API and the CSV."""

import csv
import datetime
import io
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from initiatives import services as initiative_services
from initiatives.models import Initiative
from initiatives.revaluation import recompute_in_current_portal
from national_index import graadmeter_store
from national_index.models import GraadmeterLevel, IndexEntry
from portals.reconcile import reconcile
from tests.support import ROTTERDAM, VLISSINGEN, edits_go_live, register, register_with
from valuation import graadmeter, selectors
from valuation import services as price_services
from valuation.models import PriceItem, PriceList, Recomputation, RecomputationPortal

D1 = datetime.date(2025, 3, 1)
D2 = datetime.date(2025, 3, 2)
D3 = datetime.date(2025, 3, 3)
D4 = datetime.date(2025, 3, 4)


@pytest.fixture(autouse=True)
def _amounts_shown(db):
    """Zeeland and Rotterdam show euro amounts (the test portals hide them by default); the hidden-euro test turns
    Zeeland's off again."""
    from tenants.models import Portal

    Portal.objects.filter(schema_name__in=["zeeland", "rotterdam"]).update(show_amounts=True)


def _row(day, scope="nl") -> GraadmeterLevel:
    return GraadmeterLevel.objects.get(date=day, scope=scope)


def _text(response) -> str:
    return b"".join(response.streaming_content).decode()


def _grow(initiative, portal, factor: int = 2):
    """The owner reports ``factor`` times each quantity, having grown as much (people reached, volunteers), so the
    larger quantities stay plausible; an edit that goes live at once."""
    edits_go_live(portal)
    with schema_context(portal.schema_name):
        initiative = Initiative.objects.get(pk=initiative.pk)
        profile = initiative_services.profile_of(initiative)
        for activity in profile.activities:
            activity["quantity"] = Decimal(activity["quantity"]) * factor
        for name in ("people_reached", "volunteers"):
            profile.fields[name] = getattr(initiative, name) * factor
        initiative_services.update_profile(initiative=initiative, portal=portal, profile=profile)


def _new_version_revalued(portal):
    """A new published price-list version with every item twice as dear, and every initiative of ``portal``
    revalued with it (as the background recomputation does)."""
    current = selectors.current_price_list()
    draft = price_services.create_draft(version=f"t{uuid.uuid4().hex[:10]}", title="Duurder", copy_from=current)
    PriceItem.objects.filter(price_list=draft).update(unit_value=F("unit_value") * 2)
    PriceList.objects.filter(pk=draft.pk).update(status=PriceList.Status.PUBLISHED, published_on=timezone.localdate())
    draft.refresh_from_db()
    run = Recomputation.objects.create(price_list=draft, portals_total=1)
    RecomputationPortal.objects.create(recomputation=run, portal=portal)
    with schema_context(portal.schema_name):
        recompute_in_current_portal(run.pk)
    return draft


def test_a_new_price_list_version_does_not_move_either_level(zeeland):
    # Given two initiatives and a first take
    first, portal = register(code=VLISSINGEN)
    register(code=VLISSINGEN)
    base = selectors.current_price_list().version
    graadmeter.take(D1)
    before = IndexEntry.objects.get(uuid=first.uuid).social_value
    # When a new version is published and every initiative is revalued with it
    new = _new_version_revalued(portal)
    assert IndexEntry.objects.get(uuid=first.uuid).valued_with == new.version
    assert IndexEntry.objects.get(uuid=first.uuid).social_value != before  # the euros did move
    graadmeter.take(D2)
    # Then neither level moves: the graadmeter keeps its base version's prices
    row = _row(D2)
    assert row.level == Decimal(100) and row.growth_level == Decimal(100)
    assert row.base_version == base and row.value_cents == _row(D1).value_cents


def test_joining_moves_the_level_but_not_the_growth(zeeland, national, client_for):
    register(code=VLISSINGEN)
    graadmeter.take(D1)
    # When a second initiative joins
    register(code=VLISSINGEN)
    graadmeter.take(D2)
    row = _row(D2)
    assert row.level > Decimal(100) and row.growth_level == Decimal(100)
    assert row.joined_count == 1 and row.joined_cents > 0 and row.continuing_change_cents == 0
    assert row.value_cents == _row(D1).value_cents + row.joined_cents
    assert row.previous_date == D1
    # And the page tells the joined initiative's value apart from the growth of the others
    html = client_for(national).get("/graadmeter/").content.decode()
    assert "erbij: 1 initiatief, €" in html and "eraf: 0 initiatieven, € 0,00" in html


def test_an_index_row_from_before_the_graadmeter_joins_once_filled_and_never_counts_as_growth(zeeland):
    # Given two initiatives, one of whose index rows has a value but no activities yet (written before the upgrade)
    first, _ = register(code=VLISSINGEN)
    register(code=VLISSINGEN)
    IndexEntry.objects.filter(uuid=first.uuid).update(activity_quantities={})
    # When the first take runs, it leaves that row out
    graadmeter.take(D1)
    assert _row(D1).initiatives == 1
    # And once reconcile_index has filled it, it joins: the total level moves, the growth level does not
    reconcile(repair=True)
    assert IndexEntry.objects.get(uuid=first.uuid).activity_quantities
    graadmeter.take(D2)
    row = _row(D2)
    assert row.initiatives == 2 and row.joined_count == 1 and row.continuing_change_cents == 0
    assert row.growth_level == Decimal(100) and row.level > Decimal(100)


def test_an_initiative_growing_moves_both_levels_equally(zeeland):
    initiative, portal = register(code=VLISSINGEN)
    graadmeter.take(D1)
    _grow(initiative, portal, 2)
    graadmeter.take(D2)
    row = _row(D2)
    assert row.level == row.growth_level == Decimal("200.0000")
    assert row.continuing_change_cents == _row(D1).value_cents and row.joined_count == row.left_count == 0


def test_leaving_lowers_the_level_and_leaves_the_growth(zeeland):
    first, portal = register(code=VLISSINGEN)
    register(code=VLISSINGEN)
    graadmeter.take(D1)
    with schema_context(portal.schema_name):
        initiative_services.withdraw(Initiative.objects.get(pk=first.pk), portal)
    graadmeter.take(D2)
    row = _row(D2)
    assert row.level < Decimal(100) and row.growth_level == Decimal(100)
    assert row.left_count == 1 and row.left_cents > 0 and row.initiatives == 1


def test_taking_a_day_twice_gives_the_same_rows(zeeland):
    register(code=VLISSINGEN)
    graadmeter.take(D1)
    register(code=VLISSINGEN)
    graadmeter.take(D2)
    fields = ("scope", "level", "growth_level", "value_cents", "joined_count", "joined_cents", "previous_date")
    once = list(GraadmeterLevel.objects.order_by("date", "scope").values_list(*fields))
    graadmeter.take(D2)
    assert list(GraadmeterLevel.objects.order_by("date", "scope").values_list(*fields)) == once
    # And a second take later that day, after a third initiative joined, is still measured against D1
    register(code=VLISSINGEN)
    graadmeter.take(D2)
    again = _row(D2)
    assert again.previous_date == D1 and again.joined_count == 2 and again.initiatives == 3
    assert again.value_cents == _row(D1).value_cents + again.joined_cents and again.growth_level == Decimal(100)
    # And a day before the latest take is refused: the series only grows forward
    assert graadmeter.take(D1 - datetime.timedelta(days=1)) == 0


def test_a_missed_day_is_a_gap_and_the_next_change_spans_it(zeeland, national, client_for):
    initiative, portal = register(code=VLISSINGEN)
    graadmeter.take(D1)
    graadmeter.take(D2)
    _grow(initiative, portal, 2)
    graadmeter.take(D4)  # 3 March missed
    assert not GraadmeterLevel.objects.filter(date=D3).exists()
    row = _row(D4)
    assert row.previous_date == D2 and row.level == Decimal("200.0000")
    body = client_for(national).get("/api/v1/graadmeter", {"gebied": "nl"}).json()
    day = next(c for c in body["changes"] if c["period"] == "day")
    assert day["since"] == "2025-03-03" and day["compared_with"] == "2025-03-02" and day["level"] == "100.00"
    # And the chart draws two lines, not one across the gap
    html = client_for(national).get("/graadmeter/").content.decode()
    assert html.count('class="koers-level"') == 2


def test_a_month_without_data_that_far_back_says_so(zeeland, national, client_for):
    register(code=VLISSINGEN)
    graadmeter.take(D1)
    graadmeter.take(D2)
    body = client_for(national).get("/api/v1/graadmeter").json()
    month = next(c for c in body["changes"] if c["period"] == "month")
    assert month["compared_with"] is None and month["level"] is None
    html = client_for(national).get("/graadmeter/").content.decode()
    assert "geen gegevens" in html


def test_a_portal_hiding_amounts_has_no_public_graadmeter(zeeland, national, client_for):
    register(code=VLISSINGEN)
    type(zeeland).objects.filter(pk=zeeland.pk).update(show_amounts=False)
    graadmeter.take(D1)
    body = client_for(national).get("/api/v1/graadmeter", {"gebied": "portal:zeeland"}).json()
    assert body["public"] is False and body["latest"]["level"] is None
    assert all(p["value_cents"] is None and p["level"] is None for p in body["series"])
    assert "niet openbaar" in client_for(zeeland).get("/graadmeter/").content.decode()
    rows = list(csv.DictReader(io.StringIO(_text(client_for(zeeland).get("/open-data/graadmeter.csv")))))
    assert rows and all(r["value_cents"] == "" and r["level"] == "" for r in rows)


def test_page_api_and_csv_give_the_same_levels(zeeland, national, client_for):
    initiative, portal = register(code=VLISSINGEN)
    register(code=ROTTERDAM)
    graadmeter.take(D1)
    _grow(initiative, portal, 3)
    graadmeter.take(D2)
    client = client_for(national)
    for key in ("nl", "portal:zeeland", "province:PV29"):
        stored = [(r.date.isoformat(), r.level, r.growth_level) for r in GraadmeterLevel.objects.filter(scope=key)]
        api = client.get("/api/v1/graadmeter", {"gebied": key}).json()["series"]
        assert [(p["date"], Decimal(p["level"]), Decimal(p["growth_level"])) for p in api] == stored
        rows = csv.DictReader(io.StringIO(_text(client.get("/open-data/graadmeter.csv", {"gebied": key}))))
        assert [(r["date"], Decimal(r["level"]), Decimal(r["growth_level"])) for r in rows] == stored
        page = client.get("/graadmeter/", {"gebied": key})
        assert [(r.date.isoformat(), r.level, r.growth_level) for r in page.context["series"].rows] == stored


def test_the_page_makes_a_bounded_number_of_queries(zeeland, national, client_for):
    for _ in range(3):
        register(code=VLISSINGEN)
    for n in range(10):
        graadmeter.take(D1 + datetime.timedelta(days=n))
    client = client_for(national)
    counts = []
    for key in ("nl", "portal:zeeland", "province:PV29"):
        client.get("/graadmeter/", {"gebied": key})  # the area choices cached
        connection.set_schema_to_public()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/graadmeter/", {"gebied": key})
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert max(counts) <= 8, counts
    # And the area select offers the country, portals and provinces, never a municipality (which has none)
    html = response.content.decode()
    assert 'value="province:PV29"' in html and 'value="gemeente:' not in html


def test_a_foreign_area_on_a_regional_portal_gets_400_and_a_dutch_message(zeeland, client_for):
    register(code=VLISSINGEN)
    graadmeter.take(D1)
    for given in ("portal:rotterdam", "bla", "province:PV29"):
        response = client_for(zeeland).get("/graadmeter/", {"gebied": given})
        assert response.status_code == 400
        assert "Hieronder staat de graadmeter van MAEX Zeeland" in response.content.decode()
        assert response.context["area"].key == "portal:zeeland"
    csv_response = client_for(zeeland).get("/open-data/graadmeter.csv", {"gebied": "portal:rotterdam"})
    assert csv_response.status_code == 400


def test_the_method_page_and_the_stand_summary(zeeland, national, client_for):
    register(code=VLISSINGEN)
    graadmeter.take(D1)
    assert "kettingindex" in client_for(national).get("/graadmeter/methode/").content.decode()
    html = client_for(national).get("/stand-van-het-land/").content.decode()
    assert 'href="/graadmeter/?gebied=nl"' in html and "100,00" in html


def test_the_stands_summary_follows_each_take_and_a_portals_choice_though_it_is_cached(zeeland, client_for):
    # Given Zeeland's Stand read once after the first take (its summary cached)
    register(code=VLISSINGEN)
    graadmeter.take(D1)
    assert "100,00" in client_for(zeeland).get("/stand-van-het-land/").content.decode()
    # When an initiative joins and the next take is made
    register(code=VLISSINGEN)
    graadmeter.take(D2)
    # Then the Stand shows the new level, not the cached one
    level = _row(D2, "portal:zeeland").level
    html = client_for(zeeland).get("/stand-van-het-land/").content.decode()
    assert level != Decimal(100) and f"{level:.2f}".replace(".", ",") in html
    # And when Zeeland stops showing amounts, the summary says so at once
    type(zeeland).objects.filter(pk=zeeland.pk).update(show_amounts=False)
    with connection.cursor() as cursor:  # the portals' version moves as at the commit (a deferred trigger)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    html = client_for(zeeland).get("/stand-van-het-land/").content.decode()
    assert "dus is er ook geen graadmeter" in html and f"{level:.2f}".replace(".", ",") not in html


def test_the_demo_backfill_is_labelled_and_written_once(zeeland, national, client_for):
    from demo import loader

    # Given demo initiatives (fictional) and no take yet
    for _ in range(4):
        register_with(VLISSINGEN, is_demo=True)
    # When the demo writes its backfill of 30 days
    assert loader.ensure_graadmeter(days=30) > 0
    rows = list(GraadmeterLevel.objects.filter(scope="nl").order_by("date"))
    # Then labelled days, from the first fictional publication on, come before today's real take, without gaps
    assert 2 <= len(rows) <= 31 and all(r.backfilled for r in rows[:-1]) and not rows[-1].backfilled
    assert (rows[-1].date - rows[0].date).days == len(rows) - 1 and rows[0].level == Decimal(100)
    assert rows[-1].date == timezone.localdate() and rows[-1].initiatives == 4
    assert all(r.growth_level == Decimal(100) for r in rows if r.level is not None)  # the same activities throughout
    body = client_for(national).get("/api/v1/graadmeter").json()
    assert body["series"][0]["backfilled"] is True
    html = client_for(national).get("/graadmeter/").content.decode()
    assert "Teruggerekend, demodata." in html and "Demodata." in html
    # And a second run writes nothing
    assert loader.ensure_graadmeter(days=30) == 0


def test_the_daily_task_takes_the_snapshot_and_the_graadmeter_once_per_day(zeeland):
    from national_index.models import Snapshot
    from valuation.tasks import take_daily_figures

    register(code=VLISSINGEN)
    scopes = take_daily_figures.apply(kwargs={"date": "2025-03-01"}).get()
    assert scopes == GraadmeterLevel.objects.filter(date=D1).count() >= 3
    assert Snapshot.objects.filter(date=D1, scope="nl").exists()
    assert take_daily_figures.apply(kwargs={"date": "2025-03-01"}).get() == scopes
    assert GraadmeterLevel.objects.filter(date=D1).count() == scopes


def test_the_page_in_english(national, client_for, settings):
    register(code=VLISSINGEN)
    graadmeter.take(D1)
    client = client_for(national)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/graadmeter/").content.decode()
    assert "Growth of existing initiatives" in html and "no data: the series starts after" in html


def test_the_api_refuses_a_municipality_and_an_unknown_area(national, client_for):
    client = client_for(national)
    municipality = client.get("/api/v1/graadmeter", {"gebied": f"gemeente:{VLISSINGEN}"})
    assert municipality.status_code == 400 and "province:<CBS-provinciecode>" in municipality.json()["detail"]
    assert client.get("/api/v1/graadmeter", {"gebied": "province:PV99"}).status_code == 404
    # And an answer carries its tag; asking again with it gives 304
    answer = client.get("/api/v1/graadmeter")
    assert answer.status_code == 200 and answer["ETag"]
    assert client.get("/api/v1/graadmeter", HTTP_IF_NONE_MATCH=answer["ETag"]).status_code == 304


def test_a_take_moves_the_tag_of_the_api_and_the_csv(zeeland, national, client_for):
    register(code=VLISSINGEN)
    graadmeter.take(D1)
    client = client_for(national)
    tags = {path: client.get(path)["ETag"] for path in ("/api/v1/graadmeter", "/open-data/graadmeter.csv")}
    graadmeter.take(D2)
    for path, tag in tags.items():
        assert client.get(path, HTTP_IF_NONE_MATCH=tag).status_code == 200, path


def test_a_take_that_valued_nothing_is_what_the_next_take_is_measured_against(zeeland):
    # Given an initiative measured on D1, then a day on which its portal hid amounts (nothing valued)
    register(code=VLISSINGEN)
    graadmeter.take(D1)
    type(zeeland).objects.filter(pk=zeeland.pk).update(show_amounts=False)
    graadmeter.take(D2)
    assert _row(D2).level == 0 and _row(D2).valued_initiatives == 0
    # When the portal shows amounts again
    type(zeeland).objects.filter(pk=zeeland.pk).update(show_amounts=True)
    graadmeter.take(D3)
    # Then D3 is measured against D2: the initiative joins again and the line starts again at 100, not at 0
    row = _row(D3)
    assert row.previous_date == D2 and row.joined_count == 1 and row.continuing_change_cents == 0
    assert row.level == Decimal(100)


def test_a_take_of_a_day_to_come_is_refused_and_blocks_nothing(zeeland):
    register(code=VLISSINGEN)
    today = timezone.localdate()
    assert graadmeter.take(today + datetime.timedelta(days=1)) == 0
    assert not GraadmeterLevel.objects.exists()
    assert graadmeter.take(today) > 0 and _row(today).level == Decimal(100)


def test_a_level_far_from_100_is_stored(zeeland):
    # Given a scope whose first value is one cent and whose next is ten billion euros
    from national_index import graadmeter_store
    from national_index.graadmeter import Entry

    def entry(key, cents):
        return Entry(key, "zeeland", "PV29", True, False, cents, False)

    graadmeter_store.record_take(D1, [entry(1, 1)], base="t")
    # When the next take is stored, the day's take does not fail on the size of the ratio
    graadmeter_store.record_take(D2, [entry(1, 1), entry(2, 10**12)], base="t")
    assert _row(D2).level == Decimal(100) * (10**12 + 1)


def test_a_portal_that_stops_showing_amounts_hides_its_graadmeter_at_once(zeeland, national, client_for):
    register(code=VLISSINGEN)
    graadmeter.take(D1)
    assert client_for(national).get("/api/v1/graadmeter", {"gebied": "portal:zeeland"}).json()["public"] is True
    # When the portal stops showing amounts, before the next take
    type(zeeland).objects.filter(pk=zeeland.pk).update(show_amounts=False)
    body = client_for(national).get("/api/v1/graadmeter", {"gebied": "portal:zeeland"}).json()
    # Then its series is no longer public, cents and levels included
    assert body["public"] is False and all(p["value_cents"] is None and p["level"] is None for p in body["series"])
    assert "dus is er ook geen graadmeter" in client_for(zeeland).get("/graadmeter/").content.decode()


def test_a_portal_that_stops_showing_amounts_and_loses_its_initiatives_keeps_its_history_hidden(
    zeeland, national, client_for
):
    # Given Zeeland's series with euros, and then Zeeland stops showing amounts and its only initiative leaves
    only, portal = register(code=VLISSINGEN)
    graadmeter.take(D1)
    type(zeeland).objects.filter(pk=zeeland.pk).update(show_amounts=False)
    with schema_context(portal.schema_name):
        initiative_services.withdraw(Initiative.objects.get(pk=only.pk), portal)
    # When the next take finds the portal empty
    graadmeter.take(D2)
    assert _row(D2, "portal:zeeland").initiatives == 0
    # Then its earlier euros stay hidden: in the API, and in the Stand's summary
    body = client_for(national).get("/api/v1/graadmeter", {"gebied": "portal:zeeland"}).json()
    assert body["public"] is False and all(p["value_cents"] is None and p["level"] is None for p in body["series"])
    summary = graadmeter_store.summary("portal:zeeland")
    assert summary["public"] is False and summary["latest"]["level"] is None and summary["changes"] == []


def test_a_province_hides_its_graadmeter_until_the_next_take_when_a_portal_in_it_stops_showing_amounts(
    zeeland, national, client_for
):
    # Given Zeeland's initiatives measured in the country and in their province
    register(code=VLISSINGEN)
    graadmeter.take(D1)
    assert client_for(national).get("/api/v1/graadmeter", {"gebied": "province:PV29"}).json()["public"] is True
    # When Zeeland stops showing amounts, before the next take
    type(zeeland).objects.filter(pk=zeeland.pk).update(show_amounts=False)
    # Then the province's and the country's series hold its euros: not public until the next take
    for key in ("province:PV29", "nl"):
        body = client_for(national).get("/api/v1/graadmeter", {"gebied": key}).json()
        assert body["public"] is False and all(p["value_cents"] is None for p in body["series"]), key
    html = client_for(national).get("/graadmeter/", {"gebied": "province:PV29"}).content.decode()
    assert "tot de volgende dagelijkse meting" in html
    # And a province without Zeeland's initiatives stays public
    assert client_for(national).get("/api/v1/graadmeter", {"gebied": "province:PV28"}).json()["public"] is True
    # And after the next take, which no longer values them, the series says why it is not public
    graadmeter.take(D2)
    body = client_for(national).get("/api/v1/graadmeter", {"gebied": "province:PV29"}).json()
    assert body["public"] is False and body["latest"]["valued_initiatives"] == 0
