from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = _("Initiatieven")

    def ready(self):
        from . import receivers  # noqa: F401 - connects the receivers; models are not loaded before ready()
