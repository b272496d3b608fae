"""Writes of the portal registry: creating portals (cloned from the template schema) and coverage."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import connection, transaction
from django_tenants.utils import schema_context

from geo.models import Municipality

from .middleware import forget_host
from .models import NATIONAL_SCHEMA, TEMPLATE_SCHEMA, Coverage, Domain, Portal


@dataclass
class PortalCreated:
    portal: Portal
    seconds: float


def ensure_template() -> Portal:
    """The migrated, inactive template tenant every portal is cloned from (ARCHITECTURE §6a).

    Created once by running all migrations; ``migrate_schemas`` keeps it current with the code."""
    template = Portal.objects.filter(schema_name=TEMPLATE_SCHEMA).first()
    if template is None:
        template = Portal(schema_name=TEMPLATE_SCHEMA, name="Sjabloon", kind=Portal.Kind.REGION, is_active=False)
        # No base schema exists yet, so this one runs every tenant migration.
        template.save(verbosity=0)
    return template


def _prepare_portal_schema(portal: Portal, hosts: list[str]) -> None:
    """Inside the new schema: the Wagtail site on the portal's own domain, a home page, the role groups."""
    from wagtail.models import Page, Site

    from cms.models import HomePage
    from roles.services import ensure_role_groups

    with schema_context(portal.schema_name):
        root = Page.get_first_root_node()
        home = HomePage.objects.first()
        if home is None:
            # Replace Wagtail's default welcome page by the portal's home page.
            Site.objects.all().delete()
            for page in Page.objects.filter(depth=2):
                page.delete()
            root.refresh_from_db()
            home = root.add_child(instance=HomePage(title=portal.name, slug="home"))
        Site.objects.update_or_create(
            root_page=home,
            defaults={"hostname": hosts[0], "port": 80, "site_name": portal.name, "is_default_site": True},
        )
        ensure_role_groups(national=portal.schema_name == NATIONAL_SCHEMA)


def create_portal(
    *, schema_name: str, name: str, kind: str, hosts: list[str], municipality_codes: list[str] = (),
    review_required: bool = True,
) -> PortalCreated:
    """Create a portal in one transaction: cloned schema, domains, coverage, site, roles. All or nothing."""
    ensure_template()
    started = time.perf_counter()
    with transaction.atomic():
        portal = Portal(schema_name=schema_name, name=name, kind=kind, review_required=review_required)
        portal.save(verbosity=0)
        connection.set_schema_to_public()
        for i, host in enumerate(hosts):
            Domain.objects.create(tenant=portal, domain=host, is_primary=(i == 0))
        set_coverage(portal, municipality_codes)
        _prepare_portal_schema(portal, hosts)
    for host in hosts:
        forget_host(host)
    return PortalCreated(portal=portal, seconds=time.perf_counter() - started)


def set_coverage(portal: Portal, municipality_codes) -> int:
    """Let ``portal`` cover these municipalities. A municipality another portal covers raises an
    IntegrityError from the database constraint (one portal per municipality)."""
    municipalities = list(Municipality.objects.filter(cbs_code__in=list(municipality_codes)))
    missing = set(municipality_codes) - {m.cbs_code for m in municipalities}
    if missing:
        raise ValueError(f"Unknown municipality codes: {sorted(missing)}")
    Coverage.objects.bulk_create([Coverage(portal=portal, municipality=m) for m in municipalities])
    return len(municipalities)
