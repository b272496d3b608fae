"""Verifies the national index against every portal's initiatives and, asked to, repairs it.

The expected rows come from ``projector.entry_values``: the same definition the projector writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django_tenants.utils import schema_context

from initiatives.models import Initiative
from national_index import projector
from national_index.models import IndexEntry
from tenants.selectors import live_portals

COMPARED = [f for f in projector.INDEX_FIELDS if f != "source_updated_at"] + ["source_updated_at"]


@dataclass
class Report:
    portals: int = 0
    checked: int = 0
    missing: list = field(default_factory=list)  # published, not in the index
    stale: list = field(default_factory=list)  # in the index with other values: (uuid, [fields])
    orphaned: list = field(default_factory=list)  # in the index, no published source anywhere
    repaired: bool = False

    @property
    def clean(self) -> bool:
        return not (self.missing or self.stale or self.orphaned)

    def lines(self) -> list[str]:
        out = [f"portals: {self.portals}, initiatives checked: {self.checked}"]
        out += [f"missing  {u}" for u in self.missing]
        out += [f"stale    {u} ({', '.join(fields)})" for u, fields in self.stale]
        out += [f"orphaned {u}" for u in self.orphaned]
        out.append(
            "index matches every portal"
            if self.clean
            else f"differences: {len(self.missing)} missing, {len(self.stale)} stale, {len(self.orphaned)} orphaned"
            + (" (repaired)" if self.repaired else "")
        )
        return out


def _stored(row: IndexEntry) -> dict:
    return {f: getattr(row, f) for f in projector.INDEX_FIELDS}


def reconcile(*, repair: bool = False) -> Report:
    report = Report(repaired=repair)
    seen = set()
    for portal in live_portals():
        report.portals += 1
        with schema_context(portal.schema_name), transaction.atomic():
            initiatives = list(Initiative.objects.for_index())
            stored = {row.uuid: row for row in IndexEntry.objects.filter(uuid__in=[i.uuid for i in initiatives])}
            for initiative in initiatives:
                report.checked += 1
                seen.add(initiative.uuid)
                row = stored.get(initiative.uuid)
                if not initiative.is_published:
                    if row is not None:
                        report.orphaned.append(initiative.uuid)
                    continue
                if row is None:
                    report.missing.append(initiative.uuid)
                    continue
                want, have = projector.entry_values(initiative, portal), _stored(row)
                differing = [f for f in COMPARED if want[f] != have[f]]
                if differing:
                    report.stale.append((initiative.uuid, differing))
            if repair:
                projector.project_many(initiatives, portal)
    # A switched-off portal is not read (it may come back as it was): its rows are neither checked nor
    # forgotten, so its initiatives keep their locators (and with them their KvK numbers) meanwhile.
    orphans = list(
        IndexEntry.objects.exclude(uuid__in=seen).exclude(portal__is_active=False).values_list("uuid", flat=True)
    )
    report.orphaned += orphans
    if repair:
        for uuid in orphans:
            projector.forget(uuid)
    return report
