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
