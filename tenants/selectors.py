"""Reads of the portal registry."""

from django.db.models import Prefetch

from .models import NATIONAL_SCHEMA, TEMPLATE_SCHEMA, Coverage, Domain, Portal


def live_portals():
    """Active portals that serve a website (never the template)."""
    return (
        Portal.objects.filter(is_active=True)
        .exclude(schema_name__in=["public", TEMPLATE_SCHEMA])
        .prefetch_related(Prefetch("domains", queryset=Domain.objects.order_by("-is_primary")))
    )


def national_portal() -> Portal:
    return Portal.objects.prefetch_related("domains").get(schema_name=NATIONAL_SCHEMA)


def home_portal_for(municipality) -> Portal:
    """The portal that covers a municipality; the national portal where no regional portal does."""
    coverage = (
        Coverage.objects.select_related("portal")
        .prefetch_related("portal__domains")
        .filter(municipality=municipality, portal__is_active=True)
        .first()
    )
    return coverage.portal if coverage else national_portal()


def portal_directory() -> list[dict]:
    """Every live portal with its kind, link, number of municipalities covered and published initiatives in the
    national index; the national portal first. Three queries, whatever the number of portals."""
    from django.db.models import Count

    from national_index.selectors import totals_by_portal

    counts = {row["portal__schema_name"]: row["initiatives"] for row in totals_by_portal()}
    portals = live_portals().annotate(municipalities=Count("coverage")).order_by("name")
    rows = [
        {
            "portal": portal,
            "url": portal.absolute_url(),
            "municipalities": portal.municipalities,
            "initiatives": counts.get(portal.schema_name, 0),
        }
        for portal in portals
    ]
    return sorted(rows, key=lambda row: not row["portal"].is_national)


def canonical_host(portal: Portal) -> str:
    """The one host a portal is served on: its primary domain (docs/decisions/0014)."""
    return Domain.objects.filter(tenant=portal, is_primary=True).values_list("domain", flat=True).first() or ""


def current_portal_url(path: str = "/") -> str:
    """An absolute URL on the canonical host of the portal whose schema is active (the national host outside
    any portal), with the configured scheme and link port: never the request's Host or the shell's PORT."""
    from django.conf import settings
    from django.db import connection

    from .models import host_url

    portal = getattr(connection, "tenant", None)
    host = canonical_host(portal) if isinstance(portal, Portal) else ""
    return host_url(host or settings.MAEX_NATIONAL_HOST, path)
