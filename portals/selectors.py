"""Reads across the portal registry and the national index."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count
from django_tenants.utils import schema_context

from initiatives.models import Initiative, Ownership, initiative_url
from initiatives.selectors import missing_for_profile, owned_by
from national_index.selectors import totals_by_portal
from tenants.models import Portal
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


@dataclass
class OwnedInitiative:
    """One row of Mijn MAEX: an initiative a person owns, on its home portal."""

    portal: Portal
    initiative: Initiative
    missing: list[str]
    view_url: str
    edit_url: str

    @property
    def co_owners(self) -> list[str]:
        return self.initiative.co_owners


def portals_where_owner(user, portals: list[Portal]) -> set[str]:
    """The schemas among ``portals`` in which ``user`` owns an initiative: one query over every portal's
    ownership table (a ``UNION``), however many portals there are. Ownership lives in each portal's schema;
    the national index's locators say where an initiative lives but not whose it is."""
    if not portals:
        return set()
    table = Ownership._meta.db_table
    quote = connection.ops.quote_name
    # Identifiers from the portal registry, quoted; the values are parameters
    select = "SELECT %s::text FROM {}.{} WHERE user_id = %s"
    parts = [select.format(quote(portal.schema_name), quote(table)) for portal in portals]
    params = [value for portal in portals for value in (portal.schema_name, user.pk)]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ".join(parts), params)
        return {row[0] for row in cursor.fetchall()}


def initiatives_of(user) -> list[OwnedInitiative]:
    """Every initiative ``user`` owns, on every live portal, for the owner's dashboard (Mijn MAEX): its home
    portal, state, last change, what its profile lacks, its co-owners and its links on the home portal's
    canonical host. Bounded: the portals (two queries), one query to find where the person owns something,
    then one per portal where they do."""
    portals = list(live_portals().order_by("name"))
    where = portals_where_owner(user, portals)
    rows = []
    for portal in portals:
        if portal.schema_name not in where:
            continue
        with schema_context(portal.schema_name):
            for initiative in owned_by(user):
                rows.append(
                    OwnedInitiative(
                        portal=portal,
                        initiative=initiative,
                        missing=missing_for_profile(initiative),
                        view_url=initiative_url(portal, initiative.slug),
                        edit_url=initiative_url(portal, initiative.slug, "bewerken/"),
                    )
                )
    return rows
