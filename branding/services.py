"""Writes of a portal's branding, inside the portal's schema."""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Site

from .models import BrandingSettings


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
