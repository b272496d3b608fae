"""The one writer of the national index (docs/architecture.md, "The write path").

Every service that creates, publishes, changes, withdraws or moves an initiative calls ``project`` inside
the same database transaction as the change, so the index is never behind and never holds a row whose
source was rolled back. Bulk paths call ``project_many``. ``entry_values`` is also what the reconciler
compares against, so "what the index should say" has one definition.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from .models import IndexEntry, InitiativeLocator

INDEX_FIELDS = (
    "portal_id",
    "slug",
    "name",
    "short_description",
    "url",
    "municipality_id",
    "province_id",
    "legal_form",
    "founding_year",
    "sdgs",
    "value_domains",
    "target_groups",
    "needs",
    "offers_count",
    "people_reached",
    "volunteers",
    "paid_staff",
    "paid_fte",
    "income_subsidy",
    "income_funds",
    "income_sales",
    "income_contributions",
    "income_other",
    "social_value",
    "value_by_domain",
    "value_by_sdg",
    "deliveries",
    "valued_with",
    "published_at",
    "source_updated_at",
)


def _check_schema(portal) -> None:
    if connection.schema_name != portal.schema_name:
        raise RuntimeError(
            f"Projecting an initiative of {portal.schema_name} from schema {connection.schema_name}: "
            "the projector must run in the initiative's own schema."
        )


def entry_values(initiative, portal) -> dict:
    """What the index row of a published initiative holds. Needs ``needs`` and ``offers`` prefetched for
    bulk use; reads ``municipality.province_id``."""
    return {
        "portal_id": portal.pk,
        "slug": initiative.slug,
        "name": initiative.name,
        "short_description": initiative.short_description,
        "url": portal.absolute_url(initiative.get_absolute_url()),
        "municipality_id": initiative.municipality_id,
        "province_id": initiative.municipality.province_id,
        "legal_form": initiative.legal_form,
        "founding_year": initiative.founding_year,
        "sdgs": sorted(initiative.sdgs),
        "value_domains": sorted(initiative.value_domains),
        "target_groups": sorted(initiative.target_groups),
        "needs": sorted(need.kind for need in initiative.needs.all()),
        "offers_count": len(initiative.offers.all()),
        "people_reached": initiative.people_reached,
        "volunteers": initiative.volunteers,
        "paid_staff": initiative.paid_staff,
        "paid_fte": initiative.paid_fte,
        "income_subsidy": initiative.income_subsidy,
        "income_funds": initiative.income_funds,
        "income_sales": initiative.income_sales,
        "income_contributions": initiative.income_contributions,
        "income_other": initiative.income_other,
        "social_value": initiative.social_value,
        "value_by_domain": initiative.value_by_domain,
        "value_by_sdg": initiative.value_by_sdg,
        "deliveries": initiative.deliveries,
        "valued_with": initiative.valued_with,
        "published_at": initiative.published_at,
        "source_updated_at": initiative.updated_at,
    }


def project(initiative, portal) -> None:
    """Bring the index in line with one initiative (in its own schema, inside the change's transaction)."""
    _check_schema(portal)
    InitiativeLocator.objects.update_or_create(
        uuid=initiative.uuid,
        defaults={"portal_id": portal.pk, "slug": initiative.slug, "kvk_number": initiative.kvk_number},
    )
    if initiative.is_published:
        IndexEntry.objects.update_or_create(uuid=initiative.uuid, defaults=entry_values(initiative, portal))
    else:
        IndexEntry.objects.filter(uuid=initiative.uuid).delete()


def project_many(initiatives: Iterable, portal, batch_size: int = 1000) -> int:
    """Bulk projection (imports, moves, repairs): same rows as ``project``, in a few statements."""
    _check_schema(portal)
    initiatives = list(initiatives)
    InitiativeLocator.objects.bulk_create(
        [
            InitiativeLocator(uuid=i.uuid, portal_id=portal.pk, slug=i.slug, kvk_number=i.kvk_number)
            for i in initiatives
        ],
        batch_size=batch_size,
        update_conflicts=True,
        unique_fields=["uuid"],
        update_fields=["portal", "slug", "kvk_number"],
    )
    published = [i for i in initiatives if i.is_published]
    IndexEntry.objects.filter(uuid__in=[i.uuid for i in initiatives if not i.is_published]).delete()
    IndexEntry.objects.bulk_create(
        [IndexEntry(uuid=i.uuid, **entry_values(i, portal)) for i in published],
        batch_size=batch_size,
        update_conflicts=True,
        unique_fields=["uuid"],
        update_fields=[f.removesuffix("_id") if f.endswith("_id") else f for f in INDEX_FIELDS],
    )
    return len(published)


def forget(uuid) -> None:
    """Remove an initiative that no longer exists anywhere."""
    IndexEntry.objects.filter(uuid=uuid).delete()
    InitiativeLocator.objects.filter(uuid=uuid).delete()
