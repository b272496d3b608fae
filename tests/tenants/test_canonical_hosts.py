"""One canonical host per portal: other spellings redirect to it (reads) or are refused (writes), and every
absolute URL (mail, sitemap, robots.txt, the index) comes from it and from configuration, never from the request's
Host or the shell's PORT (docs/decisions/0014-canonical-hosts-link-origin-proxies-csp.md)."""

import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client, override_settings

from accounts.services import delete_account
from initiatives.models import Initiative
from national_index import projector
from portals.services import add_domain
from tests.live import ROOT, process_env
from tests.support import VLISSINGEN, make_user, register

ZEELAND = f"http://zeeland.localhost:{settings.LINK_PORT}"  # the canonical origin in the test settings


@pytest.mark.parametrize(
    "host",
    [
        "www.zeeland.localhost",  # django-tenants strips www. to find the portal
        "zeeland.localhost:8123",  # an odd port
        f"www.zeeland.localhost:{settings.LINK_PORT}",
    ],
)
def test_another_spelling_of_a_portals_host_redirects_to_the_canonical_one(zeeland, host):
    response = Client(HTTP_HOST=host).get("/initiatieven/", {"q": "moestuin", "page": "2"})
    assert response.status_code == 301
    assert response["Location"] == f"{ZEELAND}/initiatieven/?q=moestuin&page=2"


def test_a_secondary_domain_redirects_to_the_primary_one(zeeland):
    add_domain(zeeland, "zeeland-provincie.localhost")
    response = Client(HTTP_HOST="zeeland-provincie.localhost").get("/over/")
    assert response.status_code == 301
    assert response["Location"] == f"{ZEELAND}/over/"


def test_a_form_sent_to_another_spelling_is_refused_and_changes_nothing(zeeland):
    person = make_user()
    response = Client(HTTP_HOST="www.zeeland.localhost").post("/account/password/reset/", {"email": person.email})
    assert response.status_code == 400
    assert "alleen bereikbaar op zijn eigen adres" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.parametrize("host", ["zeeland.localhost", f"zeeland.localhost:{settings.LINK_PORT}"])
def test_the_canonical_host_is_served_with_or_without_the_link_port(zeeland, host):
    response = Client(HTTP_HOST=host).get("/initiatieven/")
    assert response.status_code == 200
    assert response.context["request"].tenant.schema_name == "zeeland"


@override_settings(SECURE_SSL=True, LINK_PORT=0)
def test_password_reset_links_use_the_canonical_origin_not_the_requests(zeeland):
    person = make_user()
    # When a reset is asked for over plain HTTP on port 80 (the configured origin is https without a port)
    response = Client(HTTP_HOST="zeeland.localhost:80").post("/account/password/reset/", {"email": person.email})
    assert response.status_code == 302
    # Then the mailed link is on the portal's canonical origin
    (message,) = mail.outbox
    links = re.findall(r"https?://\S+", message.body)
    assert links and all(link.startswith("https://zeeland.localhost/") for link in links), links
    assert any("/account/password/reset/key/" in link for link in links), links


@override_settings(SECURE_SSL=True, LINK_PORT=0)
def test_a_verification_link_uses_the_canonical_origin(rotterdam):
    Client(HTTP_HOST="rotterdam.localhost").post(
        "/account/signup/",
        {
            "email": "nieuw-canoniek@example.org",
            "password1": "een-lang-wachtwoord-123",
            "password2": "een-lang-wachtwoord-123",
        },
    )
    (message,) = mail.outbox
    links = re.findall(r"https?://\S+", message.body)
    assert any(link.startswith("https://rotterdam.localhost/account/confirm-email/") for link in links), links
    assert not any(link.startswith("http://") for link in links), links


def test_sitemap_and_robots_come_from_the_canonical_origin_whatever_the_host_spelling(zeeland):
    here, _ = register(make_user(), VLISSINGEN)
    # Requested without a port (as through a proxy), the links still carry the configured origin
    sitemap = Client(HTTP_HOST="zeeland.localhost").get("/sitemap.xml").content.decode()
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert f"{ZEELAND}/initiatieven/{here.slug}/" in locations
    assert all(loc.startswith(f"{ZEELAND}/") for loc in locations), locations
    robots = Client(HTTP_HOST="zeeland.localhost").get("/robots.txt").content.decode()
    assert f"Sitemap: {ZEELAND}/sitemap.xml" in robots
    # and another spelling never gets a copy of its own to cache
    for path in ("/sitemap.xml", "/robots.txt"):
        response = Client(HTTP_HOST="www.zeeland.localhost:8123").get(path)
        assert (response.status_code, response["Location"]) == (301, f"{ZEELAND}{path}")


def _withdraw(schema, uuid):
    from django_tenants.utils import schema_context

    with schema_context(schema):
        Initiative.objects.filter(uuid=uuid).delete()
    projector.forget(uuid)


def test_reconcile_check_agrees_with_the_server_whatever_port_the_shell_has(django_db_setup, committed):
    # Given an initiative registered (and projected with its URL) by this process
    owner = committed(make_user)
    committed.cleanup(delete_account, owner)
    initiative, portal = committed(register, owner, VLISSINGEN)
    committed.cleanup(_withdraw, portal.schema_name, initiative.uuid)
    # When reconcile --check runs in a shell whose PORT is another server's
    result = subprocess.run(
        [sys.executable, "manage.py", "reconcile_index", "--check"],
        cwd=ROOT,
        env={k: v for k, v in process_env(PORT="8123").items() if k != "MAEX_LINK_PORT"},
        capture_output=True,
        text=True,
    )
    # Then it finds nothing stale (it did check the committed initiative)
    assert result.returncode == 0, result.stdout + result.stderr
    assert committed(_indexed_url, initiative.uuid) == f"{ZEELAND}/initiatieven/{initiative.slug}/"


def _indexed_url(uuid):
    from national_index.models import IndexEntry

    return IndexEntry.objects.get(uuid=uuid).url
