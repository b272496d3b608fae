"""Writes of the portal registry: the template schema portals are cloned from, coverage, and the municipality
lock. Creating, changing and launching portals, which reach into other apps, is in ``portals/``."""

from __future__ import annotations

from django.db import transaction
from django_tenants.utils import schema_context

from geo.models import Municipality

from .middleware import forget_host
from .models import TEMPLATE_SCHEMA, Coverage, Domain, Portal


def ensure_template() -> Portal:
    """The migrated, inactive template tenant every portal is cloned from (docs/architecture.md, "Known traps").

    Created once by running all migrations; ``migrate_schemas`` keeps it current with the code."""
    template = Portal.objects.filter(schema_name=TEMPLATE_SCHEMA).first()
    if template is None:
        template = Portal(schema_name=TEMPLATE_SCHEMA, name="Sjabloon", kind=Portal.Kind.REGION, is_active=False)
        # No base schema exists yet, so this one runs every tenant migration.
        template.save(verbosity=0)
    return template


def set_coverage(portal: Portal, municipality_codes) -> int:
    """Let ``portal`` cover these municipalities. A municipality another portal covers raises an
    IntegrityError from the database constraint (one portal per municipality)."""
    municipalities = list(Municipality.objects.filter(cbs_code__in=list(municipality_codes)))
    missing = set(municipality_codes) - {m.cbs_code for m in municipalities}
    if missing:
        raise ValueError(f"Unknown municipality codes: {sorted(missing)}")
    Coverage.objects.bulk_create([Coverage(portal=portal, municipality=m) for m in municipalities])
    return len(municipalities)


def hold_municipalities(municipality_ids) -> None:
    """Lock these municipalities' rows until the transaction ends. Whatever decides or changes which portal is
    home to a municipality takes this lock first (registration, launch, coverage changes), so an initiative is
    never stored in a portal that is about to stop being its home."""
    ids = sorted(set(municipality_ids))
    list(Municipality.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk").values_list("pk"))


def set_review_rules(portal: Portal, *, implausible: str, hold_threshold: int | None) -> Portal:
    """A portal's rules for plausible figures (docs/decisions/0021-held-changes.md): refuse or hold implausible
    declarations, and the threshold beyond which a change of a published initiative waits for review. Set by the
    portal's own admins in its admin, or by national admins on the portal registry's screens."""
    if implausible not in Portal.Implausible.values:
        raise ValueError(f"Unknown choice for implausible figures: {implausible!r}")
    portal.implausible, portal.hold_threshold = implausible, hold_threshold
    # django-tenants saves a tenant only from the public schema (or its own)
    with schema_context("public"), transaction.atomic():
        Portal.objects.filter(pk=portal.pk).update(implausible=implausible, hold_threshold=hold_threshold)
        hosts = list(Domain.objects.filter(tenant=portal).values_list("domain", flat=True))
        # The host lookup caches the portal with its settings
        transaction.on_commit(lambda: [forget_host(host) for host in hosts], robust=True)
    return portal
