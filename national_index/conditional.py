"""``ETag`` and ``Last-Modified`` for every answer read from the index: the open data files and the API
(docs/decisions/0031-open-data-files.md). A conditional GET whose tag still matches gets 304 without reading
the index beyond these two small queries."""

from __future__ import annotations

import datetime

from django.core.cache import cache
from django.db.models import Max
from django.utils.translation import get_language
from django.views.decorators.http import condition

from . import version
from .models import IndexEntry

FORMAT = "2"  # raise when the shape of an answer changes: every copy cached under the old tag becomes stale


def version_of(request) -> str:
    """``version.current_with_portals()``, read once per request: the ETag, the Last-Modified date and the view's
    cached figures all use it (one query instead of three)."""
    found = getattr(request, "_maex_index_version", None)
    if found is None:
        found = request._maex_index_version = version.current_with_portals()
    return found


def etag(request, *args, **kwargs) -> str:
    """The index version (moved by every write of the index, awards included), the portals' version (which portal
    shows euro amounts, their names), the format and the language (the texts in an answer)."""
    return f"{FORMAT}-{version_of(request)}-{get_language() or ''}"


LAST_MODIFIED_SECONDS = 24 * 60 * 60  # bounds the memory only: every write of the index moves the key
EMPTY = "empty"  # stored for an empty index, which a miss (None) could not be told from


def last_modified(request, *args, **kwargs) -> datetime.datetime | None:
    """The newest change of a published initiative; None for an empty index (no header). The ETag is the precise
    one: a withdrawn initiative or a portal's euro choice moves the tag, not this date (decision 0031). Kept in
    the cache per index version, so a warm answer does not scan the index for it (decision 0034)."""
    return newest_change(version_of(request))


def newest_change(current: str) -> datetime.datetime | None:
    """``last_modified`` of the index at version ``current``, from the cache (``figures.warm`` fills it after a
    change, so no reader scans the index for it)."""
    key = f"maex-global:index-last-modified:{current}"
    found = cache.get(key)
    if found is None:
        found = IndexEntry.objects.aggregate(newest=Max("source_updated_at"))["newest"] or EMPTY
        cache.set(key, found, LAST_MODIFIED_SECONDS)
    return None if found == EMPTY else found


conditional = condition(etag_func=etag, last_modified_func=last_modified)


def latest_take(request) -> tuple[int, datetime.datetime | None]:
    """The newest graadmeter row's id and time, read once per request (the primary key's index: one cheap query). A
    take writes new rows (a second take of a day replaces them with new ids), so the id moves with every take."""
    from .models import GraadmeterLevel

    found = getattr(request, "_maex_graadmeter_take", None)
    if found is None:
        found = GraadmeterLevel.objects.order_by("-id").values_list("id", "taken_at").first() or (0, None)
        request._maex_graadmeter_take = found
    return found


def graadmeter_etag(request, *args, **kwargs) -> str:
    """The graadmeter's answers: the index's tag (a portal's euro choice, the language) and the latest take
    (docs/decisions/0032-the-maex-graadmeter.md). A take does not move the index version: the Stand's figures do
    not depend on it."""
    return f"{etag(request)}-g{latest_take(request)[0]}"


def graadmeter_last_modified(request, *args, **kwargs) -> datetime.datetime | None:
    """The newer of the index's last change and the latest take."""
    dates = [d for d in (last_modified(request), latest_take(request)[1]) if d is not None]
    return max(dates) if dates else None


graadmeter_conditional = condition(etag_func=graadmeter_etag, last_modified_func=graadmeter_last_modified)


def latest_snapshot(request) -> datetime.datetime | None:
    """When a daily snapshot row was last written (its index: one cheap query), read once per request. A snapshot
    does not move the index version, so the snapshots' file needs this too."""
    from .models import Snapshot

    if not hasattr(request, "_maex_latest_snapshot"):
        request._maex_latest_snapshot = Snapshot.objects.aggregate(latest=Max("taken_at"))["latest"]
    return request._maex_latest_snapshot


def snapshots_etag(request, *args, **kwargs) -> str:
    latest = latest_snapshot(request)
    return f"{etag(request)}-s{latest.timestamp() if latest else 0}"


def snapshots_last_modified(request, *args, **kwargs) -> datetime.datetime | None:
    dates = [d for d in (last_modified(request), latest_snapshot(request)) if d is not None]
    return max(dates) if dates else None


snapshots_conditional = condition(etag_func=snapshots_etag, last_modified_func=snapshots_last_modified)
