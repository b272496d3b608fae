from django.apps import AppConfig
from django.db.models.signals import post_save, pre_delete
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model


class BrandingConfig(AppConfig):
    name = "branding"
    verbose_name = _("Huisstijl")

    def ready(self):
        # Inside ready(): receivers imports this app's models, and Django loads apps.py before any app's models
        # exist (its app registry); a module-level import here would fail.
        from .receivers import forget_branding_of_image

        # The branding's own saves forget the cache explicitly (BrandingSettings.save). A logo or favicon
        # changes in Wagtail's image views, which we do not own: forget the portal's cached branding then too,
        # so a replaced file or a deleted image never lingers in the header.
        image_model = get_image_model()
        post_save.connect(forget_branding_of_image, sender=image_model, dispatch_uid="branding-image-saved")
        pre_delete.connect(forget_branding_of_image, sender=image_model, dispatch_uid="branding-image-deleted")
