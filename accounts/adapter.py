"""The platform's allauth adapters.

- ``AccountAdapter``: one account for every portal, so its limits and its links are not per host
  (docs/decisions/0014-canonical-hosts-link-origin-proxies-csp.md); its mails are rendered like every other
  mail of the platform, from templates in the portal's schema (``maex/mail.py``).
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

from maex.mail import render_templated_mail
from tenants.selectors import current_portal_url

from . import sign_on


class AccountAdapter(DefaultAccountAdapter):
    def _get_login_attempts_cache_key(self, request, **credentials: Any) -> str:
        # allauth keys the failed-login limit on get_current_site(request).domain: without django.contrib.sites
        # that is the request's Host, so every host spelling (port, www., another portal) had its own count.
        # One account, one count, on every portal.
        return credentials.get("email", credentials.get("username", "")).strip().lower()

    def post_login(self, request, user, **kwargs):
        # A portal that signed the person in through the national portal: its new session joins that sign-in,
        # so signing out anywhere ends it too (docs/decisions/0022-one-sign-in-across-portals.md).
        code = getattr(request, "_sign_on_code", "")
        if code and request.session.session_key:
            sign_on.bind_portal_session(code, request.session.session_key)
        return super().post_login(request, user, **kwargs)

    def logout(self, request) -> None:
        # Signing out anywhere signs out everywhere: every session of this browser's sign-in (ADR 0022).
        session_key = request.session.session_key
        super().logout(request)
        if session_key:
            sign_on.sign_out_everywhere(session_key)

    def get_logout_redirect_url(self, request) -> str:
        # A portal other than the national one ends with the provider's RP-initiated logout (and back home).
        portal = sign_on.current_portal()
        if sign_on.uses_sign_on(portal):
            return sign_on.end_session_url(portal)
        return super().get_logout_redirect_url(request)

    def is_safe_url(self, url: str) -> bool:
        # allauth matches an absolute `next` against ALLOWED_HOSTS, which has no port: with a link port (local
        # servers) the way back to the portal that sent a person to sign up was dropped, and after verifying their
        # address they landed on the national home page. A registered portal's canonical origin is safe too.
        return super().is_safe_url(url) or sign_on.is_portal_url(url)

    def get_reset_password_from_key_url(self, key: str) -> str:
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return current_portal_url(path.replace("UID-KEY", key))

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return current_portal_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # Links allauth built from the request (signup_url, password_reset_url, ...): same path, canonical origin.
        context = dict(context)
        for name, value in context.items():
            if name.endswith("_url") and isinstance(value, str) and value.startswith(("http://", "https://")):
                parts = urlsplit(value)
                context[name] = current_portal_url(parts.path + (f"?{parts.query}" if parts.query else ""))
        super().send_mail(template_prefix, email, context)

    def format_email_subject(self, subject: str) -> str:
        # allauth prefixes the site's name, which without django.contrib.sites is the request's host and port.
        portal = _portal()
        return f"[{portal.name if portal else 'MAEX'}] {subject}"

    def render_mail(self, template_prefix: str, email, context: dict, headers: dict | None = None):
        """allauth's mails take the platform's one mail path (``maex/mail.py``): rendered in the portal's schema,
        with its template overrides, language and branding, and the portal's canonical host as ``current_site``
        (allauth's own would be the request's host)."""
        context = {name: value for name, value in context.items() if name != "current_site"}
        to = [email] if isinstance(email, str) else email
        message = render_templated_mail(
            _portal(), template_prefix, context, to, request=context.get("request"), headers=headers
        )
        message.subject = self.format_email_subject(message.subject)
        return message


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
