"""The version of the national index, for caches of figures read from it (docs/decisions/0023-fast-pages.md).

Every write of the index goes through ``projector``, which bumps the version when it writes and again once the
transaction commits. A cached figure is stored under the version it was read with, so after a change no reader
finds it any more: the first read after the commit computes the new figure. The version lives in the shared
cache (Redis in production, which refuses to start without it); when it is evicted it restarts from the clock,
never from a number an older entry may still carry."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction

# Global (not per portal): one portal's change moves the national figures too (maex/cache.py keeps the prefix global)
VERSION_KEY = "maex-global:national-index-version"


def current() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), None)
        version = cache.get(VERSION_KEY)
    # Evicted again at once: a version of its own, so nothing is shared under a version nobody else holds
    return version if version is not None else time.time_ns()


def bump_now() -> None:
    """Move the version on now (``bump`` also does so after the commit)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # evicted: start again from the clock, beyond every version handed out before
        cache.set(VERSION_KEY, time.time_ns(), None)


def bump() -> None:
    """Now (so this transaction and this process read fresh figures) and once the transaction commits (so a
    reader in another process that cached the old figures in between does not keep them)."""
    bump_now()
    transaction.on_commit(bump_now)
