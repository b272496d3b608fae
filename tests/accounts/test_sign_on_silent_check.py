"""At most one automatic redirect: an anonymous visitor's first page on a portal asks the national portal,
silently (prompt=none), whether they are signed in there (docs/decisions/0022-one-sign-in-across-portals.md).
The test settings keep the check off; these tests switch it on."""

from urllib.parse import parse_qs, urlsplit

import pytest

from accounts.sign_on_middleware import CHECKED_COOKIE
from tests.sign_on import Browser, host_of, route_back_channel, sign_in_at_national
from tests.support import ROTTERDAM, make_user, register


@pytest.fixture(autouse=True)
def silent_check(settings, monkeypatch):
    settings.SIGN_ON_SILENT_CHECK = True
    route_back_channel(monkeypatch)


def test_signed_in_nationally_the_first_page_of_another_portal_signs_in_after_one_redirect(national, zeeland):
    # Given a person signed in at the national portal
    person = make_user()
    browser = Browser()
    sign_in_at_national(browser, national, person)
    # When they open a page of Zeeland
    page, chain = browser.go("/initiatieven/?gemeente=0718", host=host_of(zeeland))
    # Then one trip to the national portal (prompt=none) signs them in, back on the same page
    assert [host for host, _ in chain].count(host_of(national)) == 1, chain
    authorize = parse_qs(urlsplit(chain[2][1]).query)
    assert authorize["prompt"] == ["none"] and authorize["client_id"] == ["portaal-zeeland"]
    assert chain[-1] == (host_of(zeeland), "/initiatieven/?gemeente=0718") and page.status_code == 200
    assert browser.on(host_of(zeeland)).session["_auth_user_id"] == str(person.pk), chain


def test_signed_in_nowhere_the_visitor_comes_back_anonymous_and_is_not_asked_again(national, rotterdam):
    # Given a visitor signed in nowhere
    browser = Browser()
    # When they open a page of Rotterdam
    page, chain = browser.go("/initiatieven/", host=host_of(rotterdam))
    # Then the national portal answers "login_required" without showing anything, and they see the page
    assert "error=login_required" in chain[-2][1], chain
    assert chain[-1] == (host_of(rotterdam), "/initiatieven/") and page.status_code == 200
    assert "_auth_user_id" not in browser.on(host_of(rotterdam)).session
    # And the next page is not checked again in this browser session
    assert CHECKED_COOKIE in browser.on(host_of(rotterdam)).cookies
    again = browser.on(host_of(rotterdam)).get("/")
    assert again.status_code == 200


@pytest.mark.parametrize(
    "path, headers",
    [
        ("/api/v1/totals", {}),
        ("/healthz", {}),
        ("/sitemap.xml", {}),
        ("/initiatieven/", {"HTTP_ACCEPT": "application/json"}),
        ("/initiatieven/", {"HTTP_USER_AGENT": "Mozilla/5.0 (compatible; Googlebot/2.1)"}),
    ],
)
def test_no_silent_check_for_the_api_health_files_machines_or_bots(zeeland, path, headers):
    response = Browser(**headers).on(host_of(zeeland)).get(path)
    assert response.status_code != 302 or "/account/oidc/" not in response["Location"]


def test_no_silent_check_on_a_form_post_or_on_the_national_portal_itself(national, zeeland):
    assert Browser().on(host_of(national)).get("/initiatieven/").status_code == 200
    post = Browser().on(host_of(zeeland)).post("/zoeken/", {})
    assert post.status_code != 302 or "/account/oidc/" not in post["Location"]


def test_the_silent_check_is_never_cached(zeeland):
    response = Browser().on(host_of(zeeland)).get("/initiatieven/")
    assert response.status_code == 302 and "prompt%3Dnone" in response["Location"]
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_after_registering_for_another_portal_the_owner_sees_it_there_signed_in(national, zeeland, rotterdam):
    # Given a person signed in nationally who registered an initiative for Rotterdam that awaits review there
    person = make_user()
    initiative, home = register(person, ROTTERDAM, publish=False)
    assert home == rotterdam and not initiative.is_published
    browser = Browser()
    sign_in_at_national(browser, national, person)
    # When they open "Mijn MAEX" on Rotterdam, a portal they never visited
    page, chain = browser.go("/mijn-maex/", host=host_of(rotterdam))
    # Then one silent trip signs them in, and they see the initiative with its review state
    assert [host for host, _ in chain].count(host_of(national)) == 1, chain
    assert chain[-1] == (host_of(rotterdam), "/mijn-maex/") and page.status_code == 200
    html = page.content.decode()
    assert initiative.name in html
