"""One sign-in across portals, the parts that sit around every request
(docs/decisions/0022-one-sign-in-across-portals.md).

- The provider's URLs (``/identity/``, ``/.well-known/openid-configuration``, ``/.well-known/jwks.json``)
  answer on the national portal only; elsewhere they are a 404.
- On the national portal, each authorization code handed to a portal is recorded with the provider's session
  (``accounts.sign_on.record_code``), so signing out ends the portal session made with it.
- The silent check: an anonymous visitor's first HTML page on another portal is redirected once per browser
  session to the national portal with ``prompt=none``; it answers with a code (signed in, back on the page)
  or ``login_required`` (back on the page, anonymous). A session cookie says it was tried.
"""

import logging
import re
from urllib.parse import parse_qs, urlencode, urlsplit

import requests
from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme

from . import sign_on

CHECKED_COOKIE = "maex_sign_on_checked"
PROVIDER_PATHS = ("/identity/", "/.well-known/openid-configuration", "/.well-known/jwks.json")
AUTHORIZE_PATH = "/identity/o/authorize"
# Never a silent check: the sign-in itself, the API, files, the admin, health, feeds and machine-readable pages.
NOT_CHECKED = (
    "/account/",
    "/identity/",
    "/.well-known/",
    "/api/",
    "/beheer/",
    "/static/",
    "/media/",
    "/documenten/",
    "/healthz",
    "/taal/",
    "/sitemap.xml",
    "/robots.txt",
    "/favicon.ico",
)
logger = logging.getLogger(__name__)
BOTS = re.compile(r"bot|crawl|spider|slurp|preview|monitor|curl|wget|python-requests", re.IGNORECASE)


class SignOnMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        portal = sign_on.current_portal()
        if portal is None:
            return self.get_response(request)
        if request.path.startswith(PROVIDER_PATHS):
            if not portal.is_national:
                raise Http404
            if request.path == AUTHORIZE_PATH:
                self._answer_silently_for_own_portals(request)
            response = self.get_response(request)
            if request.path == AUTHORIZE_PATH:
                self._record_code(request, response)
            return self._with_form_action(response, portal)
        if request.path.startswith(("/account/", "/identity/")):
            return self._with_form_action(self.get_response(request), portal)
        if self._check_silently(request, portal):
            response = HttpResponseRedirect(sign_on.sign_in_url(request.get_full_path(), silent=True))
            response.set_cookie(
                CHECKED_COOKIE, "1", secure=request.is_secure(), httponly=True, samesite="Lax"
            )  # a session cookie: once per browser session
            add_never_cache_headers(response)
            return response
        return self.get_response(request)

    @staticmethod
    def _with_form_action(response, portal):
        """A sign-in form's redirects cross hosts: the login (or second-factor) form at the national portal ends
        on the portal that asked, a portal's sign-out form ends at the national portal. Browsers hold a form's
        whole redirect chain to the CSP's ``form-action``, so on these pages it names those origins too."""
        if hasattr(response, "_csp_config") or "text/html" not in response.get("Content-Type", ""):
            return response
        origins = sign_on.portal_origins() if portal.is_national else [sign_on.national_origin()]
        response._csp_config = {**settings.SECURE_CSP, "form-action": ["'self'", *origins]}
        return response

    def process_exception(self, request, exception):
        """The national portal cannot be reached from a portal's sign-in (its configuration, keys or token
        endpoint): a page that says so, with the portal's own password sign-in, never a 500."""
        if not isinstance(exception, requests.RequestException) or not request.path.startswith(sign_on.LOGIN_PATH):
            return None
        logger.warning("sign-on: the national portal could not be reached: %s", exception)
        next_url = request.GET.get("next", "/")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts=None):
            next_url = "/"
        if "prompt=none" in request.GET.get("auth_params", ""):
            return HttpResponseRedirect(next_url)  # the silent check: the page asked for, anonymous
        response = render(
            request, "accounts/sign_on_unavailable.html", {"next_query": urlencode({"next": next_url})}, status=503
        )
        add_never_cache_headers(response)
        return response

    @staticmethod
    def _answer_silently_for_own_portals(request) -> None:
        """allauth answers ``prompt=none`` with ``consent_required`` until the account holds a token for the
        scopes, even for a client that never asks for consent (``skip_consent``: the platform's own portals).
        For a signed-in person and such a client, an authorization request without ``prompt=none`` is exactly
        the silent answer (a code, no page shown), so the prompt is dropped; a visitor who is not signed in
        keeps ``prompt=none`` and gets ``login_required``."""
        if request.method != "GET" or request.GET.get("prompt") != "none" or not request.user.is_authenticated:
            return
        if not sign_on.skips_consent(request.GET.get("client_id", "")):
            return
        params = request.GET.copy()
        del params["prompt"]
        request.GET = params
        request.META["QUERY_STRING"] = params.urlencode()

    @staticmethod
    def _record_code(request, response) -> None:
        if response.status_code != 302 or not request.user.is_authenticated or not request.session.session_key:
            return
        code = parse_qs(urlsplit(response.get("Location", "")).query).get("code")
        if code:
            sign_on.record_code(code[0], request.session.session_key)

    @staticmethod
    def _check_silently(request, portal) -> bool:
        return (
            settings.SIGN_ON_SILENT_CHECK
            and request.method == "GET"
            and sign_on.uses_sign_on(portal)
            and CHECKED_COOKIE not in request.COOKIES
            and not request.user.is_authenticated
            and "text/html" in request.headers.get("Accept", "")
            and not request.path.startswith(NOT_CHECKED)
            and not BOTS.search(request.headers.get("User-Agent", ""))
            and sign_on.has_client(portal)
        )
