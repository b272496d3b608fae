"""Reads of a portal's branding outside a request: for mail, which has no request to cache it on."""

from __future__ import annotations

import logging

from wagtail.models import Site

from . import tokens
from .models import BrandingSettings

log = logging.getLogger(__name__)

LOGO_FILTER = "height-64"  # the rendition the page header shows (themes/templates/base.html), so it exists


def for_mail(portal=None) -> dict[str, str]:
    """The branding of the portal whose schema is active, as plain values for a mail's HTML part: colours and
    font as design tokens (the national defaults for anything unset or invalid, ``tokens.tokens_for``), the
    logo's absolute URL on ``portal``'s canonical host ("" without a logo or a portal), the tagline and the
    contact address. Read straight from the database: no cache that could outlive a rolled-back change, and
    nothing is written (a portal without a branding row gets the defaults)."""
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    branding = None
    if site is not None:
        branding = BrandingSettings.objects.filter(site=site).select_related("logo").first()
    branding = branding or BrandingSettings()
    values = tokens.tokens_for(branding)
    return {
        "primary": values["--maex-color-primary"],
        "primary_text": values["--maex-color-primary-contrast"],
        "secondary": values["--maex-color-secondary"],
        "font": values["--maex-font-family"],
        "logo_url": _logo_url(branding, portal),
        "tagline": branding.tagline,
        "contact_email": branding.contact_email,
    }


def _logo_url(branding, portal) -> str:
    if not branding.logo_id or portal is None:
        return ""
    try:
        return portal.absolute_url(branding.logo.get_rendition(LOGO_FILTER).url)
    except Exception:  # noqa: BLE001 - a missing or broken file must not stop a mail
        log.warning("Logo rendition for mail failed for site %s", branding.site_id, exc_info=True)
        return ""
