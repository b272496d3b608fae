"""The public list of all portals at /portalen/."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.support import ROTTERDAM, VLISSINGEN, make_user, register


def _row(html: str, name: str) -> str:
    match = re.search(rf"<tr><th scope=\"row\"><a href=\"([^\"]+)\">{re.escape(name)}</a>.*?</tr>", html, re.S)
    assert match, f"no row for {name}"
    return match.group(0)


def test_every_portal_is_listed_with_its_link_and_its_own_number_of_initiatives(national, zeeland, client_for):
    # Given two published initiatives in Zeeland and one in Rotterdam
    owner = make_user()
    register(owner, VLISSINGEN)
    register(owner, VLISSINGEN)
    register(owner, ROTTERDAM)

    # When anyone opens the list on a regional portal
    html = client_for(zeeland).get("/portalen/").content.decode()

    # Then each portal links to its own domain, with its kind, its municipalities and its initiatives
    zeeland_row = _row(html, zeeland.name)
    assert f'href="{zeeland.absolute_url()}"' in zeeland_row
    assert re.findall(r'<td class="num">(\d+)</td>', zeeland_row) == ["3", "2"]
    assert "provincie" in zeeland_row
    assert re.findall(r'<td class="num">(\d+)</td>', _row(html, "MAEX Rotterdam")) == ["1", "1"]
    names = re.findall(r'<tr><th scope="row"><a href="[^"]+">([^<]+)</a>', html)
    assert names[0] == national.name and zeeland.name in names  # the national portal first
    assert "template" not in html


def test_the_list_costs_the_same_queries_for_more_initiatives(national, client_for):
    client = client_for(national)
    client.get("/portalen/")
    connection.set_schema_to_public()
    with CaptureQueriesContext(connection) as few:
        client.get("/portalen/")
    owner = make_user()
    for _ in range(5):
        register(owner, VLISSINGEN)
    connection.set_schema_to_public()
    with CaptureQueriesContext(connection) as many:
        client.get("/portalen/")
    assert len(many) == len(few) <= 10
