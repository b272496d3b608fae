"""Real processes against the test database: a web server and a Celery worker, for browser and worker
tests. Data they must see has to be committed, so these tests create it with ``django_db_blocker`` and
remove it themselves."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
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

    def __init__(self, *, threads: int = 1, **env):
        """``threads`` > 1 lets the server answer a request of its own while serving one (a portal's back
        channel to the national portal); ``env`` adds environment variables (settings). The server commits what
        it writes, as in production, so its page cache is on (cms/page_cache.py): a browser test that sees a change
        after it was made also shows that no stale page was served."""
        env = {"MAEX_PAGE_CACHE_SECONDS": "600", **env}
        self.port = free_port()
        # Its output goes to a file, shown under a test that fails (tests/conftest.py); a pipe that nobody reads
        # would stop the server once its buffer is full.
        self.log = Path(tempfile.mkstemp(prefix="web-server-", suffix=".log")[1])
        args = [sys.executable, "-m", "gunicorn", "maex.wsgi", "-b", f"127.0.0.1:{self.port}", "-w", "1", "-t", "60"]
        with self.log.open("w") as out:
            self.proc = subprocess.Popen(
                [*args, "--threads", str(threads)],
                cwd=ROOT,
                # links on the port it serves
                env=process_env(PORT=str(self.port), MAEX_LINK_PORT=str(self.port), **env),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2)  # noqa: S310
                return
            except urllib.error.HTTPError:
                return  # it answers; 503 only says a part is down (no worker runs for browser tests)
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(self.log.read_text()) from None
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the web server did not start within 60 s")

    def url(self, host: str, path: str = "/") -> str:
        return f"http://{host}:{self.port}{path}"

    def tail(self, size: int = 6000) -> str:
        """The end of what the server wrote (gunicorn's and the platform's log): shown under a failed test."""
        text = self.log.read_text(errors="replace")
        return text[-size:]

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.unlink(missing_ok=True)


class Worker:
    """A real Celery worker process (solo pool) with the test database, on a queue of its own so that no other
    test run's worker takes its messages: the test sends there by setting ``app.conf.task_default_queue`` to
    ``queue`` (the worker's own sends go there too, through ``MAEX_CELERY_QUEUE``). ``beat=True`` runs the
    periodic jobs inside it; ``pool="prefork"`` runs tasks in one child process, as production does.
    ``env`` adds environment variables (settings) for the worker."""

    def __init__(self, queue: str, *, beat: bool = False, pool: str = "solo", **env):
        self.queue = queue
        self.name = f"{queue}-{uuid.uuid4().hex[:6]}@%h"
        self.log = Path(tempfile.mkstemp(prefix="celery-worker-", suffix=".log")[1])
        self._schedule = Path(tempfile.mkdtemp(prefix="celery-beat-")) / "schedule"
        args = [sys.executable, "-m", "celery", "-A", "maex", "worker", f"--pool={pool}", "-c", "1", "--loglevel=INFO"]
        args += ["-Q", queue, "-n", self.name, "--without-gossip", "--without-mingle", "--without-heartbeat"]
        if beat:
            args += ["--beat", "--schedule", str(self._schedule)]
        with self.log.open("w") as out:
            self.proc = subprocess.Popen(
                args,
                cwd=ROOT,
                env=process_env(MAEX_CELERY_QUEUE=queue, **{k: str(v) for k, v in env.items()}),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: kill() takes its children (pool, beat) along
            )
        self.wait_for(lambda: "ready." in self.text(), 60, "the worker to start")

    def text(self) -> str:
        return self.log.read_text()

    def tail(self, size: int = 6000) -> str:
        return self.text()[-size:]

    def wait_for(self, condition, seconds: float, what: str) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if condition():
                return
            if self.proc.poll() is not None:
                raise AssertionError(f"The worker stopped (exit {self.proc.returncode}):\n{self.text()}")
            time.sleep(0.1)
        raise AssertionError(f"Timed out after {seconds} s waiting for {what}. Worker log:\n{self.text()}")

    def kill(self) -> None:
        """SIGKILL to the worker and its children, as when its machine dies: no clean shutdown, nothing
        acknowledged or given back."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.unlink(missing_ok=True)
        for path in self._schedule.parent.glob("*"):
            path.unlink()
        self._schedule.parent.rmdir()
