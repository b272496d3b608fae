"""Real processes against the test database: a web server and a Celery worker, for browser and worker
tests. Data they must see has to be committed, so these tests create it with ``django_db_blocker`` and
remove it themselves."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def test_database_url() -> str:
    db = settings.DATABASES["default"]
    host = quote(db["HOST"], safe="") if db["HOST"].startswith("/") else db["HOST"]
    port = f":{db['PORT']}" if db.get("PORT") else ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{host}{port}/{connection.settings_dict['NAME']}"


def process_env(**extra) -> dict:
    env = os.environ.copy()
    env.update(DJANGO_SETTINGS_MODULE="maex.settings.test", DATABASE_URL=test_database_url(), **extra)
    if settings.CELERY_BROKER_URL != "filesystem://":
        env["CELERY_BROKER_URL"] = settings.CELERY_BROKER_URL
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebServer:
    """gunicorn serving the platform on 127.0.0.1:<port> with the test database."""

    def __init__(self):
        self.port = free_port()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "maex.wsgi", "-b", f"127.0.0.1:{self.port}", "-w", "1", "-t", "60"],
            cwd=ROOT,
            env=process_env(PORT=str(self.port), MAEX_LINK_PORT=str(self.port)),  # links on the port it serves
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2)  # noqa: S310
                return
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(self.proc.stderr.read().decode()) from None
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("the web server did not start within 60 s")

    def url(self, host: str, path: str = "/") -> str:
        return f"http://{host}:{self.port}{path}"

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
