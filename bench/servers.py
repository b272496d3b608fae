"""The servers the bench measures: gunicorn on a free port of 127.0.0.1, started, awaited and always stopped, and
the Redis the production settings need."""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time

import redis
from django.conf import settings
from django.core.management.base import CommandError

from .client import get


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_problem(url: str) -> str:
    """Why Redis at ``url`` cannot be used, or "" when it answers."""
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
    except (redis.RedisError, OSError, ValueError) as exc:
        return f"{exc.__class__.__name__}: {exc}"
    return ""


class Gunicorn:
    """``gunicorn maex.wsgi`` with ``workers`` workers on ``port``, its output in a log file of its own.

    As a context manager it starts the server and waits until it answers ``/healthz``; on leaving (or when it
    never answers) it stops the server, politely and then by force, and closes the log."""

    def __init__(self, port: int, workers: int, env: dict, log_prefix: str):
        self.port = port
        self.workers = workers
        self.env = env
        self.log = tempfile.NamedTemporaryFile(prefix=log_prefix, suffix=".log", delete=False)
        self.process: subprocess.Popen | None = None

    @property
    def log_name(self) -> str:
        return self.log.name

    def __enter__(self) -> Gunicorn:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "maex.wsgi", "-b", f"127.0.0.1:{self.port}", "-w", str(self.workers)],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        try:
            self._wait()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def _wait(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise CommandError(f"gunicorn exited with {self.process.returncode}; see {self.log_name}")
            try:
                get(self.port, "127.0.0.1", "/healthz")
                return
            except OSError:
                time.sleep(0.2)
        raise CommandError(f"gunicorn did not answer within 60 s; see {self.log_name}")

    def stop(self) -> None:
        """Stop the server (politely, then by force) and close its log."""
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
