from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NationalIndexConfig(AppConfig):
    name = "national_index"
    verbose_name = _("Landelijke index")
