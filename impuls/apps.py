from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImpulsConfig(AppConfig):
    name = "impuls"
    verbose_name = _("MAEX Impuls")
