"""Forgetting a portal's cached branding when an image it uses changes in Wagtail's image views."""

from django.db.models import Q

from .models import BrandingSettings
from .tokens import forget


def forget_branding_of_image(sender, instance, **kwargs):
    for site_id in BrandingSettings.objects.filter(Q(logo_id=instance.pk) | Q(favicon_id=instance.pk)).values_list(
        "site_id", flat=True
    ):
        forget(site_id)
