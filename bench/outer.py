"""The outer run of ``manage.py bench``: make the bench database, then measure in a child process that only
knows that database (``bench --inner``, ``bench.runner``)."""

from __future__ import annotations

import os
import subprocess
import sys
from urllib.parse import quote

import psycopg
from django.conf import settings
from django.core.management.base import CommandError
from psycopg import sql

BENCH_DATABASE = "maex_bench"


def database_url_for(config: dict, name: str) -> str:
    """A DATABASE_URL for database ``name`` on the server of ``config`` (a Django DATABASES entry).

    A socket folder as host is percent-encoded, as ``maex.localstack.database_url`` does."""
    user = quote(config.get("USER") or "", safe="")
    password = quote(str(config.get("PASSWORD") or ""), safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = quote(config.get("HOST") or "", safe="")
    port = f":{config['PORT']}" if config.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{quote(name, safe='')}"


def run(command, options: dict) -> None:
    """Create (or with ``--keep`` reuse) the bench database, then run ``bench --inner`` against it."""
    config = settings.DATABASES["default"]
    name = options["database"]
    if name == config["NAME"]:
        raise CommandError(f"The bench database {name!r} is the configured default database; choose another.")
    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not options["keep"]:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        if not exists or not options["keep"]:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    where = config.get("HOST") or "localhost"
    command.stdout.write(f"[bench] database {name} on {where} ({'reused' if exists and options['keep'] else 'new'})")

    env = os.environ.copy()
    env["DATABASE_URL"] = database_url_for(config, name)
    env["PYTHONUNBUFFERED"] = "1"
    inner = [sys.executable, str(settings.BASE_DIR / "manage.py"), "bench", "--inner"]
    for option in ("portals", "initiatives", "requests", "registrations", "database", "load_requests"):
        inner += [f"--{option.replace('_', '-')}", str(options[option])]
    for option in ("concurrency", "load_workers", "redis_url", "impuls_applications"):
        inner += [f"--{option.replace('_', '-')}", str(options[option])]
    if options["keep"]:
        inner.append("--keep")
    for name in options.get("only") or []:
        inner += ["--only", name]
    returncode = subprocess.call(inner, env=env, cwd=settings.BASE_DIR)
    if returncode:
        raise CommandError(f"bench --inner failed (exit code {returncode})")
