"""``manage.py bench``: the benchmark on a synthetic national dataset, in a database of its own (see the
``bench`` package for what it measures, and docs/benchmarks.md)."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand

from bench import outer
from bench.outer import BENCH_DATABASE
from bench.phases import MEASUREMENTS
from bench.runner import Bench


class Command(BaseCommand):
    help = "Benchmark portals, seeding, the national index and national pages in a separate database."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--portals", type=int, default=50, help="regional portals (plus the national one)")
        parser.add_argument("--initiatives", type=int, default=20_000, help="initiatives to seed")
        parser.add_argument("--requests", type=int, default=100, help="HTTP requests per URL")
        parser.add_argument("--registrations", type=int, default=50, help="registrations timed end to end")
        parser.add_argument(
            "--load-requests", type=int, default=2000, help="requests of the mixed load on the production server"
        )
        parser.add_argument(
            "--impuls-applications",
            type=int,
            default=50,
            help="Impuls applications submitted at once over HTTP to one round (its budget fits 60%% of them)",
        )
        parser.add_argument("--concurrency", type=int, default=20, help="clients at once in the mixed load")
        parser.add_argument(
            "--load-workers",
            type=int,
            default=2 * (os.cpu_count() or 1) + 1,
            help="gunicorn workers of the production server (default: 2 x CPU cores + 1)",
        )
        parser.add_argument(
            "--redis-url",
            default=os.environ.get("REDIS_URL", ""),
            help="Redis of the production server's cache and broker (default: REDIS_URL); none: the load is skipped",
        )
        parser.add_argument(
            "--keep", action="store_true", help="reuse the bench database and its data instead of recreating it"
        )
        parser.add_argument("--database", default=BENCH_DATABASE, help="name of the bench database")
        parser.add_argument(
            "--only",
            action="append",
            choices=MEASUREMENTS,
            help="run only these measurements (repeatable); the database is still built or, with --keep, reused",
        )
        parser.add_argument("--inner", action="store_true", help="(internal) measure in the current database")

    def handle(self, *args, **options):
        if options["inner"]:
            return Bench(self, options).run()
        return outer.run(self, options)
