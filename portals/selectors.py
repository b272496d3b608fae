"""Reads across the portal registry and the national index."""

from django.db.models import Count

# A person's initiatives across portals live in initiatives.selectors (MAEX Impuls reads them too); Mijn MAEX
# imports them from here as before.
from initiatives.selectors import OwnedInitiative, initiatives_of, portals_where_owner  # noqa: F401
from national_index.selectors import totals_by_portal
from tenants.selectors import live_portals


def portal_directory() -> list[dict]:
    """Every live portal with its kind, link, number of municipalities covered and published initiatives in the
    national index; the national portal first. Three queries, whatever the number of portals."""
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
