"""The test databases of parallel pytest-xdist processes (docs/decisions/0029-a-test-suite-near-five-minutes.md).

Each process has a database of its own (pytest-django names it ``test_<name>_gw0``, ``_gw1``, ...). Building one
runs every migration, creates the template schema and the session's four portals: half a minute of work that
every process would otherwise do at once. So the first process that needs a new database builds its own and
leaves a copy, ``test_<name>_copy``; the others, waiting for it, start from that copy (PostgreSQL's
``CREATE DATABASE ... TEMPLATE``, a copy of files) and then migrate and check their portals as any reused test
database is (a no-op when nothing changed). A copy is used only in the run that made it.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.db import connection, connections


def own_name() -> str:
    """This process's test database (with pytest-django's per-process suffix)."""
    return connection.creation._get_test_db_name()


def _execute(sql: str, params=None):
    with connection.creation._nodb_cursor() as cursor:  # connected to the server's "postgres" database
        cursor.execute(sql, params)
        return cursor.fetchone() if cursor.description else None


def exists(name: str) -> bool:
    return _execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]) is not None


@contextmanager
def _held(path: Path):
    with path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # waits while another process builds
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def build_once_and_copy(build, *, run: str):
    """Set this process's test database up: built by ``build(keepdb)``, or copied from the one this run built.

    ``run`` names the test run (pytest-xdist's id, the same in all its processes)."""
    own = own_name()
    copy = own.removesuffix(f"_{os.environ['PYTEST_XDIST_WORKER']}") + "_copy"
    settings = connection.settings_dict
    key = hashlib.sha256(f"{settings['HOST']}:{settings['PORT']}:{copy}".encode()).hexdigest()[:16]
    folder = Path(tempfile.gettempdir())
    quote = connection.ops.quote_name
    with _held(folder / f"maex-test-database-{key}.lock"):
        made_in = folder / f"maex-test-database-{key}.run"
        if made_in.exists() and made_in.read_text() == run and exists(copy):
            _execute(f"DROP DATABASE IF EXISTS {quote(own)}")
            _execute(f"CREATE DATABASE {quote(own)} TEMPLATE {quote(copy)}")
        else:
            config = build(False)
            connections.close_all()  # PostgreSQL copies a database only while no one is connected to it
            _execute(f"DROP DATABASE IF EXISTS {quote(copy)}")
            _execute(f"CREATE DATABASE {quote(copy)} TEMPLATE {quote(own)}")
            made_in.write_text(run)
            return config
    return build(True)
