"""Branding reaches the pages as design tokens; portals side by side never show each other's tokens, also after
an edit (the cached token block is forgotten on save); a template override applies to its own portal only."""

import re

import pytest
from django_tenants.utils import schema_context

from branding.services import apply_branding

TOKEN = re.compile(r"--maex-color-primary:(#[0-9a-f]{6})")


def _primary_token(client) -> str:
    html = client.get("/").content.decode()
    found = TOKEN.findall(html)
    assert len(found) == 1, found
    return found[0]


def test_two_portals_side_by_side_show_only_their_own_primary_colour(zeeland, rotterdam, client_for):
    with schema_context("zeeland"):
        apply_branding(primary_colour="#005a8c", secondary_colour="#ffd200")
    with schema_context("rotterdam"):
        apply_branding(primary_colour="#00693e", secondary_colour="#1b2a33")
    z, r = client_for(zeeland), client_for(rotterdam)

    for _ in range(2):  # the second round is served from the cache
        z_html, r_html = z.get("/").content.decode(), r.get("/").content.decode()
        assert "--maex-color-primary:#005a8c" in z_html and "#00693e" not in z_html
        assert "--maex-color-primary:#00693e" in r_html and "#005a8c" not in r_html

    # When Zeeland's admin changes its colour, Zeeland shows the new one at once and Rotterdam is untouched
    with schema_context("zeeland"):
        apply_branding(primary_colour="#0b3d6b")
    assert _primary_token(z) == "#0b3d6b"
    assert _primary_token(r) == "#00693e"


def test_tokens_are_in_the_head_with_font_and_favicon(zeeland, client_for):
    with schema_context("zeeland"):
        apply_branding(font="serif", tagline="Zeeuwen zelf aan zet", contact_email="redactie@zeeland.localhost")
    html = client_for(zeeland).get("/").content.decode()
    head = html.split("</head>")[0]
    assert '<style id="maex-branding">:root{' in head
    assert "--maex-font-family:Charter" in head
    assert 'rel="icon"' in head
    assert "Zeeuwen zelf aan zet" in html
    assert 'href="mailto:redactie@zeeland.localhost"' in html


def test_the_token_block_holds_only_validated_values(zeeland, client_for):
    """A value that slipped past the form (written straight to the database) never reaches the CSS."""
    from branding.models import BrandingSettings

    with schema_context("zeeland"):
        apply_branding(tagline="x")
        BrandingSettings.objects.update(primary_colour="red;}", font="</style><script>")
    html = client_for(zeeland).get("/").content.decode()
    style = re.search(r'<style id="maex-branding">(.*?)</style>', html).group(1)
    assert "red" not in style and "</style><script>" not in html
    assert "--maex-color-primary:#1d4f91" in style  # the national default instead
    assert "--maex-font-family:system-ui" in style


def test_the_template_override_applies_only_to_its_own_portal(zeeland, rotterdam, client_for):
    zeeland_html = client_for(zeeland).get("/").content.decode()
    rotterdam_html = client_for(rotterdam).get("/").content.decode()
    assert 'data-portal-override="zeeland"' in zeeland_html
    assert 'data-portal-override="zeeland"' not in rotterdam_html
    # and again in the other order: the cached loader keys templates per portal
    assert 'data-portal-override="zeeland"' not in client_for(rotterdam).get("/initiatieven/").content.decode()
    assert 'data-portal-override="zeeland"' in client_for(zeeland).get("/initiatieven/").content.decode()


def test_the_base_layout_keeps_its_landmarks_and_the_menu(zeeland, client_for):
    html = client_for(zeeland).get("/").content.decode()
    for part in ('class="skip-link" href="#inhoud"', "<header", '<main id="inhoud"', "<footer", 'id="taal"'):
        assert part in html, part
    assert "/initiatieven/" in html and "/aanmelden/" in html


def test_a_deleted_logo_disappears_from_the_cached_header(zeeland, client_for, settings, tmp_path):
    from wagtail.images.tests.utils import get_test_image_file

    settings.MEDIA_ROOT = str(tmp_path)  # the test's image files stay out of the project's media folder

    from branding.models import BrandingSettings

    with schema_context("zeeland"):
        from wagtail.images.models import Image

        logo = Image.objects.create(title="Logo Zeeland", file=get_test_image_file())
        apply_branding(logo=logo)
    client = client_for(zeeland)
    assert 'class="brand__logo"' in client.get("/").content.decode()
    with schema_context("zeeland"):
        logo.delete()
        assert BrandingSettings.objects.get().logo_id is None
    assert 'class="brand__logo"' not in client.get("/").content.decode()


def test_the_cached_branding_is_forgotten_in_its_own_portal_even_when_the_commit_happens_elsewhere(
    zeeland, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from branding import tokens

    with django_capture_on_commit_callbacks(execute=True):
        with schema_context("zeeland"):
            tokens.forget(1)
            cache.set(tokens.cache_key(1), "stale block cached before the commit")
        # the transaction commits outside the portal's schema (e.g. in a launch that runs in public)
    with schema_context("zeeland"):
        assert cache.get(tokens.cache_key(1)) is None


def test_outside_a_request_each_portal_gets_its_own_templates_too(zeeland, rotterdam):
    """Mail, commands and tasks render inside schema_context(): the template cache is per portal there too."""
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    name = "includes/portal_footer_extra.html"  # overridden for Zeeland only
    with schema_context("zeeland"):
        assert "zeeland" in get_template(name).render({})
    with schema_context("rotterdam"):
        with pytest.raises(TemplateDoesNotExist):
            get_template(name)
