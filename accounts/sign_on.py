"""One sign-in across portals (docs/decisions/0022-one-sign-in-across-portals.md).

The national portal is an OpenID Connect provider (``allauth.idp.oidc``); every other portal is its client
(``allauth.socialaccount``'s ``openid_connect`` provider, provider id ``maex``). This module holds what the
platform adds to the two: registering a portal's client (``ensure_sign_on_client``, ``sync_sign_on_clients``),
the provider's issuer, mapping the provider's ``sub`` onto the same account, the silent check's way back, and
signing out everywhere (``sign_out_everywhere``).
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from urllib.parse import urlencode, urlsplit, urlunsplit

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.idp.oidc.adapter import DefaultOIDCAdapter
from allauth.idp.oidc.adapter import get_adapter as get_provider_adapter
from allauth.idp.oidc.models import Client
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from requests.adapters import HTTPAdapter

from tenants.models import NATIONAL_SCHEMA, Portal
from tenants.selectors import national_portal

from .models import SignOn

PROVIDER_ID = "maex"  # the national portal, as every other portal's OpenID Connect provider
CALLBACK_PATH = f"/account/oidc/{PROVIDER_ID}/login/callback/"
LOGIN_PATH = f"/account/oidc/{PROVIDER_ID}/login/"
END_SESSION_PATH = "/identity/o/logout"
CLIENT_PREFIX = "portaal-"
# The provider's answers to prompt=none that mean "not signed in here (silently)": back to the page, anonymous.
SILENT_ERRORS = {"login_required", "interaction_required", "consent_required", "account_selection_required"}


def client_id_of(portal: Portal) -> str:
    return f"{CLIENT_PREFIX}{portal.schema_name}"


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


# --- registering the portals' clients (public schema: allauth's idp and socialaccount tables) ---------------


@transaction.atomic
def ensure_sign_on_client(portal: Portal) -> None:
    """Register ``portal`` as a client of the national portal, idempotently: the provider's ``Client`` (the
    secret hashed) and the portal's ``SocialApp`` (the same secret, to send it). Redirect URIs are on the
    portal's canonical host (``Portal.absolute_url``): a code for one portal can be sent to that host only.
    The national portal itself signs in locally and has no client."""
    client_id = client_id_of(portal)
    if portal.is_national or not portal.primary_host or portal.schema_name in ("public", "template"):
        remove_sign_on_client(client_id)
        return
    national = Portal.objects.with_domains().filter(schema_name=NATIONAL_SCHEMA).first()
    if national is None:  # registered once the national portal exists (create_portal, sync_sign_on_clients)
        return
    client = Client.objects.filter(id=client_id).first()
    app = SocialApp.objects.filter(provider="openid_connect", provider_id=PROVIDER_ID, client_id=client_id).first()
    if client is None or app is None:
        secret = get_provider_adapter().generate_client_secret()  # generated here, stored nowhere else
        client = client or Client(id=client_id)
        client.secret = make_password(secret)
        app = app or SocialApp(provider="openid_connect", provider_id=PROVIDER_ID, client_id=client_id)
        app.secret = secret
    client.name = portal.name[:100]
    client.type = Client.Type.CONFIDENTIAL
    client.scopes = "openid\nemail\nprofile"  # what allauth's client asks for; the sub is what counts
    client.default_scopes = "openid\nemail"
    client.grant_types = Client.GrantType.AUTHORIZATION_CODE
    client.response_types = "code"
    client.skip_consent = True  # the platform's own portals: no "allow MAEX Zeeland to ..." screen
    client.allow_uri_wildcards = False
    client.set_redirect_uris([portal.absolute_url(CALLBACK_PATH)])
    client.set_post_logout_redirect_uris([portal.absolute_url("/")])
    client.save()
    app.name = national.name[:40]  # what a portal's login page offers: "sign in with MAEX"
    app.settings = {
        "server_url": national.absolute_url("/").rstrip("/"),
        "portal": portal.schema_name,
        "oauth_pkce_enabled": True,
    }
    app.save()


def remove_sign_on_client(client_id: str) -> None:
    Client.objects.filter(id=client_id).delete()
    SocialApp.objects.filter(provider="openid_connect", provider_id=PROVIDER_ID, client_id=client_id).delete()


def sync_sign_on_clients() -> dict[str, int]:
    """Every website portal's client as ``ensure_sign_on_client`` makes it; clients of portals that no longer
    exist removed. Idempotent (``manage.py sync_sign_on_clients``, run by ``make run``)."""
    portals = list(Portal.objects.websites().with_domains())
    for portal in portals:
        ensure_sign_on_client(portal)
    wanted = {client_id_of(p) for p in portals if not p.is_national}
    stale = set(Client.objects.filter(id__startswith=CLIENT_PREFIX).values_list("id", flat=True)) - wanted
    stale |= (
        set(
            SocialApp.objects.filter(provider_id=PROVIDER_ID, client_id__startswith=CLIENT_PREFIX).values_list(
                "client_id", flat=True
            )
        )
        - wanted
    )
    for client_id in stale:
        remove_sign_on_client(client_id)
    return {"clients": len(wanted), "removed": len(stale)}


# --- the provider's side (national portal) -------------------------------------------------------------------


class IdentityProviderAdapter(DefaultOIDCAdapter):
    def get_issuer(self) -> str:
        # The national portal's canonical origin, never the Host the request came in on (ADR 0014).
        return national_portal().absolute_url("/").rstrip("/")


def skips_consent(client_id: str) -> bool:
    return Client.objects.filter(id=client_id, id__startswith=CLIENT_PREFIX, skip_consent=True).exists()


def record_code(code: str, provider_session_key: str) -> None:
    """The provider handed ``code`` to a portal for the browser whose session at the national portal is
    ``provider_session_key``: remember it, so the portal session made with it can be ended from here."""
    SignOn.objects.get_or_create(code_hash=code_hash(code), defaults={"provider_session_key": provider_session_key})
    # Links outlive no session: one older than the longest session is dropped here (an indexed delete).
    SignOn.objects.filter(created_on__lt=timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)).delete()


def bind_portal_session(code: str, session_key: str) -> None:
    """The portal signed the person in with ``code``; its new session is ``session_key``."""
    SignOn.objects.filter(code_hash=code_hash(code), session_key="").update(session_key=session_key)


def sign_out_everywhere(session_key: str) -> int:
    """End the sign-in that ``session_key`` belongs to, on every portal: the national portal's session and
    every portal session made from it. Sessions are rows of one table (public schema), so this is one delete.
    Returns how many sessions were ended (besides the caller's own, which Django's logout flushes)."""
    provider_keys = {session_key} | set(
        SignOn.objects.filter(session_key=session_key).values_list("provider_session_key", flat=True)
    )
    sign_ons = SignOn.objects.filter(provider_session_key__in=provider_keys)
    keys = (provider_keys | set(sign_ons.values_list("session_key", flat=True))) - {"", session_key}
    ended, _ = Session.objects.filter(session_key__in=keys).delete()
    sign_ons.delete()
    SignOn.objects.filter(session_key=session_key).delete()
    return ended


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def portal_origins() -> list[str]:
    """The origins of every registered portal's redirect URI (where the provider's forms may end)."""
    uris = Client.objects.filter(id__startswith=CLIENT_PREFIX).values_list("redirect_uris", flat=True)
    return sorted({_origin(uri) for text in uris for uri in text.split() if uri})


def is_portal_url(url: str) -> bool:
    """Whether ``url`` is an absolute address on a registered portal's canonical origin (its link port included)."""
    netloc = urlsplit(url).netloc
    return (
        url_has_allowed_host_and_scheme(url, allowed_hosts={netloc}, require_https=False)
        and _origin(url) in portal_origins()
    )


def national_origin() -> str:
    return _origin(national_portal().absolute_url("/"))


def end_session_url(portal: Portal) -> str:
    """The provider's end_session_endpoint (RP-initiated logout), back to the portal's home afterwards."""
    query = urlencode({"client_id": client_id_of(portal), "post_logout_redirect_uri": portal.absolute_url("/")})
    return national_portal().absolute_url(f"{END_SESSION_PATH}?{query}")


# --- the client's side (every other portal) ------------------------------------------------------------------


def current_portal() -> Portal | None:
    tenant = getattr(connection, "tenant", None)
    return tenant if isinstance(tenant, Portal) and tenant.schema_name not in ("public", "template") else None


def uses_sign_on(portal: Portal | None) -> bool:
    return portal is not None and not portal.is_national


def has_client(portal: Portal) -> bool:
    return SocialApp.objects.filter(provider_id=PROVIDER_ID, client_id=client_id_of(portal)).exists()


def sign_in_url(next_url: str = "/", *, silent: bool = False) -> str:
    """Where a portal sends a person to sign in: allauth's OpenID Connect login of the national portal."""
    params = {"process": "login", "next": next_url}
    if silent:
        params["auth_params"] = "prompt=none"
    return f"{LOGIN_PATH}?{urlencode(params)}"


class PortalSignOnAdapter(DefaultSocialAccountAdapter):
    """A portal signs in with the national portal as the same account: the ``sub`` is the account's id."""

    def list_apps(self, request, provider=None, client_id=None):
        # One SocialApp per portal (its own client id and secret): only the current portal's counts here. The
        # provider's address follows the national portal's canonical origin of this process (link port, ADR 0014).
        portal = current_portal()
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        apps = [app for app in apps if portal is not None and app.settings.get("portal") == portal.schema_name]
        for app in apps:
            app.settings = {**app.settings, "server_url": national_portal().absolute_url("/").rstrip("/")}
        return apps

    def get_requests_session(self):
        session = super().get_requests_session()
        session.mount("http://", LoopbackLocalhostAdapter())
        return session

    def is_open_for_signup(self, request, sociallogin) -> bool:
        # Accounts are made at the national portal only; a sub without an account here is refused, not copied.
        return False

    def populate_user(self, request, sociallogin, data):
        # Never a new account from the provider's claims (names are the account's own): the sub maps onto it.
        user = sociallogin.user
        user.email = data.get("email") or ""
        return user

    def pre_social_login(self, request, sociallogin) -> None:
        if not sociallogin.is_existing:
            user = get_user_model().objects.filter(pk=_user_id(sociallogin.account.uid), is_active=True).first()
            if user is not None:
                sociallogin.connect(request, user)
        # The portal session this login makes belongs to the provider's sign-in (sign_out_everywhere).
        request._sign_on_code = request.GET.get("code", "")

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        # A silent check the provider answered with "not signed in": back to the page asked for, anonymous.
        if request.GET.get("error") in SILENT_ERRORS:
            state = (extra_context or {}).get("state") or {}
            next_url = state.get("next") or "/"
            if not url_has_allowed_host_and_scheme(next_url, allowed_hosts=None):
                next_url = "/"
            raise ImmediateHttpResponse(HttpResponseRedirect(next_url))
        super().on_authentication_error(request, provider, error, exception, extra_context)


def _user_id(sub: str) -> int | None:
    try:
        return int(sub)
    except (TypeError, ValueError):
        return None


class LoopbackLocalhostAdapter(HTTPAdapter):
    """``*.localhost`` is the loopback interface (RFC 6761), as browsers treat it; the system resolver here
    may not know ``maex.localhost``. Development and test hosts only (plain HTTP); other hosts unchanged."""

    def send(self, request, *args, **kwargs):
        parts = urlsplit(request.url)
        if (parts.hostname or "").endswith(".localhost") and not settings.SECURE_SSL:
            request.headers["Host"] = parts.netloc
            port = f":{parts.port}" if parts.port else ""
            request.url = urlunsplit(parts._replace(netloc=f"127.0.0.1{port}"))
        return super().send(request, *args, **kwargs)
