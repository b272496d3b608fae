"""Reads of the portal registry."""

from django.conf import settings
from django.db import connection

from .models import NATIONAL_SCHEMA, Coverage, Domain, Portal, host_url


def live_portals():
    """Active portals that serve a website (never the template)."""
    return Portal.objects.websites().filter(is_active=True).with_domains()


def national_portal() -> Portal:
    return Portal.objects.with_domains().get(schema_name=NATIONAL_SCHEMA)


def home_portal_for(municipality) -> Portal:
    """The portal that covers a municipality; the national portal where no regional portal does."""
    coverage = (
        Coverage.objects.select_related("portal")
        .prefetch_related("portal__domains")
        .filter(municipality=municipality, portal__is_active=True)
        .first()
    )
    return coverage.portal if coverage else national_portal()


def canonical_host(portal: Portal) -> str:
    """The one host a portal is served on: its primary domain (docs/decisions/0014)."""
    return Domain.objects.filter(tenant=portal, is_primary=True).values_list("domain", flat=True).first() or ""


def current_portal_url(path: str = "/") -> str:
    """An absolute URL on the canonical host of the portal whose schema is active (the national host outside
    any portal), with the configured scheme and link port: never the request's Host or the shell's PORT."""
    portal = getattr(connection, "tenant", None)
    host = canonical_host(portal) if isinstance(portal, Portal) else ""
    return host_url(host or settings.MAEX_NATIONAL_HOST, path)
