"""The one writer of the national index (docs/architecture.md, "The write path").

Every service that creates, publishes, changes, withdraws or moves an initiative calls ``project`` inside
the same database transaction as the change, so the index is never behind and never holds a row whose
source was rolled back. Bulk paths call ``project_many``. ``entry_values`` is also what the reconciler
compares against, so "what the index should say" has one definition.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from . import version
from .models import ImpulsAward, ImpulsAwardPart, IndexEntry, InitiativeLocator

# The columns of an index row (its key, the UUID, aside), in the model's order: declared once, by IndexEntry.
INDEX_FIELDS = tuple(f.attname for f in IndexEntry._meta.concrete_fields if not f.primary_key)


def _check_schema(portal) -> None:
    if connection.schema_name != portal.schema_name:
        raise RuntimeError(
            f"Projecting an initiative of {portal.schema_name} from schema {connection.schema_name}: "
            "the projector must run in the initiative's own schema."
        )


def activity_quantities(activities) -> dict[str, str]:
    """Price-list code -> the initiative's quantity per year, as an exact decimal string (a code given twice is
    summed): what the graadmeter values at its base prices (docs/decisions/0032-the-maex-graadmeter.md)."""
    found: dict = {}
    for activity in activities:
        found[activity.item_code] = found.get(activity.item_code, 0) + activity.quantity
    return {code: str(quantity) for code, quantity in sorted(found.items())}


def entry_values(initiative, portal) -> dict:
    """What the index row of a published initiative holds. Needs ``needs``, ``offers``, ``partners`` and ``activities``
    prefetched for
    bulk use (``Initiative.objects.for_index()``); reads ``municipality.province_id``.

    A column named like a field of the initiative holds that field's value; the others are computed here. The
    index holds only public data: a new column is public by being added to IndexEntry."""
    computed = {
        "portal_id": portal.pk,
        "url": initiative.absolute_url(portal),
        "province_id": initiative.municipality.province_id,
        "sdgs": sorted(initiative.sdgs),
        "value_domains": sorted(initiative.value_domains),
        "target_groups": sorted(initiative.target_groups),
        "needs": sorted(need.kind for need in initiative.needs.all() if not need.fulfilled),
        "needs_fulfilled": sorted(need.kind for need in initiative.needs.all() if need.fulfilled),
        "partner_kinds": sorted({partner.kind for partner in initiative.partners.all()}),
        "offers_count": len(initiative.offers.all()),
        "activity_quantities": activity_quantities(initiative.activities.all()),
        "source_updated_at": initiative.updated_at,
    }
    return {f: computed[f] if f in computed else getattr(initiative, f) for f in INDEX_FIELDS}


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
    version.bump()


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
        update_fields=[f.name for f in IndexEntry._meta.concrete_fields if not f.primary_key],
    )
    version.bump()
    return len(published)


def forget(uuid) -> None:
    """Remove an initiative that no longer exists anywhere."""
    IndexEntry.objects.filter(uuid=uuid).delete()
    InitiativeLocator.objects.filter(uuid=uuid).delete()
    version.bump()


# --- MAEX Impuls awards (docs/decisions/0028-impuls-accountability-projection-reminders.md) ----------------------


def project_award(
    portal,
    *,
    application_id: int,
    initiative_uuid,
    round_slug: str,
    round_title: str,
    kind: str,
    unit: str,
    amount_cents: int,
    awarded_on,
    funders: dict[str, int],
    paid_on=None,
    accountability_due_on=None,
    accounted_on=None,
    news_url: str = "",
) -> ImpulsAward:
    """Bring the national row of one award in line (upsert by portal and application id), from the awarding
    portal's schema inside the transaction of the award, payout or accountability. ``funders``: funder name ->
    cents of the award it pays. Plain values only: no IBAN, no answers, no person reaches this table."""
    _check_schema(portal)
    award, _created = ImpulsAward.objects.update_or_create(
        portal_id=portal.pk,
        application_id=application_id,
        defaults={
            "initiative_uuid": initiative_uuid,
            "round_slug": round_slug,
            "round_title": round_title,
            "kind": kind,
            "unit": unit,
            "amount_cents": amount_cents,
            "awarded_on": awarded_on,
            "paid_on": paid_on,
            "accountability_due_on": accountability_due_on,
            "accounted_on": accounted_on,
            "news_url": news_url,
        },
    )
    wanted = {name: cents for name, cents in funders.items() if cents}
    if dict(award.parts.values_list("funder", "amount_cents")) != wanted:
        award.parts.all().delete()
        ImpulsAwardPart.objects.bulk_create(
            [ImpulsAwardPart(award=award, funder=name, amount_cents=cents) for name, cents in sorted(wanted.items())]
        )
    version.bump()  # pages that show awards (an initiative's page) are cached by the index version
    return award
