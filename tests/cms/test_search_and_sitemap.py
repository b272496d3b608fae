"""Search over pages and initiatives, sitemap.xml and robots.txt: each portal only its own, on its own host."""

import re

import pytest

from tests.support import ROTTERDAM, THOLEN, VLISSINGEN, count_queries, make_user, register


def test_search_finds_pages_and_initiatives_of_this_portal_only(zeeland, rotterdam, national, pages, client_for):
    pages.content(zeeland, "Zeeuwse zeekraal oogst", intro="Over zeekraal in Zeeland.")
    pages.content(rotterdam, "Rotterdamse zeekraal", intro="Over zeekraal in Rotterdam.")
    here, _ = register(make_user(), VLISSINGEN, name="Zeekraalkwekerij Vlissingen")
    there, _ = register(make_user(), ROTTERDAM, name="Zeekraal aan de Maas")

    response = client_for(zeeland).get("/zoeken/", {"q": "zeekraal"})
    assert response.status_code == 200
    assert [p.title for p in response.context["pages"]] == ["Zeeuwse zeekraal oogst"]
    assert [e.uuid for e in response.context["entries"]] == [here.uuid]
    html = response.content.decode()
    assert "Rotterdamse zeekraal" not in html and there.name not in html

    # the national portal searches initiatives everywhere (its own pages only)
    response = client_for(national).get("/zoeken/", {"q": "zeekraal"})
    assert {e.uuid for e in response.context["entries"]} == {here.uuid, there.uuid}
    assert response.context["pages"] == []


def test_search_without_a_query_shows_the_form(zeeland, client_for):
    response = client_for(zeeland).get("/zoeken/")
    assert response.status_code == 200
    assert 'role="search"' in response.content.decode()


def test_the_sitemap_holds_only_this_portals_urls_on_its_own_host(zeeland, rotterdam, pages, client_for):
    page = pages.content(zeeland, "Over MAEX Zeeland")
    pages.content(rotterdam, "Over MAEX Rotterdam")
    here, _ = register(make_user(), VLISSINGEN)
    register(make_user(), ROTTERDAM)

    response = client_for(zeeland).get("/sitemap.xml")
    assert response.status_code == 200
    locations = re.findall(r"<loc>([^<]+)</loc>", response.content.decode())
    assert locations
    origin = zeeland.absolute_url("")  # the canonical host with the configured link port
    assert all(loc.startswith(f"{origin}/") for loc in locations), locations
    assert f"{origin}/" in locations
    assert f"{origin}{page.url_path.removeprefix('/home')}" in locations
    assert f"{origin}/initiatieven/{here.slug}/" in locations
    assert not any("rotterdam" in loc for loc in locations)


@pytest.mark.parametrize("name", ["zeeland", "rotterdam", "national"])
def test_robots_txt_points_to_the_portals_own_sitemap(name, request, client_for):
    portal = request.getfixturevalue(name)
    response = client_for(portal).get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert f"Sitemap: {portal.absolute_url('/sitemap.xml')}" in text
    assert "Disallow: /beheer/" in text


def test_query_counts_of_municipality_page_and_search_do_not_grow(zeeland, pages, client_for):
    owner = make_user()
    page = pages.municipality(zeeland, "Gemeente Vlissingen", VLISSINGEN)
    for n in range(3):
        pages.content(zeeland, f"Buurtpagina {n}", intro="Over de buurt.")
    path = page.url_path.removeprefix("/home")
    client = client_for(zeeland)
    for _ in range(2):
        register(owner, VLISSINGEN, name=f"Buurtkracht {_}")
    register(owner, THOLEN)
    client.get(path), client.get("/zoeken/", {"q": "buurt"})  # warm up once-per-process caches

    few_page, before_page = count_queries(client, path)
    few_search, before_search = count_queries(client, "/zoeken/", {"q": "buurt"})
    for i in range(10):
        register(owner, VLISSINGEN, name=f"Buurtkracht extra {i}")
    for n in range(3, 8):
        pages.content(zeeland, f"Buurtpagina {n}", intro="Over de buurt.")
    many_page, after_page = count_queries(client, path)
    many_search, after_search = count_queries(client, "/zoeken/", {"q": "buurt"})

    assert len(after_page.context["entries"]) == len(before_page.context["entries"]) + 10
    assert len(after_search.context["entries"]) == len(before_search.context["entries"]) + 10
    assert len(after_search.context["pages"]) == len(before_search.context["pages"]) + 5
    assert many_page == few_page, f"municipality page: {few_page} queries, then {many_page}"
    assert many_search == few_search, f"search: {few_search} queries, then {many_search}"
    # django-tenants sends "SET search_path" before each query: 24 here is 12 queries, most of them Wagtail's
    # own page routing; the initiatives with their SDGs are one query.
    assert many_page <= 30 and many_search <= 16
