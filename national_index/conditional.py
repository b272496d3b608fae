"""``ETag`` and ``Last-Modified`` for every answer read from the index: the open data files and the API
(docs/decisions/0031-open-data-files.md). A conditional GET whose tag still matches gets 304 without reading
the index beyond these two small queries."""

from __future__ import annotations

import datetime

from django.db.models import Max
from django.utils.translation import get_language
from django.views.decorators.http import condition

from . import version
from .models import IndexEntry

FORMAT = "1"  # raise when the shape of an answer changes: every copy cached under the old tag becomes stale


def etag(request, *args, **kwargs) -> str:
    """The index version (moved by every write of the index, awards included), the portals' version (which portal
    shows euro amounts, their names), the format and the language (the texts in an answer)."""
    return f"{FORMAT}-{version.current_with_portals()}-{get_language() or ''}"


def last_modified(request, *args, **kwargs) -> datetime.datetime | None:
    """The newest change of a published initiative; None for an empty index (no header). The ETag is the precise
    one: a withdrawn initiative or a portal's euro choice moves the tag, not this date (decision 0031)."""
    return IndexEntry.objects.aggregate(newest=Max("source_updated_at"))["newest"]


conditional = condition(etag_func=etag, last_modified_func=last_modified)
