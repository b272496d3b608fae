"""A browser with one cookie jar per host, and the portals' back channel to the national portal, for the tests
of one sign-in across portals (docs/decisions/0022-one-sign-in-across-portals.md).

A portal fetches the provider's configuration, keys and tokens over HTTP (``requests``). In these tests that
HTTP request is answered by the platform itself, in process, through Django's test client on the national
host: ``DjangoTransport`` is a ``requests`` transport adapter, the outside-world boundary (the network)
replaced, nothing of allauth or the platform. The provider's views, the client's views and the database are
the real ones, in the test's transaction.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import requests
from django.db import connection
from django.test import Client
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict

LINK_PORT = 8000  # the test settings' link port: the canonical hosts' explicit port


def host_of(portal) -> str:
    return f"{portal.primary_host}:{LINK_PORT}"


class Browser:
    """Cookies per host, as a browser keeps them; ``go`` follows redirects across hosts."""

    def __init__(self, **headers):
        self.headers = {"HTTP_ACCEPT": "text/html", **headers}
        self.clients: dict[str, Client] = {}

    def on(self, host: str) -> Client:
        if host not in self.clients:
            self.clients[host] = Client(HTTP_HOST=host, **self.headers)
        return self.clients[host]

    def get(self, url: str, host: str | None = None):
        parts = urlsplit(url)
        host = parts.netloc or host
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        response = self.on(host).get(path)
        response.host = host
        return response

    def go(self, url: str, host: str | None = None, limit: int = 10):
        """GET ``url`` and follow every redirect; returns (final response, [(host, path), ...] visited)."""
        response = self.get(url, host)
        chain = [(response.host, url)]
        while response.status_code in (301, 302) and len(chain) <= limit:
            location = response["Location"]
            response = self.get(location, response.host)
            chain.append((response.host, location))
        return response, chain


class DjangoTransport(HTTPAdapter):
    """Answer a ``requests`` call with the platform's own view, through the test client on the URL's host."""

    def send(self, request, *args, **kwargs):
        parts = urlsplit(request.url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        extra = {"HTTP_HOST": parts.netloc}
        for name, value in request.headers.items():
            if name.lower() == "authorization":
                extra["HTTP_AUTHORIZATION"] = value
        tenant = getattr(connection, "tenant", None)  # the portal whose request is waiting for this answer
        try:
            client = Client()
            if request.method == "POST":
                answer = client.post(
                    path, data=request.body, content_type=request.headers.get("Content-Type", ""), **extra
                )
            else:
                answer = client.get(path, **extra)
        finally:
            if tenant is not None:
                connection.set_tenant(tenant)
        response = requests.Response()
        response.status_code = answer.status_code
        response._content = answer.content
        response.headers = CaseInsensitiveDict(dict(answer.items()))
        response.url = request.url
        response.request = request
        response.encoding = "utf-8"
        return response


class Unreachable(HTTPAdapter):
    """A national portal that does not answer: the connection is refused, as by a host that is down."""

    def send(self, request, *args, **kwargs):
        raise requests.ConnectionError(f"connection refused: {request.url}", request=request)


def route_back_channel(monkeypatch, *, down: bool = False) -> None:
    """Every ``requests`` session sends through ``DjangoTransport`` (the network boundary of these tests), or
    nowhere (``down``)."""
    transport = Unreachable() if down else DjangoTransport()
    monkeypatch.setattr(requests.Session, "get_adapter", lambda self, url: transport)


def sign_in_at_national(browser: Browser, national, user, password="een-lang-wachtwoord-123"):
    response = browser.on(host_of(national)).post("/account/login/", {"login": user.email, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return response
