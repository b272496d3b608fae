"""The number of queries of the list pages and the API list does not grow with the number of initiatives."""

import pytest

from tests.support import AMSTERDAM, ROTTERDAM, THOLEN, VLISSINGEN, count_queries, make_user, register

CODES = [VLISSINGEN, ROTTERDAM, THOLEN, AMSTERDAM]
MAX_QUERIES = 15
# The list is a page in the portal's tree: Wagtail's routing (site, home page, the list page and its specific
# type, view restrictions, aliases) and the breadcrumb trail cost a fixed handful more.
MAX_QUERIES_IN_PAGE_TREE = 20


@pytest.mark.parametrize(
    ("portal_name", "path", "codes"),
    [
        ("national", "/initiatieven/", CODES),
        ("zeeland", "/initiatieven/", [VLISSINGEN, THOLEN]),
        ("national", "/api/v1/initiatives", CODES),
        ("zeeland", "/api/v1/initiatives?portal=zeeland", [VLISSINGEN, THOLEN]),
        ("national", "/stand-van-het-land/", CODES),
    ],
)
def test_queries_do_not_grow_with_the_number_of_initiatives(portal_name, path, codes, request, client_for):
    portal = request.getfixturevalue(portal_name)
    client = client_for(portal)
    owner = make_user()
    for i in range(3):
        register(owner, codes[i % len(codes)])
    client.get(path)  # warm up: the host lookup and other once-per-process caches
    few, before = count_queries(client, path)
    for i in range(15):
        register(owner, codes[i % len(codes)])
    client.get(path)  # the list's totals, computed again after the change, are cached again
    many, after = count_queries(client, path)
    # The page now shows more initiatives (or larger totals), with the same number of queries
    if path.startswith("/api/"):
        assert after.json()["count"] == before.json()["count"] + 15
        assert len(after.json()["items"]) == len(before.json()["items"]) + 15
    elif path == "/initiatieven/":
        assert after.content.count(b'<li class="card">') == before.content.count(b'<li class="card">') + 15
    else:
        assert after.content != before.content
    assert many == few, f"{few} queries with 3 initiatives, {many} with 18"
    assert 0 < many <= (MAX_QUERIES_IN_PAGE_TREE if path == "/initiatieven/" else MAX_QUERIES)
