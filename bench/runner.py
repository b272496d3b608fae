"""The inner run of ``manage.py bench``: every phase of ``bench.phases`` in order, against the bench database
only, then the table."""

from __future__ import annotations

import logging
import os
import random
import time

from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import override_settings

from maex.celery import app

from .phases import MEASUREMENTS, PHASES, SETUP
from .table import Table


class Bench:
    """What every phase shares: the options, the seeded random generator, the log and the table's rows."""

    def __init__(self, command, options: dict):
        self.command = command
        self.options = options
        self.table = Table()
        self.rng = random.Random(2026)

    def log(self, message: str) -> None:
        self.command.stdout.write(f"[bench] {message}")

    def row(self, measurement: str, value, notes: str = "") -> None:
        self.table.row(measurement, value, notes)

    def run(self):
        if "DATABASE_URL" not in os.environ or connection.settings_dict["NAME"] != self.options["database"]:
            raise CommandError("bench --inner runs only against the bench database (started by `manage.py bench`).")
        started = time.perf_counter()
        load_before = os.getloadavg()[0]
        # Tasks (the price-list recomputation) run here, eagerly, with their errors raised: the default broker
        # is the dev one (.run/broker) and its worker talks to the dev database. Mail (the launch's
        # invitation) stays in memory.
        app.conf.task_always_eager = True
        app.conf.task_eager_propagates = True
        logging.getLogger("celery.app.trace").setLevel(logging.WARNING)  # no line per task in the output
        with override_settings(MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}):
            only = self.options.get("only")
            for phase in PHASES:
                if not only or phase in SETUP or phase in [MEASUREMENTS[name] for name in only]:
                    phase(self)
        self.row("total wall time", time.perf_counter() - started, "s")
        self.row(
            "1-min load average",
            f"{load_before:.2f} / {os.getloadavg()[0]:.2f}",
            "at start / end (other work on the machine skews the figures)",
        )
        self.command.stdout.write(self.table.text(self.options["portals"], self.options["initiatives"]))
