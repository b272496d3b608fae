from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # Connects the allauth signal receivers. Inside ready(): receivers imports allauth's models, and Django loads
        # apps.py before any app's models exist (its app registry); a module-level import here would fail.
        from . import receivers  # noqa: F401
