"""Every mail of the platform, rendered from templates in the portal it comes from.

A mail is three templates named as allauth names its own (so allauth's mails take the same path, through
``accounts/adapter.py``): ``<prefix>_subject.txt``, ``<prefix>_message.txt`` and, optionally,
``<prefix>_message.html``. They are rendered

- inside the portal's schema (``tenant_context``), so the template resolution of every page applies: the
  portal's override in ``themes/tenants/<schema>/templates/``, then the theme, then the app's own templates
  (docs/architecture.md, "Pages, branding and templates");
- in the language given, else the one active now (the visitor's choice in a request), else Dutch;
- with the portal in the context: ``portal``, ``portal_name``, ``portal_url`` (its canonical address),
  ``current_site`` (what allauth's templates show) and ``branding`` (``branding.selectors.for_mail``).

The HTML part is ``<prefix>_message.html`` when a template of that name exists, else the text part inside the
portal's branded layout, ``mail/base_message.html`` (its header in the portal's colours, with its logo and
name). Text templates switch autoescaping off themselves (``{% autoescape off %}``), as allauth's do: a name
with an "&" must not reach a plain-text mail as "&amp;".
"""

from __future__ import annotations

from contextlib import nullcontext

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django_tenants.utils import tenant_context

from branding.selectors import for_mail
from tenants.models import Portal, host_url

HTML_LAYOUT = "mail/base_message.html"


class CanonicalSite:
    """What allauth's mails show as ``current_site``: the portal's canonical host, never the request's."""

    def __init__(self, name: str, domain: str):
        self.name = name
        self.domain = domain

    def __str__(self):
        return self.domain


def render_templated_mail(
    portal: Portal | None,
    template_prefix: str,
    context: dict,
    to: list[str],
    *,
    language: str | None = None,
    request=None,
    headers: dict | None = None,
) -> EmailMultiAlternatives:
    """The mail ``template_prefix`` to ``to``, rendered in ``portal``'s schema (the current one when None) and
    in ``language``. Values in ``context`` win over the portal's defaults. ``request``, when there is one, lets
    the templates' context processors run (allauth's mails)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with tenant_context(portal) if portal is not None else nullcontext(), translation.override(language):
        values = {**portal_context(portal), **context}
        subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", values, request).splitlines()).strip()
        text = render_to_string(f"{template_prefix}_message.txt", values, request).strip()
        try:
            layout = get_template(f"{template_prefix}_message.html")
        except TemplateDoesNotExist:
            layout = get_template(HTML_LAYOUT)
        html = layout.render({**values, "text_body": text}, request)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to, headers=headers)
    message.attach_alternative(html.strip(), "text/html")
    return message


def send_templated_mail(
    portal: Portal | None, template_prefix: str, context: dict, to: list[str], *, language: str | None = None
) -> EmailMultiAlternatives:
    """Render the mail now (in this portal, language and transaction's view of the data) and send it once the
    transaction commits (at once outside one), so nothing goes out for a write that is rolled back."""
    message = render_templated_mail(portal, template_prefix, context, to, language=language)
    transaction.on_commit(message.send)
    return message


def portal_context(portal: Portal | None) -> dict:
    """What every mail knows of the portal it comes from (the national host's when there is none)."""
    name = portal.name if portal is not None else "MAEX"
    url = portal.absolute_url("/") if portal is not None else host_url(settings.MAEX_NATIONAL_HOST, "/")
    return {
        "portal": portal,
        "portal_name": name,
        "portal_url": url,
        "current_site": CanonicalSite(name, url.split("://", 1)[1].rstrip("/")),
        "branding": for_mail(portal),
    }
