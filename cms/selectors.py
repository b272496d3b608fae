"""Reads for the portal pages: the portal's data from the national index, scoped to the schema the request (or
the editor) works in. The national portal reads the whole index."""

from __future__ import annotations

from django.db import connection

from geo.selectors import sdgs
from national_index import selectors as index


def current_schema() -> str:
    return getattr(connection, "schema_name", "public")


def portal_scope() -> str:
    """The index ``portal`` filter of the current schema: "" (everything) on the national portal."""
    return index.area_of(current_schema())


def portal_totals() -> dict:
    return index.cached_totals(index.EntryFilter(portal=portal_scope()))


def newest_entries(limit: int) -> list:
    """The portal's most recently published initiatives."""
    flt = index.EntryFilter(portal=portal_scope())
    return list(index.entries(flt).order_by("-published_at", "uuid")[:limit])


def entries_by_uuid(uuids) -> list:
    """Index entries of this portal for the given UUIDs, in the given order; other portals' UUIDs are dropped."""
    uuids = [str(u) for u in uuids if u]
    if not uuids:
        return []
    # Explicitly this schema, also on the national portal: an editor picks from their own portal's initiatives.
    found = {str(e.uuid): e for e in index.entries(index.EntryFilter(portal=current_schema())).filter(uuid__in=uuids)}
    return [found[u] for u in uuids if u in found]


def municipality_entries(municipality_code: str) -> list:
    """The portal's published initiatives in one municipality, in one query."""
    flt = index.EntryFilter(municipality=municipality_code, portal=current_schema())
    return list(index.entries(flt))


def sdg_names() -> dict[int, str]:
    return {sdg.number: sdg.name for sdg in sdgs()}


def search_entries(q: str, limit: int = 20) -> tuple[list, int]:
    """Initiatives matching ``q`` on this portal (everywhere on the national portal): (first ``limit``, count)."""
    qs = index.entries(index.EntryFilter(q=q, portal=portal_scope()))
    return list(qs[:limit]), qs.count()
