"""Signing out anywhere signs out everywhere (docs/decisions/0022-one-sign-in-across-portals.md): a portal's
sign-out ends its session, hands over to the national portal's end_session endpoint (RP-initiated logout)
and comes home; every portal session made from the same national sign-in ends with it."""

from urllib.parse import parse_qs, urlsplit

from accounts.models import SignOn
from accounts.sign_on import sign_in_url
from tests.sign_on import Browser, host_of, route_back_channel, sign_in_at_national
from tests.support import make_user


def _signed_in_on(browser, *portals):
    for portal in portals:
        browser.go(sign_in_url("/"), host=host_of(portal))


def _signed_in(browser, portal) -> bool:
    return "_auth_user_id" in browser.on(host_of(portal)).session


def test_signing_out_on_a_portal_signs_out_on_every_portal_of_that_browser(national, zeeland, rotterdam, monkeypatch):
    # Given a person signed in nationally and through it on Zeeland and Rotterdam, and the same person in a
    # second browser
    route_back_channel(monkeypatch)
    person = make_user()
    browser, other = Browser(), Browser()
    sign_in_at_national(browser, national, person)
    _signed_in_on(browser, zeeland, rotterdam)
    sign_in_at_national(other, national, person)
    _signed_in_on(other, zeeland)
    assert all(_signed_in(browser, p) for p in (national, zeeland, rotterdam))
    # When they sign out on Zeeland
    response = browser.on(host_of(zeeland)).post("/account/logout/")
    # Then Zeeland hands over to the national portal's end_session endpoint, which brings them home
    end_session = urlsplit(response["Location"])
    assert (end_session.netloc, end_session.path) == (host_of(national), "/identity/o/logout")
    assert parse_qs(end_session.query)["post_logout_redirect_uri"] == [zeeland.absolute_url("/")]
    final, chain = browser.go(response["Location"])
    assert chain[-1] == (host_of(zeeland), zeeland.absolute_url("/")) and final.status_code == 200
    # And they are signed out on every portal, in this browser only
    assert not any(_signed_in(browser, p) for p in (national, zeeland, rotterdam))
    assert _signed_in(other, national) and _signed_in(other, zeeland)
    assert not SignOn.objects.filter(session_key=browser.on(host_of(rotterdam)).session.session_key).exists()


def test_signing_out_at_the_national_portal_signs_out_the_portals(national, zeeland, rotterdam, monkeypatch):
    # Given a person signed in nationally and through it on Zeeland and Rotterdam
    route_back_channel(monkeypatch)
    browser = Browser()
    sign_in_at_national(browser, national, make_user())
    _signed_in_on(browser, zeeland, rotterdam)
    # When they sign out at the national portal
    response = browser.on(host_of(national)).post("/account/logout/")
    # Then they stay on the national portal, and are signed out on all three
    assert response.status_code == 302 and urlsplit(response["Location"]).netloc in ("", host_of(national))
    assert not any(_signed_in(browser, p) for p in (national, zeeland, rotterdam))


def test_the_end_session_endpoint_sends_only_to_a_portals_own_address(national, zeeland, monkeypatch):
    # Given a person signed in nationally
    route_back_channel(monkeypatch)
    browser = Browser()
    sign_in_at_national(browser, national, make_user())
    # When a link sends them to the end_session endpoint with an address that is not Zeeland's
    response = browser.on(host_of(national)).get(
        "/identity/o/logout", {"client_id": "portaal-zeeland", "post_logout_redirect_uri": "https://evil.example/"}
    )
    # Then they are not sent there, and not signed out without being asked
    assert not response.get("Location", "").startswith("https://evil.example")
    assert _signed_in(browser, national)
