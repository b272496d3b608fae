"""A portal's branding as design tokens (CSS custom properties, the NL Design System way).

The token block is built only from validated hex colours and from font stacks defined here, never from text
an editor typed, so branding cannot inject CSS or HTML. It is cached per portal and Wagtail site (cache keys
are per schema, see ``maex/cache.py``) and forgotten when the branding is saved.
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import connection, transaction
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import schema_context

from .contrast import is_hex, normalise_hex

log = logging.getLogger(__name__)

CACHE_SECONDS = 5 * 60  # bounds staleness where the cache is per process (locmem without Redis)
# Surfaces the templates put links on; the primary colour must be readable on each (see the model's clean()).
PAGE_BACKGROUND = "#ffffff"
SURFACE = "#f3f5f8"  # --maex-color-surface in themes/static/themes/default/tokens.css

DEFAULT_PRIMARY = "#1d4f91"
DEFAULT_PRIMARY_CONTRAST = "#ffffff"
DEFAULT_SECONDARY = "#e17000"
DEFAULT_FONT = "system"

# System and web-safe font stacks only: nothing is downloaded from another server.
FONT_STACKS = {
    "system": 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
    "humanist": 'Seravek, "Gill Sans Nova", Ubuntu, Calibri, "DejaVu Sans", "Noto Sans", sans-serif',
    "neo_grotesque": 'Inter, Roboto, "Helvetica Neue", "Arial Nova", "Nimbus Sans", Arial, sans-serif',
    "geometric": 'Avenir, Montserrat, Corbel, "URW Gothic", "Century Gothic", sans-serif',
    "serif": 'Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, serif',
}
FONT_CHOICES = [
    ("system", _("Systeemletter (standaard)")),
    ("humanist", _("Humanistisch schreefloos")),
    ("neo_grotesque", _("Neo-grotesk schreefloos")),
    ("geometric", _("Geometrisch schreefloos")),
    ("serif", _("Schreefletter")),
]


def cache_key(site_id) -> str:
    # maex.cache.make_key puts the portal's schema in front: one portal never reads another's block.
    return f"branding:head:{site_id}"


def settings_cache_key(site_id) -> str:
    return f"branding:settings:{site_id}"


def forget(site_id) -> None:
    """Drop the cached branding and token block of a site now and again once the transaction commits (so a
    request that cached the old values in between does not keep them)."""
    keys = [cache_key(site_id), settings_cache_key(site_id)]
    cache.delete_many(keys)
    schema = connection.schema_name  # the keys are per schema: forget them in this portal, wherever we commit

    def forget_after_commit():
        with schema_context(schema):
            cache.delete_many(keys)

    transaction.on_commit(forget_after_commit, robust=True)


def cached_settings(model, site):
    """The site's branding (with logo and favicon), from the cache or the database (created with the national
    defaults when the portal has none yet)."""
    key = settings_cache_key(site.pk)
    branding = cache.get(key)
    if branding is None:
        branding = model.for_site(site)
        cache.set(key, branding, CACHE_SECONDS)
    return branding


def _colour(value: str, default: str) -> str:
    return normalise_hex(value) if is_hex(value or "") else default


def tokens_for(branding) -> dict[str, str]:
    """The custom properties a branding sets; anything invalid falls back to the national default."""
    return {
        "--maex-color-primary": _colour(branding.primary_colour, DEFAULT_PRIMARY),
        "--maex-color-primary-contrast": _colour(branding.primary_text_colour, DEFAULT_PRIMARY_CONTRAST),
        "--maex-color-secondary": _colour(branding.secondary_colour, DEFAULT_SECONDARY),
        "--maex-font-family": FONT_STACKS.get(branding.font, FONT_STACKS[DEFAULT_FONT]),
    }


def style_block(tokens: dict[str, str]) -> SafeString:
    css = ";".join(f"{name}:{value}" for name, value in tokens.items())
    # Values are hex colours or our own font stacks: no "<", no "}" — checked, not assumed.
    if "<" in css or "}" in css or "{" in css:
        raise ValueError("Unsafe design token")
    return mark_safe(f'<style id="maex-branding">:root{{{css}}}</style>')  # noqa: S308 - built from constants


def favicon_url(branding) -> str:
    if branding.favicon_id:
        try:
            return branding.favicon.get_rendition("fill-32x32|format-png").url
        except Exception:  # noqa: BLE001 - a missing or broken file must not break every page
            log.warning("Favicon rendition failed for site %s", branding.site_id, exc_info=True)
    return static("themes/default/favicon.svg")


def head_html(branding) -> SafeString:
    """Token block, theme colour and favicon link for the <head>, cached per portal and site."""
    key = cache_key(branding.site_id)
    html = cache.get(key)
    if html is None:
        tokens = tokens_for(branding)
        icon = favicon_url(branding)
        icon_type = "image/svg+xml" if icon.endswith(".svg") else "image/png"
        html = str(
            style_block(tokens)
            + format_html('\n  <meta name="theme-color" content="{}">', tokens["--maex-color-primary"])
            + format_html('\n  <link rel="icon" href="{}" type="{}">', icon, icon_type)
        )
        cache.set(key, html, CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - built above from escaped parts


def default_head_html() -> SafeString:
    """For pages rendered outside a portal site (public schema, error pages without a site)."""
    return format_html('<link rel="icon" href="{}" type="image/svg+xml">', static("themes/default/favicon.svg"))
