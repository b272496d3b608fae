"""Each portal is its own client of the national portal, on its canonical host only
(docs/decisions/0022-one-sign-in-across-portals.md): registered when it is created or changed, its codes
sent nowhere else, and the provider's pages answer on the national portal alone."""

from urllib.parse import urlencode, urlsplit

import pytest
from allauth.idp.oidc.models import Client
from allauth.socialaccount.models import SocialApp
from django.contrib.auth.hashers import check_password

from accounts.sign_on import CALLBACK_PATH, client_id_of, sign_in_url, sync_sign_on_clients
from portals.services import add_domain, create_portal
from tenants.middleware import forget_host
from tests.sign_on import Browser, host_of, route_back_channel, sign_in_at_national
from tests.support import make_user


@pytest.fixture
def hosts():
    used = []
    yield used
    for host in used:
        forget_host(host)


def test_every_portal_but_the_national_one_is_a_client_on_its_canonical_host(national, zeeland, rotterdam):
    sync_sign_on_clients()
    assert not Client.objects.filter(id=client_id_of(national)).exists()
    for portal in (zeeland, rotterdam):
        client = Client.objects.get(id=client_id_of(portal))
        app = SocialApp.objects.get(client_id=client_id_of(portal))
        assert client.get_redirect_uris() == [portal.absolute_url(CALLBACK_PATH)]
        assert client.skip_consent and client.type == Client.Type.CONFIDENTIAL
        assert check_password(app.secret, client.secret) and len(app.secret) >= 32  # hashed at the provider
        assert app.settings["portal"] == portal.schema_name


def test_a_new_portal_is_registered_and_follows_its_primary_domain(national, hosts):
    # Given a new portal
    hosts += ["sso-test.localhost", "sso-nieuw.localhost"]
    portal = create_portal(schema_name="sso_test", name="SSO Test", kind="region", hosts=[hosts[0]]).portal
    client = Client.objects.get(id=client_id_of(portal))
    assert client.get_redirect_uris() == ["http://sso-test.localhost:8000" + CALLBACK_PATH]
    secret = client.secret
    # When another domain becomes its primary one
    add_domain(portal, hosts[1], is_primary=True)
    # Then its redirect URI moves there, its secret unchanged
    client.refresh_from_db()
    assert client.get_redirect_uris() == ["http://sso-nieuw.localhost:8000" + CALLBACK_PATH]
    assert client.secret == secret


def test_a_code_for_one_portal_cannot_be_sent_to_another(national, zeeland, rotterdam):
    # Given a person signed in nationally
    browser = Browser()
    sign_in_at_national(browser, national, make_user())
    # When an authorization request of Zeeland's client names Rotterdam's callback
    query = {
        "client_id": client_id_of(zeeland),
        "redirect_uri": rotterdam.absolute_url(CALLBACK_PATH),
        "response_type": "code",
        "scope": "openid",
        "state": "x",
    }
    response = browser.on(host_of(national)).get(f"/identity/o/authorize?{urlencode(query)}")
    # Then the provider refuses on its own page: no code goes anywhere
    assert response.status_code != 302 or "code=" not in response.get("Location", "")
    assert rotterdam.primary_host not in response.get("Location", "")


def test_after_signing_in_a_portal_sends_only_to_its_own_pages(national, zeeland, monkeypatch):
    route_back_channel(monkeypatch)
    browser = Browser()
    sign_in_at_national(browser, national, make_user())
    for evil in ("https://evil.example/", "//evil.example/", "http://maex.localhost:8000@evil.example/"):
        final, chain = browser.go(sign_in_url(evil), host=host_of(zeeland))
        assert all("evil.example" not in urlsplit(url).netloc for _, url in chain), chain


def test_a_silent_check_that_fails_returns_only_to_the_portals_own_pages(national, zeeland, settings, monkeypatch):
    settings.SIGN_ON_SILENT_CHECK = True
    route_back_channel(monkeypatch)
    final, chain = Browser().go(sign_in_url("https://evil.example/", silent=True), host=host_of(zeeland))
    assert "error=login_required" in chain[-2][1]
    assert chain[-1] == (host_of(zeeland), "/")


@pytest.mark.parametrize("path", ["/identity/o/authorize", "/.well-known/openid-configuration", "/identity/o/logout"])
def test_the_provider_answers_on_the_national_portal_only(national, zeeland, path):
    assert Browser().on(host_of(zeeland)).get(path).status_code == 404
    configuration = Browser().on(host_of(national)).get("/.well-known/openid-configuration").json()
    assert configuration["issuer"] == national.absolute_url("/").rstrip("/")
    assert "S256" in configuration.get("code_challenge_methods_supported", ["S256"])
