"""Serves the platform for local use: the web server plus a real Celery worker (with the periodic jobs).

Stopping it stops the worker too: Ctrl-C (SIGINT) and SIGTERM (and SIGHUP, a closed terminal) end the web server
and then the worker with its beat process; the worker runs in a process group of its own, so it is stopped once,
cleanly, by this command (and on Linux the kernel ends it should this command die without cleaning up).
"""

import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from tenants.selectors import live_portals

WORKER_STOP_SECONDS = 20
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _end_with_parent() -> None:
    """In the worker, before it runs: on Linux, have the kernel send it SIGTERM when this command's process ends,
    even by SIGKILL. Elsewhere a no-op (the signal handlers below still stop it on every ordinary stop)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _stop_by_exiting(signum, frame):
    raise SystemExit(128 + signum)


def start_worker() -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "maex",
            "worker",
            "--beat",
            "--pool=solo",
            "--loglevel=WARNING",
            "--schedule",
            str(settings.RUN_DIR / "celerybeat-schedule"),
        ],
        env=os.environ.copy(),
        start_new_session=True,  # its own process group: Ctrl-C reaches this command only, which stops the group
        preexec_fn=_end_with_parent,  # safe here: no thread runs yet (the web server starts after it)
    )


def stop_worker(worker: subprocess.Popen) -> None:
    """SIGTERM to the worker's process group (the worker and its beat process): a warm shutdown that finishes the
    running task; SIGKILL after WORKER_STOP_SECONDS. Whatever is left of the group after the worker is gone
    (a beat process that outlived it) is killed, so nothing is orphaned."""
    group = worker.pid  # start_new_session: the worker leads its group
    try:
        os.killpg(group, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        worker.wait(timeout=WORKER_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(group, signal.SIGKILL)
        worker.wait()
    try:
        os.killpg(group, signal.SIGKILL)
    except ProcessLookupError:
        pass


class Command(BaseCommand):
    help = "Run the web server and a Celery worker (with beat) together; Ctrl-C or SIGTERM stops both."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=settings.PORT)

    def handle(self, *args, port, **options):
        if settings.LINK_PORT not in (0, port):
            self.stderr.write(
                f"MAEX_LINK_PORT is {settings.LINK_PORT}, the server listens on {port}: links and portal hosts use "
                f"{settings.LINK_PORT} (set MAEX_LINK_PORT={port}, as `make run PORT={port}` does)."
            )
        self.stdout.write(self.style.SUCCESS("MAEX op Maat is running:"))
        for portal in live_portals():
            self.stdout.write(f"  {portal.name:20} {portal.absolute_url()}   (beheer: /beheer/)")
        self.stdout.write(f"  health: http://127.0.0.1:{port}/healthz")
        if getattr(settings, "MAIL_FOLDER", None):
            self.stdout.write(f"  e-mail (verification links) is written to {settings.MAIL_FOLDER}/")
        self.stdout.write("  demo logins: see the output of seed_demo above (password demo-wachtwoord-2026)")
        # SIGTERM and SIGHUP end the server as Ctrl-C does (by default they would end this process on the spot,
        # leaving the worker running): the `finally` below then stops the worker.
        for signum in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, _stop_by_exiting)
        worker = start_worker()
        self.stdout.write(f"  Celery worker (with beat): pid {worker.pid}", ending="\n")
        self.stdout.flush()
        try:
            call_command("runserver", f"0.0.0.0:{port}", use_reloader=False)
        finally:
            # A second Ctrl-C or SIGTERM while the worker finishes its task must not leave it behind either.
            for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                signal.signal(signum, signal.SIG_IGN)
            stop_worker(worker)
            self.stdout.write("Stopped the web server and the Celery worker.")
