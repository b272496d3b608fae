from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrandingConfig(AppConfig):
    name = "branding"
    verbose_name = _("Huisstijl")

    def ready(self):
        from django.db.models.signals import post_save, pre_delete
        from wagtail.images import get_image_model

        # The branding's own saves forget the cache explicitly (BrandingSettings.save). A logo or favicon
        # changes in Wagtail's image views, which we do not own: forget the portal's cached branding then too,
        # so a replaced file or a deleted image never lingers in the header.
        image_model = get_image_model()
        post_save.connect(forget_branding_of_image, sender=image_model, dispatch_uid="branding-image-saved")
        pre_delete.connect(forget_branding_of_image, sender=image_model, dispatch_uid="branding-image-deleted")


def forget_branding_of_image(sender, instance, **kwargs):
    from django.db.models import Q

    from .models import BrandingSettings
    from .tokens import forget

    for site_id in BrandingSettings.objects.filter(Q(logo_id=instance.pk) | Q(favicon_id=instance.pk)).values_list(
        "site_id", flat=True
    ):
        forget(site_id)
