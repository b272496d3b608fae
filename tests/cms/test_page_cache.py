"""A page rendered for a visitor without a session is served from the cache until anything it shows changes, on its
own portal only, with the visitor's own CSRF token (docs/decisions/0030-page-cache.md).

These tests commit what they change (the ``committed`` fixture, no test transaction): the versions move when a
transaction commits, as in production, and a page is only ever fresh or cached after a commit."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from accounts.services import delete_account
from cms.models import ContentPage, HomePage
from initiatives.models import Initiative
from national_index import projector
from tenants.middleware import forget_host
from tenants.models import Portal
from tenants.page_cache import PORTAL_EXCLUDE, PORTAL_PREFIXES, PUBLIC_PREFIXES, watched_tables
from tests.support import ROTTERDAM, make_user, register

pytestmark = pytest.mark.usefixtures("django_db_setup")
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def page_cache(settings, committed):
    """The page cache on, with each portal's first page seen once: a portal's first page creates its site settings
    (Wagtail's ``for_site``), a change of what its pages show that moves the version once."""
    settings.PAGE_CACHE_SECONDS = 600
    for schema in ("zeeland", "rotterdam"):
        portal = committed(_portal, schema)
        _get(committed, Client(HTTP_HOST=portal.primary_host), "/")


def _portal(schema):
    return Portal.objects.with_domains().get(schema_name=schema)


def _get(committed, client, path):
    def get():
        response = client.get(path)
        connection.set_schema_to_public()
        return response

    return committed(get)


def _page(committed, schema, slug, title):
    """A published content page under the portal's home page, deleted after the test."""

    def make():
        with schema_context(schema):
            home = HomePage.objects.get()
            page = home.add_child(instance=ContentPage(title=title, slug=slug, intro="Een pagina."))
            page.save_revision().publish()
            return page.pk

    pk = committed(make)

    def delete():
        with schema_context(schema):
            ContentPage.objects.filter(pk=pk).delete()

    committed.cleanup(delete)
    return pk


def _user(committed):
    user = committed(make_user)
    committed.cleanup(delete_account, user)
    return user


def _retitle(committed, schema, pk, title):
    def change():
        with schema_context(schema):
            page = ContentPage.objects.get(pk=pk)
            page.title = title
            page.save_revision().publish()

    committed(change)


def test_a_second_visitor_gets_the_page_from_the_cache_and_a_fresh_one_after_the_page_is_published(
    committed, page_cache
):
    # Given a published content page on Zeeland, seen once by a visitor without a session
    zeeland = committed(_portal, "zeeland")
    pk = _page(committed, "zeeland", "cache-proef", "Eerste titel")
    first = _get(committed, Client(HTTP_HOST=zeeland.primary_host), "/cache-proef/")
    # When another visitor asks for it
    second = _get(committed, Client(HTTP_HOST=zeeland.primary_host), "/cache-proef/")
    # Then it comes from the cache, the same page
    assert (first.status_code, first["X-Page-Cache"]) == (200, "miss")
    assert (second.status_code, second["X-Page-Cache"]) == (200, "hit")
    assert b"Eerste titel" in second.content
    # When an editor publishes a new title
    _retitle(committed, "zeeland", pk, "Tweede titel")
    third = _get(committed, Client(HTTP_HOST=zeeland.primary_host), "/cache-proef/")
    # Then the next visitor gets the new page at once, rendered again
    assert third["X-Page-Cache"] == "miss"
    assert b"Tweede titel" in third.content and b"Eerste titel" not in third.content


def test_an_unpublished_page_is_gone_for_the_next_visitor(committed, page_cache):
    # Given a page in the cache
    zeeland = committed(_portal, "zeeland")
    pk = _page(committed, "zeeland", "even-weg", "Even weg")
    _get(committed, Client(HTTP_HOST=zeeland.primary_host), "/even-weg/")
    assert _get(committed, Client(HTTP_HOST=zeeland.primary_host), "/even-weg/")["X-Page-Cache"] == "hit"

    # When an editor unpublishes it
    def unpublish():
        with schema_context("zeeland"):
            ContentPage.objects.get(pk=pk).unpublish()

    committed(unpublish)
    # Then it is not found any more
    assert _get(committed, Client(HTTP_HOST=zeeland.primary_host), "/even-weg/").status_code == 404


def test_a_newly_published_initiative_is_in_the_list_of_the_next_visitor(committed, page_cache):
    # Given Rotterdam's initiative list in the cache
    rotterdam = committed(_portal, "rotterdam")
    _get(committed, Client(HTTP_HOST=rotterdam.primary_host), "/initiatieven/")
    cached = _get(committed, Client(HTTP_HOST=rotterdam.primary_host), "/initiatieven/")
    assert cached["X-Page-Cache"] == "hit"
    # When an initiative is registered and published there (through the services, committed)
    owner = _user(committed)
    initiative, _portal_ = committed(register, owner, ROTTERDAM, name="Buurtkeuken Cachestraat")

    def forget():
        with schema_context("rotterdam"):
            Initiative.objects.filter(pk=initiative.pk).delete()
        projector.forget(initiative.uuid)

    committed.cleanup(forget)
    # Then the next visitor's list shows it
    fresh = _get(committed, Client(HTTP_HOST=rotterdam.primary_host), "/initiatieven/")
    assert fresh["X-Page-Cache"] == "miss"
    assert b"Buurtkeuken Cachestraat" in fresh.content


def test_a_change_of_the_portal_itself_reaches_its_pages(committed, page_cache):
    # Given Zeeland's content page in the cache
    zeeland = committed(_portal, "zeeland")
    _page(committed, "zeeland", "naam-proef", "Naamproef")
    _get(committed, Client(HTTP_HOST=zeeland.primary_host), "/naam-proef/")
    old_name = zeeland.name

    # When the portal is renamed (a row in the public schema)
    def rename(name):
        Portal.objects.filter(pk=zeeland.pk).update(name=name)
        forget_host(zeeland.primary_host)  # as the portal's edit screen does

    committed(rename, "MAEX Zeeland Proefnaam")
    committed.cleanup(rename, old_name)
    # Then its pages show the new name
    fresh = _get(committed, Client(HTTP_HOST=zeeland.primary_host), "/naam-proef/")
    assert fresh["X-Page-Cache"] == "miss"
    assert b"MAEX Zeeland Proefnaam" in fresh.content


def test_each_portal_has_its_own_entries(committed, page_cache):
    # Given the same path on two portals, Zeeland's seen first
    zeeland, rotterdam = committed(_portal, "zeeland"), committed(_portal, "rotterdam")
    _page(committed, "zeeland", "zelfde-pad", "Zeeuwse pagina")
    _page(committed, "rotterdam", "zelfde-pad", "Rotterdamse pagina")
    _get(committed, Client(HTTP_HOST=zeeland.primary_host), "/zelfde-pad/")
    # When a visitor asks Rotterdam for it
    response = _get(committed, Client(HTTP_HOST=rotterdam.primary_host), "/zelfde-pad/")
    # Then they get Rotterdam's page, rendered for Rotterdam
    assert response["X-Page-Cache"] == "miss"
    assert b"Rotterdamse pagina" in response.content and b"Zeeuwse pagina" not in response.content


def test_a_signed_in_person_never_gets_the_cached_page(committed, page_cache):
    # Given a page in the cache
    zeeland = committed(_portal, "zeeland")
    _page(committed, "zeeland", "cache-ingelogd", "Ingelogd")
    _get(committed, Client(HTTP_HOST=zeeland.primary_host), "/cache-ingelogd/")
    user = _user(committed)
    client = Client(HTTP_HOST=zeeland.primary_host)
    committed(client.force_login, user)
    # When a signed-in person asks for it
    response = _get(committed, client, "/cache-ingelogd/")
    # Then it is rendered for them, and shows that they are signed in
    assert response.status_code == 200 and "X-Page-Cache" not in response
    assert b"/account/logout/" in response.content or b"Afmelden" in response.content


def test_every_visitor_gets_a_csrf_token_of_their_own_that_works(committed, page_cache):
    # Given a page in the cache (its language switch is a form with a CSRF token)
    zeeland = committed(_portal, "zeeland")
    _page(committed, "zeeland", "taalkeuze", "Taalkeuze")
    _get(committed, Client(HTTP_HOST=zeeland.primary_host), "/taalkeuze/")
    # When two visitors get it from the cache
    one, two = (
        Client(HTTP_HOST=zeeland.primary_host, enforce_csrf_checks=True),
        Client(HTTP_HOST=zeeland.primary_host, enforce_csrf_checks=True),
    )
    first, second = _get(committed, one, "/taalkeuze/"), _get(committed, two, "/taalkeuze/")
    assert first["X-Page-Cache"] == second["X-Page-Cache"] == "hit"
    token_one, token_two = TOKEN.search(first.content).group(1), TOKEN.search(second.content).group(1)
    # Then each has their own token and cookie, and the language switch accepts it
    assert token_one != token_two
    assert "csrftoken" in first.cookies
    switched = committed(
        one.post, "/taal/", {"language": "en", "next": "/taalkeuze/", "csrfmiddlewaretoken": token_one.decode()}
    )
    assert switched.status_code == 302
    # And the English visitor gets the English page, not the cached Dutch one
    english = _get(committed, one, "/taalkeuze/")
    assert english["Content-Language"] == "en"
    assert b'lang="en"' in english.content


def test_a_query_string_is_a_page_of_its_own(committed, page_cache):
    # Given the list in the cache, unfiltered
    rotterdam = committed(_portal, "rotterdam")
    _get(committed, Client(HTTP_HOST=rotterdam.primary_host), "/initiatieven/")
    # When a visitor filters it
    filtered = _get(committed, Client(HTTP_HOST=rotterdam.primary_host), "/initiatieven/?sdg=3")
    # Then that is rendered for the filter
    assert filtered["X-Page-Cache"] == "miss"


@pytest.mark.django_db
def test_every_table_a_page_shows_carries_the_trigger():
    # Given a portal's schema, cloned from the template as every portal is, and the public schema
    for schema, prefixes, exclude in [
        ("zeeland", PORTAL_PREFIXES, PORTAL_EXCLUDE),
        ("public", PUBLIC_PREFIXES, ()),
    ]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [schema])
            tables = {t for (t,) in cursor.fetchall() if t.startswith(prefixes) and t not in exclude}
        # Then each of its watched tables has the trigger (a new model's table needs page_cache.install again)
        assert tables and tables <= watched_tables(schema), sorted(tables - watched_tables(schema))


def test_a_page_from_the_cache_costs_at_most_two_queries(committed, page_cache):
    # Given a content page rendered once
    zeeland = committed(_portal, "zeeland")
    _page(committed, "zeeland", "twee-vragen", "Twee vragen")
    _get(committed, Client(HTTP_HOST=zeeland.primary_host), "/twee-vragen/")

    # When another visitor gets it
    def counted():
        with CaptureQueriesContext(connection) as ctx:
            response = Client(HTTP_HOST=zeeland.primary_host).get("/twee-vragen/")
        connection.set_schema_to_public()
        return response, len(ctx.captured_queries)

    response, queries = committed(counted)
    # Then the host lookup (cached too, after the first) and the versions are all it asks the database
    assert response["X-Page-Cache"] == "hit"
    assert queries <= 2
