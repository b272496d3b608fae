"""The name the Wagtail admin calls the site by: the portal of the request, never one name for every portal.

Wagtail reads ``WAGTAIL_SITE_NAME`` for its dashboard heading, its page counts ("aangemaakt in ...") and the name
to type before deleting many pages; one fixed name made every portal's admin say "MAEX". The setting is
``portal_site_name`` made lazy, so each use reads the portal whose schema the connection is in (the request's,
``tenants.middleware.PortalMiddleware``), and "MAEX" where there is none (the public schema, a shell)."""

from __future__ import annotations

from django.db import connection
from django.utils.functional import lazy

DEFAULT_NAME = "MAEX"


def portal_site_name() -> str:
    return getattr(getattr(connection, "tenant", None), "name", "") or DEFAULT_NAME


lazy_portal_site_name = lazy(portal_site_name, str)()
