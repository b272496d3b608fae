"""Writes of a portal's branding. Run inside the portal's schema, or pass the schema."""

from __future__ import annotations

from django.db import transaction
from django_tenants.utils import schema_context
from wagtail.models import Site

from .models import BrandingSettings

# The demo portals' huisstijl: distinct, and every pair meets WCAG AA (checked by the model on save).
DEMO_BRANDINGS = {
    "landelijk": {
        "primary_colour": "#1d4f91",
        "primary_text_colour": "#ffffff",
        "secondary_colour": "#e17000",
        "font": "system",
        "tagline": "De maatschappelijke waarde van initiatieven in heel Nederland",
        "footer_text": (
            "<p>MAEX, de Maatschappelijke Exchange, maakt zichtbaar wat bewonersinitiatieven, sociale "
            "ondernemingen en wijkondernemingen samen waard zijn.</p>"
        ),
    },
    "zeeland": {  # sea blue with Zeeland yellow
        "primary_colour": "#005a8c",
        "primary_text_colour": "#ffffff",
        "secondary_colour": "#ffd200",
        "font": "humanist",
        "tagline": "Zeeuwen zelf aan zet",
        "footer_text": (
            "<p>MAEX Zeeland brengt de kracht van de Zeeuwse samenleving in beeld: wat initiatieven doen, wat "
            "ze nodig hebben en welke waarde ze maken. Onderdeel van de Regio Deal <i>Zeeuwen Zelf aan Zet</i>.</p>"
        ),
    },
    "rotterdam": {  # city green with a dark accent
        "primary_colour": "#00693e",
        "primary_text_colour": "#ffffff",
        "secondary_colour": "#1b2a33",
        "font": "neo_grotesque",
        "tagline": "Wat Rotterdammers samen waard zijn",
        "footer_text": (
            "<p>MAEX Rotterdam laat zien wat bewonersinitiatieven en sociale ondernemingen in de stad bijdragen "
            "aan wijk en welzijn.</p>"
        ),
    },
    "denhaag": {  # deep red with a muted gold accent
        "primary_colour": "#9b1b30",
        "primary_text_colour": "#ffffff",
        "secondary_colour": "#c9a13b",
        "font": "serif",
        "tagline": "Haagse initiatieven in beeld",
        "footer_text": (
            "<p>MAEX Den Haag maakt de maatschappelijke waarde van Haagse initiatieven zichtbaar, van buurthuis "
            "tot sociale onderneming.</p>"
        ),
    },
}


def default_site():
    return Site.objects.filter(is_default_site=True).first() or Site.objects.first()


def apply_branding(site=None, **values) -> tuple[BrandingSettings, bool]:
    """Set the branding of a site (the portal's default site when none is given) to ``values``.

    Validated like the admin form (contrast included: raises ValidationError); saved only when something
    changed, so running it twice is harmless. Returns the branding and whether it changed."""
    site = site or default_site()
    if site is None:
        raise ValueError("This portal has no Wagtail site yet.")
    with transaction.atomic():
        branding = BrandingSettings.for_site(site)
        changed = False
        for name, value in values.items():
            if getattr(branding, name) != value:
                setattr(branding, name, value)
                changed = True
        if changed:
            branding.full_clean()
            branding.save()
    return branding, changed


def apply_demo_branding(schemas=None) -> dict[str, bool]:
    """Give the demo portals (those that exist) their branding. Idempotent: ``{schema: changed}``."""
    from tenants.models import Portal

    wanted = set(schemas) if schemas is not None else set(DEMO_BRANDINGS)
    existing = set(Portal.objects.filter(schema_name__in=wanted).values_list("schema_name", flat=True))
    result = {}
    for schema, values in DEMO_BRANDINGS.items():
        if schema not in existing or schema not in wanted:
            continue
        with schema_context(schema):
            portal = Portal.objects.with_domains().get(schema_name=schema)
            contact = {"contact_email": f"redactie@{portal.primary_host}"} if portal.primary_host else {}
            _branding, changed = apply_branding(**values, **contact)
        result[schema] = changed
    return result
