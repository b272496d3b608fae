"""Signed in once, signed in everywhere, in a real Chromium against a real server: signed in on Zeeland, a
person is signed in on Rotterdam after one automatic trip to the national portal, and signing out on
Rotterdam signs them out on both (docs/decisions/0022-one-sign-in-across-portals.md)."""

import pytest
from django.test import override_settings

from accounts.services import delete_account
from accounts.sign_on import sync_sign_on_clients
from tests.live import WebServer
from tests.support import make_user

pytestmark = pytest.mark.browser
PASSWORD = "een-lang-wachtwoord-123"
NATIONAL, ZEELAND, ROTTERDAM = "maex.localhost", "zeeland.localhost", "rotterdam.localhost"


@pytest.fixture
def sign_on_server(django_db_setup, django_db_blocker):
    """A server with the silent check on (the test settings keep it off), threads for the back channel to
    itself, and every portal's client registered on its port."""
    with django_db_blocker.unblock():
        server = WebServer(threads=4, MAEX_SIGN_ON_SILENT_CHECK="true")
        with override_settings(LINK_PORT=server.port):
            sync_sign_on_clients()
    yield server
    server.stop()
    with django_db_blocker.unblock():
        sync_sign_on_clients()  # back on the test settings' link port


def _signed_in(page) -> bool:
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    return menu.get_by_role("link", name="Uitloggen").count() == 1


def test_signed_in_on_zeeland_then_on_rotterdam_after_one_redirect_and_out_on_both(browser, sign_on_server, committed):
    person = committed(make_user, password=PASSWORD)
    committed.cleanup(delete_account, person)
    server = sign_on_server
    page = browser.new_context().new_page()
    national_visits = []
    page.on(
        "request",
        lambda request: (
            request.is_navigation_request() and f"{NATIONAL}:" in request.url and national_visits.append(request.url)
        ),
    )

    # Given a visitor of Zeeland, signed in nowhere: the first page comes back anonymous after a silent check
    page.goto(server.url(ZEELAND, "/initiatieven/"))
    page.wait_for_url(server.url(ZEELAND, "/initiatieven/"))
    assert len(national_visits) == 1 and "prompt=none" in national_visits[0]
    assert not _signed_in(page)

    # When they sign in on Zeeland (at the national portal, once, with their password)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Inloggen").click()
    page.wait_for_url(f"**{NATIONAL}:*/account/login/**")
    page.fill("input[name=login]", person.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Inloggen", exact=True).click()

    # Then they are back on Zeeland's page, signed in
    page.wait_for_url(server.url(ZEELAND, "/initiatieven/"))
    assert _signed_in(page)

    # When they open Rotterdam
    national_visits.clear()
    page.goto(server.url(ROTTERDAM, "/initiatieven/"))
    page.wait_for_url(server.url(ROTTERDAM, "/initiatieven/"))

    # Then one automatic trip to the national portal signed them in there, with no password asked
    assert len(national_visits) == 1, national_visits
    assert _signed_in(page)

    # When they sign out on Rotterdam
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Uitloggen").click()
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(server.url(ROTTERDAM, "/"))

    # Then they are signed out on Rotterdam, on Zeeland and at the national portal
    assert not _signed_in(page)
    for host in (ZEELAND, NATIONAL):
        page.goto(server.url(host, "/initiatieven/"))
        page.wait_for_url(server.url(host, "/initiatieven/"))
        assert not _signed_in(page), host
