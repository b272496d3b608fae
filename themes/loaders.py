"""Template loading per portal: the portal's override, then the theme, then the apps' templates."""

from django.db import connection
from django.template.loaders.cached import Loader as CachedLoader


class PortalCachedLoader(CachedLoader):
    """Django's cached loader with the current schema in every cache key.

    django-tenants' own cached loader adds the schema only when a real tenant is set, not inside
    ``schema_context()`` (mail, commands, Celery tasks), where one portal's override would then be served to the
    next. The schema name is set in both cases."""

    def cache_key(self, template_name, skip=None):
        return f"{connection.schema_name}-{super().cache_key(template_name, skip)}"
