from django.apps import AppConfig


class MaexConfig(AppConfig):
    name = "maex"
    verbose_name = "MAEX"
