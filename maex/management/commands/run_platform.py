"""Serves the platform for local use: the web server plus a real Celery worker (with the periodic jobs)."""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from tenants.selectors import live_portals


class Command(BaseCommand):
    help = "Run the web server and a Celery worker (with beat) together; Ctrl-C stops both."

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
        worker = subprocess.Popen(
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
        )
        try:
            call_command("runserver", f"0.0.0.0:{port}", use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=15)
