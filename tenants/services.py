"""Writes of the portal registry: the template schema portals are cloned from, coverage, and the municipality
lock. Creating, changing and launching portals, which reach into other apps, is in ``portals/``."""

from __future__ import annotations

from geo.models import Municipality

from .models import TEMPLATE_SCHEMA, Coverage, Portal


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
