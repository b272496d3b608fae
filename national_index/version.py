"""The version of the national index, for caches of figures read from it (docs/decisions/0023-fast-pages.md).

Every write of the index goes through ``projector``, which bumps the version when it writes and again once the
transaction commits. A cached figure is stored under the version it was read with, so after a change no reader
finds it any more: the first read after the commit computes the new figure.

The version is a PostgreSQL sequence in the public schema, not a cache entry: every process (web servers, the
Celery worker, a test's server) reads the same number whatever cache it has (a per-process one in the
zero-setup mode), it is never evicted, and ``nextval`` is not rolled back, so a version once handed out is never
handed out again."""

from __future__ import annotations

from django.db import connection, transaction

from tenants import page_cache

SEQUENCE = "public.national_index_version"  # national_index/migrations/0004_index_version.py


def current() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT last_value FROM {SEQUENCE}")  # noqa: S608 (a constant)
        return cursor.fetchone()[0]


def current_with_portals() -> str:
    """The index version and the public schema's page cache version (moved in the transaction of every change of a
    portal's row, tenants/page_cache.py), in one query: for figures that read the portals' rows too."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT last_value FROM {SEQUENCE}), "  # noqa: S608 (constants)
            f"(SELECT n FROM public.{page_cache.TABLE} WHERE id = 1)"
        )
        index, portals = cursor.fetchone()
        return f"{index}.{portals or 0}"


def bump_now() -> None:
    """Move the version on now (``bump`` also does so after the commit)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT nextval('{SEQUENCE}')")  # noqa: S608 (a constant)


def bump() -> None:
    """Now (so this transaction and this process read fresh figures) and once the transaction commits (so a
    reader in another process that cached the old figures in between does not keep them); then the figures of the
    Stand van het Land are computed ahead of their first reader (``figures.schedule_warm``)."""
    bump_now()
    transaction.on_commit(bump_now)
    transaction.on_commit(_schedule_warm, robust=True)  # a broker that is down must not fail a committed change


def _schedule_warm() -> None:
    from . import figures  # figures reads this module

    figures.schedule_warm()
