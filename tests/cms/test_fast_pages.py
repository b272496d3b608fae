"""The pages a visitor lands on (an initiative, the list, a content page, a news page) make a bounded number of
queries, whatever the number of initiatives; what they cache is never stale after a change and never crosses
from one portal to another (docs/decisions/0023-fast-pages.md)."""

import pytest
from django.core.cache import cache
from django.utils import translation
from django_tenants.utils import schema_context

from cms.services import ensure_starter_pages
from initiatives import services
from initiatives.models import Initiative
from initiatives.views import article_cache_key
from national_index import selectors as index
from national_index import version
from tests.support import ROTTERDAM, THOLEN, VLISSINGEN, count_queries, edits_go_live, make_user, profile, register
from valuation import services as valuation_services
from valuation.selectors import current_price_list

# Routing in the page tree (site, home page, the page and its parent, view restrictions) with the menu: 9
# Each cached part reads the national index version first (one row of a sequence, national_index/version.py)
DETAIL_QUERIES = 12  # + the initiative and the version; its article comes from the cache
LIST_QUERIES = 16  # + the filter's choices (municipalities, SDGs, domains), the version, the 24 entries, breadcrumbs
CONTENT_QUERIES = 13  # + subpages, breadcrumbs and the key figures' block (the version; its totals from the cache)
NEWS_QUERIES = 14  # one level deeper than a content page


def _more(owner, codes, n):
    """``n`` published initiatives, each contributing to SDG 3 (so every filtered list below shows them)."""
    return [register(owner, codes[i % len(codes)], sdgs=[3, 11])[0] for i in range(n)]


@pytest.mark.parametrize(
    "path", ["/initiatieven/", "/initiatieven/?sdg=3", f"/initiatieven/?sdg=3&municipality={VLISSINGEN}&q=&pagina=1"]
)
@pytest.mark.parametrize("portal_name", ["zeeland", "national"])
def test_the_list_makes_as_many_queries_with_many_initiatives_as_with_few(portal_name, path, request, client_for):
    # Given a portal with a few initiatives
    portal = request.getfixturevalue(portal_name)
    client = client_for(portal)
    owner = make_user()
    _more(owner, [VLISSINGEN, THOLEN], 3)
    client.get(path)  # warm up: the host lookup and the cached totals
    few, _ = count_queries(client, path)
    # When 15 more are published
    _more(owner, [VLISSINGEN, THOLEN], 15)
    client.get(path)
    many, after = count_queries(client, path)
    # Then the list makes the same, bounded number of queries
    assert many == few <= LIST_QUERIES, f"{few} queries with 3 initiatives, {many} with 18"
    if "municipality" not in path:
        assert after.content.count(b'<li class="card">') == 18


def test_the_initiative_page_makes_a_bounded_number_of_queries(zeeland, client_for):
    # Given a published initiative whose page was seen once
    initiative, _ = register(make_user(), VLISSINGEN)
    client = client_for(zeeland)
    first, _ = count_queries(client, f"/initiatieven/{initiative.slug}/")
    # When it is seen again, then its article comes from the cache
    again, page = count_queries(client, f"/initiatieven/{initiative.slug}/")
    assert again <= DETAIL_QUERIES < first
    assert f"<h1>{initiative.name}</h1>" in page.content.decode() and 'role="img"' in page.content.decode()


def test_a_content_page_and_a_news_page_make_a_bounded_number_of_queries(zeeland, client_for):
    # Given the starter pages of a portal (a content page with key figures, a news message)
    ensure_starter_pages(zeeland)
    register(make_user(), VLISSINGEN)
    client = client_for(zeeland)
    for path, bound in [("/over/", CONTENT_QUERIES), ("/nieuws/van-start/", NEWS_QUERIES)]:
        client.get(path)
        # When it is seen, then its queries stay within the bound
        queries, _ = count_queries(client, path)
        assert queries <= bound, f"{path}: {queries} queries"


def test_an_edited_initiative_shows_its_change_at_once(zeeland, client_for):
    # Given an initiative page in the cache, on a portal where edits go live at once
    edits_go_live(zeeland)
    owner = make_user()
    initiative, portal = register(owner, VLISSINGEN)
    client = client_for(zeeland)
    assert initiative.name in client.get(f"/initiatieven/{initiative.slug}/").content.decode()
    # When its owner changes the short description
    with schema_context(portal.schema_name):
        initiative = Initiative.objects.get(pk=initiative.pk)
        changed = profile(VLISSINGEN, name=initiative.name, short_description="Nu ook op zaterdag open.")
        services.update_profile(initiative=initiative, portal=portal, profile=changed, by=owner)
    # Then the page shows the new one
    assert "Nu ook op zaterdag open." in client.get(f"/initiatieven/{initiative.slug}/").content.decode()


def test_a_withdrawn_initiative_leaves_the_list_and_its_page_at_once(zeeland, client_for):
    # Given two published initiatives on the list (the totals cached) and one page seen
    owner = make_user()
    register(owner, VLISSINGEN)
    leaves, portal = register(owner, VLISSINGEN)
    client = client_for(zeeland)
    assert "2 initiatieven gevonden" in client.get("/initiatieven/").content.decode()
    assert client.get(f"/initiatieven/{leaves.slug}/").status_code == 200
    # When one is withdrawn
    with schema_context(portal.schema_name):
        services.withdraw(Initiative.objects.get(pk=leaves.pk), portal, by=owner)
    # Then the list counts one and the page is gone
    assert "1 initiatief gevonden" in client.get("/initiatieven/").content.decode()
    assert client.get(f"/initiatieven/{leaves.slug}/").status_code == 404


def test_a_new_price_list_version_shows_on_the_initiative_pages_at_once(zeeland, client_for):
    # Given an initiative page in the cache, valued with the current price list
    initiative, _ = register(make_user(), VLISSINGEN)
    client = client_for(zeeland)
    assert "Herberekening met versie" not in client.get(f"/initiatieven/{initiative.slug}/").content.decode()
    # When a new version is published (the recomputation not yet run)
    draft = valuation_services.create_draft(version="2099.1", title="Test", copy_from=current_price_list())
    with translation.override("nl"):
        valuation_services.publish(draft)
    # Then the page says its value is being recomputed with it
    assert "Herberekening met versie 2099.1 loopt." in client.get(f"/initiatieven/{initiative.slug}/").content.decode()


def test_a_cached_article_is_never_served_on_another_portal(zeeland, rotterdam, client_for):
    # Given an initiative in Zeeland and one in Rotterdam, both pages seen once
    zeeland_one, _ = register(make_user(), VLISSINGEN)
    rotterdam_one, _ = register(make_user(), ROTTERDAM)
    client_for(zeeland).get(f"/initiatieven/{zeeland_one.slug}/")
    # When Zeeland's cached article for it is replaced by a marker
    with schema_context("zeeland"), translation.override("nl"):
        initiative = Initiative.objects.get(pk=zeeland_one.pk)
        key = article_cache_key(initiative, can_edit=False, can_review=False, show_amounts=zeeland.show_amounts)
        assert cache.get(key) is not None
        cache.set(key, "<article>ZEELAND-MARKER</article>")
    # Then Zeeland serves the marker (the key is the one the view uses) and Rotterdam never does, also not for
    # an initiative with the same primary key in its own schema
    assert "ZEELAND-MARKER" in client_for(zeeland).get(f"/initiatieven/{zeeland_one.slug}/").content.decode()
    with schema_context("rotterdam"):
        same_pk = Initiative.objects.filter(pk=zeeland_one.pk).first() or Initiative.objects.get(pk=rotterdam_one.pk)
    page = client_for(rotterdam).get(f"/initiatieven/{same_pk.slug}/").content.decode()
    assert "ZEELAND-MARKER" not in page and f"<h1>{same_pk.name}</h1>" in page


def test_cached_totals_are_per_portal(zeeland, rotterdam):
    # Given the same filter read in two portals' schemas, Zeeland's cached figures replaced by a marker
    register(make_user(), VLISSINGEN)
    flt = index.EntryFilter(sdg=3)
    with schema_context("zeeland"):
        key = index.totals_cache_key(flt)
        cache.set(key, {"marker": "zeeland"})
        # Then Zeeland reads them (the key is the one the pages use, with the schema in it)
        assert "zeeland" in key and index.cached_totals(flt) == {"marker": "zeeland"}
    # and Rotterdam never does
    with schema_context("rotterdam"):
        assert index.cached_totals(flt) == index.totals(flt) != {"marker": "zeeland"}


def test_the_index_version_moves_with_every_projection_and_every_process_sees_it(zeeland):
    # Given the current version
    before = version.current()
    # When an initiative is published, then the version moves on
    register(make_user(), VLISSINGEN)
    after = version.current()
    assert after > before
    # and the cache holds no part of it: emptied, the version stays where it is
    cache.clear()
    assert version.current() == after
