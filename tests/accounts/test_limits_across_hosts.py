"""Limits that hold: the failed-login and reset limits count per account on every portal and host, and the client
address behind them is the one our proxies vouch for, never whatever X-Forwarded-For claims
(docs/decisions/0014-canonical-hosts-link-origin-proxies-csp.md)."""

import json
import random
import subprocess
import sys

import pytest
from allauth.account import app_settings as allauth_settings
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client, override_settings

from tests.live import ROOT, process_env
from tests.support import make_user

PASSWORD = "een-lang-wachtwoord-123"
LOCKED = "Te veel inlogpogingen"  # allauth's message when a login limit holds


def _login(host, email, password, **headers):
    client = Client(HTTP_HOST=host, **headers)
    response = client.post("/account/login/", {"login": email, "password": password})
    return client, response


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _random_ip() -> str:
    return ".".join(str(random.randint(1, 254)) for _ in range(4))


def test_wrong_passwords_spread_over_portals_and_ports_hit_the_account_lock(national, zeeland, rotterdam, denhaag):
    cache.clear()
    person = make_user(password=PASSWORD)
    key_limit = next(
        int(r.split("/")[0]) for r in allauth_settings.RATE_LIMITS["login_failed"].split(",") if "key" in r
    )
    hosts = [
        "zeeland.localhost",
        f"zeeland.localhost:{settings.LINK_PORT}",
        "rotterdam.localhost",
        "denhaag.localhost",
        "maex.localhost",
    ]
    # Given as many wrong passwords as the account's limit allows, each on another portal or host spelling
    for n in range(key_limit):
        client, response = _login(hosts[n % len(hosts)], person.email, "fout-wachtwoord-1234")
        assert not _signed_in(client)
        assert LOCKED not in response.content.decode()

    # When the right password is tried on yet another portal
    client, response = _login("denhaag.localhost", person.email.upper(), PASSWORD)

    # Then the account is locked there too: no session, and the page says why
    assert not _signed_in(client)
    assert LOCKED in response.content.decode()


def test_reset_requests_spread_over_portals_hit_the_accounts_reset_limit(national, zeeland, rotterdam, denhaag):
    cache.clear()
    person = make_user(password=PASSWORD)
    key_limit = next(
        int(r.split("/")[0]) for r in allauth_settings.RATE_LIMITS["reset_password"].split(",") if "key" in r
    )
    hosts = ["zeeland.localhost", "rotterdam.localhost", "denhaag.localhost", "maex.localhost"]
    # Given as many reset mails as the account's limit allows, asked for on different portals
    for n in range(key_limit):
        response = Client(HTTP_HOST=hosts[n % len(hosts)]).post("/account/password/reset/", {"email": person.email})
        assert response.status_code == 302
    assert len(mail.outbox) == key_limit

    # When another one is asked for on another portal
    response = Client(HTTP_HOST="denhaag.localhost").post("/account/password/reset/", {"email": person.email})

    # Then it is refused and no mail is sent
    assert response.status_code == 429
    assert len(mail.outbox) == key_limit


@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "3/m/ip"})
def test_without_trusted_proxies_a_spoofed_forwarded_for_does_not_escape_the_login_limit(zeeland):
    cache.clear()
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == 0  # the default: no proxy is trusted
    # Given three failed logins, each claiming another client address
    for n in range(3):
        _login("zeeland.localhost", f"niemand{n}@example.org", "fout", HTTP_X_FORWARDED_FOR=_random_ip())
    # When a fourth comes with yet another address
    client, response = _login("zeeland.localhost", "niemand9@example.org", "fout", HTTP_X_FORWARDED_FOR=_random_ip())
    # Then the connection's address counts, and it is over its limit
    assert not _signed_in(client)
    assert LOCKED in response.content.decode()


@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "3/m/ip"}, ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_only_the_rightmost_forwarded_address_counts_for_logins(zeeland):
    cache.clear()
    # Given three failed logins through our proxy from 203.0.113.7, each with a forged address in front
    for n in range(3):
        _login(
            "zeeland.localhost", f"niemand{n}@example.org", "fout", HTTP_X_FORWARDED_FOR=f"{_random_ip()}, 203.0.113.7"
        )
    # When the same client tries again, and another client tries for the first time
    _, same = _login("zeeland.localhost", "x@example.org", "fout", HTTP_X_FORWARDED_FOR=f"{_random_ip()}, 203.0.113.7")
    _, other = _login("zeeland.localhost", "y@example.org", "fout", HTTP_X_FORWARDED_FOR=f"{_random_ip()}, 203.0.113.8")
    # Then the first is over its limit and the second is not
    assert LOCKED in same.content.decode()
    assert LOCKED not in other.content.decode()


def _throttle_hits(path, count, hosts, forwarded):
    """How many of ``count`` anonymous API calls pass, spread over ``hosts``, each with X-Forwarded-For from
    ``forwarded()``."""
    passed = 0
    for n in range(count):
        response = Client(HTTP_HOST=hosts[n % len(hosts)]).get(path, HTTP_X_FORWARDED_FOR=forwarded())
        passed += response.status_code != 429
    return passed


UNKNOWN = "/api/v1/initiatives/00000000-0000-4000-8000-000000000000"  # cheap: a 404 counts like any call
API_HOSTS = ["maex.localhost", "zeeland.localhost", "rotterdam.localhost", "denhaag.localhost"]


@pytest.fixture
def api_limit():
    return int(settings.API_RATE.split("/")[0])  # MAEX_API_RATE, e.g. 120/m


def test_without_trusted_proxies_random_forwarded_for_values_do_not_pass_the_api_limit(
    national, zeeland, rotterdam, denhaag, api_limit
):
    cache.clear()
    # When one client sends more calls than the limit, each claiming a new address, spread over every portal
    passed = _throttle_hits(UNKNOWN, api_limit + 5, API_HOSTS, _random_ip)
    # Then exactly the limit passes
    assert passed == api_limit


def test_behind_one_proxy_the_api_limit_counts_the_rightmost_address(national, zeeland, api_limit, monkeypatch):
    from ninja.conf import settings as ninja_settings

    # django-ninja reads NINJA_NUM_PROXIES once at import: set it as a process started with
    # MAEX_TRUSTED_PROXIES=1 has it (the test below checks that wiring).
    monkeypatch.setattr(ninja_settings, "NUM_PROXIES", 1)
    cache.clear()
    # When one client behind our proxy sends more calls than the limit, with forged addresses in front
    passed = _throttle_hits(
        UNKNOWN, api_limit + 3, API_HOSTS[:2], lambda: f"{_random_ip()}, {_random_ip()}, 198.51.100.4"
    )
    # Then exactly the limit passes; another client behind the same proxy still gets through
    assert passed == api_limit
    assert _throttle_hits(UNKNOWN, 1, API_HOSTS[:1], lambda: "198.51.100.5") == 1


def test_one_environment_variable_sets_the_trusted_proxies_of_allauth_and_the_api():
    script = (
        "import json, django; django.setup(); from django.conf import settings; from ninja.conf import settings as n;"
        "print(json.dumps([settings.ALLAUTH_TRUSTED_PROXY_COUNT, n.NUM_PROXIES]))"
    )
    # Unset, no proxy is trusted (this test process runs without it)
    assert [settings.ALLAUTH_TRUSTED_PROXY_COUNT, settings.NINJA_NUM_PROXIES] == [0, 0]
    # Set, both libraries trust that many
    env = process_env(MAEX_TRUSTED_PROXIES="2")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [2, 2]
