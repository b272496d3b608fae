"""The platform's allauth adapters.

- ``AccountAdapter``: one account for every portal, so its limits and its links are not per host
  (docs/decisions/0014-canonical-hosts-link-origin-proxies-csp.md).
- ``MFAAdapter``: a passkey is bound to one relying party, its RP ID: the portal's canonical host, never the host
  the request happened to come in on (another spelling would make keys that work nowhere else). The portal's
  name is the issuer an authenticator app shows next to the code
  (docs/decisions/0015-staff-sign-in-with-a-second-factor.md).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.db import connection
from django.urls import reverse

from tenants.selectors import current_portal_url


class CanonicalSite:
    """What allauth's mails show as ``current_site``: the portal's canonical host, never the request's."""

    def __init__(self, name: str, domain: str):
        self.name = name
        self.domain = domain

    def __str__(self):
        return self.domain


class AccountAdapter(DefaultAccountAdapter):
    def _get_login_attempts_cache_key(self, request, **credentials: Any) -> str:
        # allauth keys the failed-login limit on get_current_site(request).domain: without django.contrib.sites
        # that is the request's Host, so every host spelling (port, www., another portal) had its own count.
        # One account, one count, on every portal.
        return credentials.get("email", credentials.get("username", "")).strip().lower()

    def get_reset_password_from_key_url(self, key: str) -> str:
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return current_portal_url(path.replace("UID-KEY", key))

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return current_portal_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        portal = getattr(connection, "tenant", None)
        url = current_portal_url("/")
        context = dict(context)
        context.setdefault(
            "current_site", CanonicalSite(getattr(portal, "name", "MAEX"), url.split("://", 1)[1].rstrip("/"))
        )
        # Links allauth built from the request (signup_url, password_reset_url, ...): same path, canonical origin.
        for name, value in context.items():
            if name.endswith("_url") and isinstance(value, str) and value.startswith(("http://", "https://")):
                parts = urlsplit(value)
                context[name] = current_portal_url(parts.path + (f"?{parts.query}" if parts.query else ""))
        super().send_mail(template_prefix, email, context)


def _portal():
    tenant = getattr(connection, "tenant", None)
    return tenant if getattr(tenant, "primary_host", "") else None


class MFAAdapter(DefaultMFAAdapter):
    def _get_site_name(self) -> str:
        portal = _portal()
        return portal.name if portal else super()._get_site_name()

    def get_public_key_credential_rp_entity(self) -> dict[str, str]:
        portal = _portal()
        if portal is None:
            return super().get_public_key_credential_rp_entity()
        return {"id": portal.primary_host.partition(":")[0], "name": portal.name}
