"""Benchmark on a synthetic national dataset, in a database of its own, and print one plain-text table.

``make bench`` (``manage.py bench``) never touches the dev or demo database. The outer run creates (or, with
``--keep``, reuses) a database named ``maex_bench`` on the same PostgreSQL server as the configured default
database, then runs itself again (``bench --inner``) with ``DATABASE_URL`` pointing at that database, so the
measuring process can only ever connect to the bench database.

The inner run migrates the public schema, makes the template tenant and measures:

1. portal creation: ``--portals`` regional portals plus the national one, cloned from the template
   (``tenants.services.create_portal``), each covering a slice of the municipalities; and, for comparison,
   one schema created by running every tenant migration (no cloning);
2. seeding ``--initiatives`` published initiatives with needs, offers, partners and activities (bulk insert
   per schema), valuing them (``apply_valuation`` + ``bulk_update``) and projecting them into the national
   index (``projector.project_many`` per portal);
3. the valuation engine alone (``valuation.engine.value``) over every seeded initiative, on inputs built in
   memory beforehand (no ORM in the timed loop);
4. registration-to-national latency: ``register_initiative`` + ``publish`` until the index row exists;
5. a new price-list version end to end: ``create_draft`` + one changed value + ``publish``, whose
   recomputation (``start_recomputation`` -> ``recompute_portal`` per portal) runs in this process over every
   portal; every index row must then carry the new version;
6. launching a regional portal (``tenants.launch.launch_portal``) for a few municipalities of the national
   portal, whose initiatives move in;
7. a full ``reconcile`` (no repair), which must come out clean (after 5 and 6, so it checks them too);
8. national pages and API, and the initiative page with its charts on a regional portal, over HTTP against
   a real gunicorn server (2 workers) on 127.0.0.1;
9. a mixed load of public pages over several portals, ``--concurrency`` clients at once, against gunicorn with
   the production settings (``maex.settings.production``; needs Redis: ``--redis-url``, else the row is skipped);
10. national totals by a UNION ALL over every portal schema versus the index aggregate.

Celery tasks run eagerly in the measuring process (the real task code, against the bench database; nothing
reaches the dev broker) and mail goes to memory.
"""

from __future__ import annotations

import http.client
import logging
import os
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from urllib.parse import quote

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

BENCH_DATABASE = "maex_bench"
REGIONAL_SHARE = 0.75  # of the municipalities; the national portal covers the rest
HTTP_PATHS = [
    "/initiatieven/",
    "/initiatieven/?sdg=3",
    "/api/v1/initiatives",
    "/api/v1/totals",
    "/stand-van-het-land/",
]
DETAIL_PAGES = 20  # initiative pages of one regional portal, requested in turn
LOAD_PORTALS = 4  # regional portals in the mixed load, next to the national one
LOAD_SLUGS = 10  # initiative pages per portal in the mixed load
LAUNCH_SCHEMA = "benchlaunch"
LAUNCH_MUNICIPALITIES = 5  # taken from the national portal by the launched portal


def percentile(values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (q in 0..1)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def database_url_for(config: dict, name: str) -> str:
    """A DATABASE_URL for database ``name`` on the server of ``config`` (a Django DATABASES entry).

    A socket folder as host is percent-encoded, as ``maex.localstack.database_url`` does."""
    user = quote(config.get("USER") or "", safe="")
    password = quote(str(config.get("PASSWORD") or ""), safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = quote(config.get("HOST") or "", safe="")
    port = f":{config['PORT']}" if config.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{quote(name, safe='')}"


def redis_problem(url: str) -> str:
    """Why Redis at ``url`` cannot be used, or "" when it answers."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
    except (redis.RedisError, OSError, ValueError) as exc:
        return f"{exc.__class__.__name__}: {exc}"
    return ""


@dataclass
class LoadResult:
    count: int
    seconds: float
    latencies: list[float]
    errors: list[str]


def run_load(port: int, mix: list[tuple[str, str]], count: int, concurrency: int) -> LoadResult:
    """``count`` GETs over ``mix`` in turn, ``concurrency`` at a time (threads: the clients mostly wait on the
    socket). A connection per request, as gunicorn's sync workers close it after each answer."""
    from concurrent.futures import ThreadPoolExecutor

    def one(k: int) -> tuple[float, str]:
        host, path = mix[k % len(mix)]
        t0 = time.perf_counter()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            try:
                conn.request("GET", path, headers={"Host": host})
                response = conn.getresponse()
                response.read()
                status = response.status
            finally:
                conn.close()
        except OSError as exc:
            return (time.perf_counter() - t0) * 1000, f"{host}{path}: {exc.__class__.__name__}"
        elapsed = (time.perf_counter() - t0) * 1000
        return elapsed, "" if status == 200 else f"{host}{path}: {status}"

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(one, range(count)))
    seconds = time.perf_counter() - started
    return LoadResult(
        count=count,
        seconds=seconds,
        latencies=[ms for ms, error in results if not error],
        errors=[error for _ms, error in results if error],
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
        parser.add_argument("--inner", action="store_true", help="(internal) measure in the current database")

    def handle(self, *args, **options):
        if options["inner"]:
            return Bench(self, options).run()
        return self._outer(options)

    # --- outer run: make the bench database, then measure in a process that only knows that database ------
    def _outer(self, options):
        import psycopg
        from psycopg import sql

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
        self.stdout.write(f"[bench] database {name} on {where} ({'reused' if exists and options['keep'] else 'new'})")

        env = os.environ.copy()
        env["DATABASE_URL"] = database_url_for(config, name)
        env["PYTHONUNBUFFERED"] = "1"
        command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "bench", "--inner"]
        for option in ("portals", "initiatives", "requests", "registrations", "database", "load_requests"):
            command += [f"--{option.replace('_', '-')}", str(options[option])]
        for option in ("concurrency", "load_workers", "redis_url"):
            command += [f"--{option.replace('_', '-')}", str(options[option])]
        if options["keep"]:
            command.append("--keep")
        returncode = subprocess.call(command, env=env, cwd=settings.BASE_DIR)
        if returncode:
            raise CommandError(f"bench --inner failed (exit code {returncode})")


class Bench:
    """The inner run: everything here talks to the bench database only."""

    def __init__(self, command: Command, options: dict):
        self.command = command
        self.options = options
        self.rows: list[tuple[str, str, str]] = []
        self.rng = random.Random(2026)

    def log(self, message: str) -> None:
        self.command.stdout.write(f"[bench] {message}")

    def row(self, measurement: str, value, notes: str = "") -> None:
        if isinstance(value, float):
            value = f"{value:,.1f}" if value >= 100 else f"{value:.2f}"
        elif isinstance(value, int):
            value = f"{value:,}"
        self.rows.append((measurement, str(value), notes))

    def run(self):
        from django.db import connection
        from django.test.utils import override_settings

        from maex.celery import app

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
            self.setup()
            self.portals_phase()
            self.seed_phase()
            self.engine_phase()
            self.registration_phase()
            self.recompute_phase()
            self.launch_phase()
            self.reconcile_phase()
            self.http_phase()
            self.load_phase()
            self.totals_phase()
        self.row("total wall time", time.perf_counter() - started, "s")
        self.row(
            "1-min load average",
            f"{load_before:.2f} / {os.getloadavg()[0]:.2f}",
            "at start / end (other work on the machine skews the figures)",
        )
        self.print_table()

    # --- 0: schema and template ----------------------------------------------------------------------------
    def setup(self):
        from tenants.models import TEMPLATE_SCHEMA, Portal
        from tenants.services import ensure_template

        self.log("migrate_schemas --shared")
        t0 = time.perf_counter()
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
        self.row("migrate_schemas --shared", time.perf_counter() - t0, "s (public schema)")
        if not Portal.objects.filter(schema_name=TEMPLATE_SCHEMA).exists():
            self.log("template schema (all tenant migrations)")
            t0 = time.perf_counter()
            ensure_template()
            self.row("template schema: all tenant migrations", time.perf_counter() - t0, "s (ensure_template)")

    # --- 1: portals ---------------------------------------------------------------------------------------
    def portals_phase(self):
        from django.test.utils import override_settings

        from geo.models import Municipality
        from tenants.models import NATIONAL_SCHEMA, Portal
        from tenants.services import create_portal

        if Portal.objects.filter(schema_name=NATIONAL_SCHEMA).exists():
            if not self.options["keep"]:
                raise CommandError("The bench database already holds portals; run without --inner.")
            self.row("portal creation", "skipped", "--keep: reusing the portals of the previous run")
            return
        count = self.options["portals"]
        codes = list(Municipality.objects.order_by("cbs_code").values_list("cbs_code", flat=True))
        per = max(1, int(len(codes) * REGIONAL_SHARE) // max(count, 1))
        if count * per >= len(codes):
            raise CommandError(f"--portals {count} leaves no municipalities for the national portal.")
        specs = [(NATIONAL_SCHEMA, "MAEX", Portal.Kind.NATIONAL, settings.MAEX_NATIONAL_HOST, codes[count * per :])]
        specs += [
            (
                f"bench{k + 1:03d}",
                f"MAEX Bench {k + 1:03d}",
                Portal.Kind.REGION,
                f"bench{k + 1:03d}.{settings.MAEX_BASE_DOMAIN}",
                codes[k * per : (k + 1) * per],
            )
            for k in range(count)
        ]
        seconds = []
        t0 = time.perf_counter()
        for n, (schema, name, kind, host, covered) in enumerate(specs, 1):
            created = create_portal(schema_name=schema, name=name, kind=kind, hosts=[host], municipality_codes=covered)
            seconds.append(created.seconds)
            if n % 10 == 0 or n == len(specs):
                self.log(f"portals cloned: {n}/{len(specs)} (last {created.seconds:.2f} s)")
        total = time.perf_counter() - t0
        notes = f"{len(specs)} portals ({count} regional x {per} municipalities, national {len(codes) - count * per})"
        self.row("portals created by cloning", len(specs), notes)
        self.row("portal clone time p50", percentile(seconds, 0.5), "s (create_portal: clone, domain, coverage, site)")
        self.row("portal clone time max", max(seconds), "s")
        self.row("portal clone time total", total, "s")

        self.log("one schema by running all tenant migrations (no clone)")
        with override_settings(TENANT_CREATION_FAKES_MIGRATIONS=False):
            portal = Portal(schema_name="bench_nomigclone", name="Bench no clone", kind=Portal.Kind.REGION)
            portal.is_active = False
            t0 = time.perf_counter()
            portal.save(verbosity=0)
            migrated = time.perf_counter() - t0
        portal.delete(force_drop=True)
        ratio = migrated / percentile(seconds, 0.5)
        self.row("one schema by all migrations", migrated, f"s (no clone; {ratio:.0f}x the clone p50)")

    # --- 2: seed ------------------------------------------------------------------------------------------
    def _coverage(self):
        from geo.models import Municipality
        from tenants.models import Coverage
        from tenants.selectors import live_portals, national_portal

        portals = {p.pk: p for p in live_portals()}
        national = portals[national_portal().pk]
        covered = {c.municipality_id: portals[c.portal_id] for c in Coverage.objects.all() if c.portal_id in portals}
        municipalities = list(Municipality.objects.select_related("province").order_by("cbs_code"))
        return municipalities, {m.pk: covered.get(m.pk, national) for m in municipalities}, list(portals.values())

    def seed_phase(self):
        from django.db import connection, transaction
        from django.utils import timezone
        from django.utils.text import slugify
        from django_tenants.utils import schema_context

        from demo.profiles import profile_data
        from initiatives.models import Initiative
        from national_index import projector
        from national_index.models import IndexEntry

        if IndexEntry.objects.exists():
            self.row("seeding", "skipped", f"--keep: {IndexEntry.objects.count():,} index rows already there")
            return
        total = self.options["initiatives"]
        municipalities, home, portals = self._coverage()
        self.log(f"seeding {total:,} initiatives over {len(portals)} portals")
        now = timezone.now()
        by_portal = defaultdict(list)
        for i in range(total):
            municipality = self.rng.choice(municipalities)
            by_portal[home[municipality.pk].pk].append(profile_data(i, municipality, self.rng))
        portal_by_pk = {p.pk: p for p in portals}

        children = 0
        t0 = time.perf_counter()
        for pk, profiles in by_portal.items():
            with schema_context(portal_by_pk[pk].schema_name), transaction.atomic():
                initiatives = Initiative.objects.bulk_create(
                    [
                        Initiative(
                            **data["fields"],
                            slug=slugify(data["fields"]["name"])[:120],
                            status=Initiative.Status.PUBLISHED,
                            published_at=now - timedelta(days=self.rng.randint(0, 1500)),
                        )
                        for data in profiles
                    ],
                    batch_size=1000,
                )
                # Needs, offers, partners (and whatever else the profile carries): each key of the profile
                # data is a reverse relation of Initiative.
                related = defaultdict(list)
                for initiative, data in zip(initiatives, profiles, strict=True):
                    for key, items in data.items():
                        if key != "fields":
                            relation = Initiative._meta.get_field(key)
                            related[relation].extend(
                                relation.related_model(**{relation.field.name: initiative}, **item) for item in items
                            )
                for relation, objs in related.items():
                    relation.related_model.objects.bulk_create(objs, batch_size=2000)
                    children += len(objs)
        seeded = time.perf_counter() - t0
        self.row(
            "seed initiatives (bulk_create)",
            seeded,
            f"s: {total:,} initiatives + {children:,} related rows, {total / seeded:,.0f} initiatives/s",
        )

        self.value_seeded(portals)

        self.log("projecting into the national index (project_many per portal)")
        projected = 0
        t0 = time.perf_counter()
        for portal in portals:
            with schema_context(portal.schema_name), transaction.atomic():
                rows = Initiative.objects.select_related("municipality").prefetch_related("needs", "offers")
                projected += projector.project_many(rows, portal)
        seconds = time.perf_counter() - t0
        self.row(
            "project_many (all portals)", seconds, f"s: {projected:,} index rows, {projected / seconds:,.0f} rows/s"
        )

        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.row("ANALYZE after seeding", time.perf_counter() - t0, "s (planner statistics, as autovacuum would)")

    def value_seeded(self, portals) -> None:
        """Value the seeded initiatives from their activities, as the price-list recomputation does."""
        from django.db import transaction
        from django_tenants.utils import schema_context

        from initiatives.models import Initiative

        try:
            from initiatives.services import VALUATION_FIELDS, apply_valuation
            from valuation.selectors import current_book
        except ImportError:
            self.row("valuation of seeded initiatives", "skipped", "no valuation service in this version")
            return
        book = current_book()
        if book is None:
            self.row("valuation of seeded initiatives", "skipped", "no published price list")
            return
        self.log("valuing the seeded initiatives (apply_valuation + bulk_update per portal)")
        valued = 0
        t0 = time.perf_counter()
        for portal in portals:
            with schema_context(portal.schema_name), transaction.atomic():
                rows = list(Initiative.objects.prefetch_related("activities"))
                for initiative in rows:
                    apply_valuation(initiative, book)
                Initiative.objects.bulk_update(rows, VALUATION_FIELDS, batch_size=1000)
                valued += len(rows)
        seconds = time.perf_counter() - t0
        self.row("valuation of seeded initiatives", seconds, f"s: {valued:,} initiatives, {valued / seconds:,.0f}/s")

    # --- 3: the valuation engine alone ----------------------------------------------------------------------
    def engine_phase(self):
        """``valuation.engine.value`` over every initiative, with the inputs ``apply_valuation`` gives it (one
        ``ActivityLine`` per activity, the current price book) built in memory first: no ORM while timed."""
        from django_tenants.utils import schema_context

        from initiatives.models import Activity, Initiative
        from tenants.selectors import live_portals

        try:
            from valuation.engine import ActivityLine, value
            from valuation.selectors import current_book
        except ImportError:
            self.row("valuation engine alone", "skipped", "no valuation engine in this version")
            return
        book = current_book()
        if book is None:
            self.row("valuation engine alone", "skipped", "no published price list")
            return
        self.log("valuation engine alone (inputs in memory)")
        inputs: list[list] = []
        for portal in live_portals():
            with schema_context(portal.schema_name):
                lines = defaultdict(list)
                for initiative_id, code, quantity in Activity.objects.order_by("pk").values_list(
                    "initiative_id", "item_code", "quantity"
                ):
                    lines[initiative_id].append(ActivityLine(code, quantity))
                inputs += [lines.get(pk, []) for pk in Initiative.objects.order_by("pk").values_list("pk", flat=True)]
        runs, times = 3, []
        for _ in range(runs):
            t0 = time.perf_counter()
            for activities in inputs:
                value(book, activities).as_json()
            times.append(time.perf_counter() - t0)
        seconds = percentile(times, 0.5)
        count = len(inputs)
        self.row(
            "valuation engine alone (in memory)",
            seconds,
            f"s: {count:,} initiatives, {sum(map(len, inputs)):,} activity lines, {count / seconds:,.0f} "
            f"initiatives/s (engine.value + as_json, median of {runs} runs, no ORM)",
        )

    # --- 4: registration to national index ------------------------------------------------------------------
    def registration_phase(self):
        from django_tenants.utils import schema_context

        from accounts.services import ensure_verified_user
        from demo.profiles import profile_data
        from initiatives import services
        from national_index.models import IndexEntry, InitiativeLocator

        count = self.options["registrations"]
        if count <= 0:
            return
        municipalities, _home, _portals = self._coverage()
        owner = ensure_verified_user("bench-owner@example.org", secrets.token_urlsafe(24), "Bench (fictief)")
        first = InitiativeLocator.objects.count()  # past every name used so far: names stay unique
        self.log(f"{count} registrations (register_initiative + publish)")
        latencies = []
        for k in range(count):
            data = profile_data(first + k, self.rng.choice(municipalities), self.rng)
            t0 = time.perf_counter()
            initiative, portal = services.register_initiative(owner=owner, profile=services.Profile(**data))
            if not initiative.is_published:
                with schema_context(portal.schema_name):
                    initiative = services.publish(initiative, portal)
            indexed = IndexEntry.objects.filter(uuid=initiative.uuid).exists()
            latencies.append((time.perf_counter() - t0) * 1000)
            if not indexed:
                raise CommandError(f"Registered and published, but {initiative.uuid} is not in the index.")
        notes = f"ms, {count} registrations: register_initiative + publish until the IndexEntry exists"
        self.row("registration to national index p50", percentile(latencies, 0.5), notes)
        self.row("registration to national index p95", percentile(latencies, 0.95), "ms")

    # --- 5: a new price-list version, valued end to end -------------------------------------------------------
    def recompute_phase(self):
        """Publish a new version and let its recomputation run over every portal, as a worker would: the
        real path (``services.publish`` -> on commit ``start_recomputation`` -> ``recompute_portal`` per portal
        in its schema -> ``recompute_in_current_portal``), eager in this process."""
        from national_index.models import IndexEntry
        from tenants.selectors import live_portals

        try:
            from valuation import selectors, services
            from valuation.models import PriceList, Recomputation
        except ImportError:
            self.row("price-list publish + recompute", "skipped", "no valuation in this version")
            return
        current = selectors.current_price_list()
        if current is None:
            self.row("price-list publish + recompute", "skipped", "no published price list")
            return
        version = f"bench.{PriceList.objects.count() + 1}"
        portals = live_portals().count()
        self.log(f"price list {version}: draft, one change, publish and recompute every portal (in-process)")
        t0 = time.perf_counter()
        draft = services.create_draft(version=version, title=f"Bench {version}", copy_from=current)
        item = draft.items.order_by("code").first()
        item.unit_value += Decimal("1.00")
        item.save(update_fields=["unit_value"])
        drafted = time.perf_counter() - t0
        services.publish(draft)  # no transaction open here: the recomputation runs as the publish commits
        seconds = time.perf_counter() - t0
        run = Recomputation.objects.get(price_list=draft)
        if run.finished_at is None or run.portals_done != run.portals_total or run.portals_total != portals:
            raise CommandError(
                f"recomputation of {version} not finished: {run.portals_done}/{run.portals_total} portals"
            )
        done = run.initiatives_done
        self.row(
            "price-list publish + recompute",
            seconds,
            f"s: {done:,} initiatives on {run.portals_total} portals, {done / seconds:,.0f} initiatives/s "
            f"(create_draft + 1 change {drafted:.2f} s; publish -> start_recomputation -> recompute_portal)",
        )
        on_version = IndexEntry.objects.filter(valued_with=version).count()
        indexed = IndexEntry.objects.count()
        self.row("index rows on the new version", on_version, f"of {indexed:,} index rows carry {version}")
        if on_version != indexed:
            raise CommandError(f"{indexed - on_version:,} index rows do not carry {version} after the recomputation")

    # --- 6: launching a regional portal -----------------------------------------------------------------------
    def launch_phase(self):
        """``launch_portal`` for a few municipalities of the national portal: clone, coverage, the move of their
        initiatives into the new schema, the index rows, the first admin."""
        from django_tenants.utils import schema_context

        from initiatives.models import Initiative
        from tenants.models import NATIONAL_SCHEMA, Coverage, Portal

        try:
            from tenants.launch import launch_portal
        except ImportError:
            self.row("portal launch", "skipped", "no launch_portal in this version")
            return
        if Portal.objects.filter(schema_name=LAUNCH_SCHEMA).exists():
            self.row("portal launch", "skipped", f"--keep: {LAUNCH_SCHEMA} launched by a previous run")
            return
        codes = list(
            Coverage.objects.filter(portal__schema_name=NATIONAL_SCHEMA)
            .order_by("municipality__cbs_code")
            .values_list("municipality__cbs_code", flat=True)[:LAUNCH_MUNICIPALITIES]
        )
        with schema_context(NATIONAL_SCHEMA):
            expected = Initiative.objects.filter(municipality__cbs_code__in=codes).count()
        self.log(f"launching {LAUNCH_SCHEMA} for {', '.join(codes)} ({expected:,} initiatives to move)")
        t0 = time.perf_counter()
        report = launch_portal(
            name="MAEX Bench launch",
            schema_name=LAUNCH_SCHEMA,
            kind=Portal.Kind.REGION,
            hosts=[f"{LAUNCH_SCHEMA}.{settings.MAEX_BASE_DOMAIN}"],
            municipality_codes=codes,
            first_admin_email="bench-launch@example.org",
        )
        seconds = time.perf_counter() - t0
        if report.moved != expected:
            raise CommandError(f"launch moved {report.moved} initiatives, expected {expected}")
        steps = ", ".join(f"{step.key} {step.seconds:.2f}" for step in report.steps)
        self.row(
            "portal launch (launch_portal)",
            seconds,
            f"s: {len(codes)} municipalities from {NATIONAL_SCHEMA}, {report.indexed:,} index rows rewritten; "
            f"steps {steps} s",
        )
        self.row("initiatives moved by the launch", report.moved, f"from {NATIONAL_SCHEMA} into {LAUNCH_SCHEMA}")

    # --- 7: reconcile ---------------------------------------------------------------------------------------
    def reconcile_phase(self):
        from national_index.reconcile import reconcile

        self.log("reconcile (no repair)")
        t0 = time.perf_counter()
        report = reconcile(repair=False)
        seconds = time.perf_counter() - t0
        state = "clean" if report.clean else "NOT CLEAN: " + report.lines()[-1]
        self.row(
            "full reconcile (repair=False)",
            seconds,
            f"s: {report.portals} portals, {report.checked:,} initiatives, {state}",
        )
        if not report.clean:
            raise CommandError("reconcile found differences: " + "; ".join(report.lines()[:20]))

    # --- 8: HTTP ----------------------------------------------------------------------------------------------
    def http_phase(self):
        port = free_port()
        env = os.environ.copy()
        env.update(
            DJANGO_SETTINGS_MODULE="maex.settings.dev",
            DATABASE_URL=os.environ["DATABASE_URL"],
            DJANGO_DEBUG="0",
            DJANGO_ALLOWED_HOSTS=".localhost",
            MAEX_API_RATE="100000/m",
        )
        host = settings.MAEX_NATIONAL_HOST
        server_log = tempfile.NamedTemporaryFile(prefix="maex-bench-gunicorn-", suffix=".log", delete=False)
        self.log(f"gunicorn on 127.0.0.1:{port} (2 workers), log {server_log.name}")
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "maex.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=server_log,
            stderr=subprocess.STDOUT,
        )
        try:
            self._wait_for_server(server, port, server_log.name)
            for path in HTTP_PATHS:
                self._measure(port, host, [path], f"GET {path}", server_log.name)
            detail_host, slugs = self._detail_pages()
            if slugs:
                self._measure(
                    port,
                    detail_host,
                    [f"/initiatieven/{slug}/" for slug in slugs],
                    "GET /initiatieven/<slug>/",
                    server_log.name,
                    must_contain=b'role="img"',
                    what=f"{len(slugs)} initiatives in turn, with waardenweb + handprint",
                )
        finally:
            _stop(server, server_log)

    def _measure(self, port, host, paths, label, log_name, *, must_contain=b"", what="") -> None:
        """Warm up, then ``--requests`` sequential GETs over ``paths`` in turn; rows for p50 and p95."""
        count = self.options["requests"]
        for k in range(4):  # warm both workers: imports, connections, template caches
            self._get(port, host, paths[k % len(paths)])
        latencies, sizes = [], []
        for k in range(count):
            path = paths[k % len(paths)]
            t0 = time.perf_counter()
            status, body = self._get(port, host, path)
            latencies.append((time.perf_counter() - t0) * 1000)
            if status != 200:
                raise CommandError(f"GET {path} on {host} answered {status}; see {log_name}")
            if must_contain and must_contain not in body:
                raise CommandError(f"GET {path} on {host}: no {must_contain.decode()} in the page")
            sizes.append(len(body))
        size = sum(sizes) / len(sizes)
        notes = f"ms ({count} requests, {size / 1024:.0f} kB, Host {host}" + (f"; {what})" if what else ")")
        self.row(f"{label} p50", percentile(latencies, 0.5), notes)
        self.row(f"{label} p95", percentile(latencies, 0.95), "ms")

    def _detail_pages(self) -> tuple[str, list[str]]:
        """The primary host of the first regional portal with enough published initiatives that have
        activities, and the slugs of ``DETAIL_PAGES`` of them."""
        from django_tenants.utils import schema_context

        from initiatives.models import Initiative
        from tenants.models import Portal
        from tenants.selectors import live_portals

        for portal in live_portals().filter(kind=Portal.Kind.REGION).order_by("schema_name"):
            with schema_context(portal.schema_name):
                slugs = list(
                    Initiative.objects.filter(status=Initiative.Status.PUBLISHED, activities__isnull=False)
                    .distinct()
                    .order_by("pk")
                    .values_list("slug", flat=True)[:DETAIL_PAGES]
                )
            if len(slugs) >= min(DETAIL_PAGES, 5):
                return portal.domains.all()[0].domain, slugs  # live_portals() puts the primary domain first
        self.row("GET /initiatieven/<slug>/", "skipped", "no regional portal with published initiatives")
        return "", []

    @staticmethod
    def _get(port: int, host: str, path: str) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            conn.request("GET", path, headers={"Host": host})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def _wait_for_server(self, server, port: int, log_name: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise CommandError(f"gunicorn exited with {server.returncode}; see {log_name}")
            try:
                self._get(port, "127.0.0.1", "/healthz")
                return
            except OSError:
                time.sleep(0.2)
        raise CommandError(f"gunicorn did not answer within 60 s; see {log_name}")

    # --- 9: a mixed load on the production server -------------------------------------------------------------
    def load_phase(self):
        """``--load-requests`` GETs of public pages over the national and a few regional portals, ``--concurrency``
        at once, against gunicorn with ``maex.settings.production``. Every answer must be a 200."""
        redis_url = self.options["redis_url"]
        label = "mixed load (production settings)"
        if not redis_url:
            self.row(label, "skipped", "no Redis: production requires REDIS_URL (give --redis-url or REDIS_URL)")
            return
        problem = redis_problem(redis_url)
        if problem:
            self.row(label, "skipped", f"Redis at {redis_url} not reachable: {problem}")
            return
        mix = self._load_mix()
        if not mix:
            self.row(label, "skipped", "no portal with published initiatives")
            return
        workers = self.options["load_workers"]
        port = free_port()
        env = os.environ.copy()
        env.update(
            DJANGO_SETTINGS_MODULE="maex.settings.production",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
            DJANGO_ALLOWED_HOSTS=f".{settings.MAEX_BASE_DOMAIN}",
            DATABASE_URL=os.environ["DATABASE_URL"],
            REDIS_URL=redis_url,
            EMAIL_URL="dummymail://",
            DJANGO_SECURE_SSL="false",
            # Every client here is 127.0.0.1: the API's per-client limit would refuse all but the first 120.
            MAEX_API_RATE="100000/m",
            LOG_LEVEL="WARNING",
        )
        env.pop("CELERY_BROKER_URL", None)  # the broker is REDIS_URL, as in production
        server_log = tempfile.NamedTemporaryFile(prefix="maex-bench-production-", suffix=".log", delete=False)
        self.log(f"gunicorn, maex.settings.production, 127.0.0.1:{port}, {workers} workers, log {server_log.name}")
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "maex.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers)],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=server_log,
            stderr=subprocess.STDOUT,
        )
        try:
            self._wait_for_server(server, port, server_log.name)
            for k in range(2 * workers):  # warm every worker: imports, connections, template caches
                self._get(port, *mix[k % len(mix)])
            result = run_load(port, mix, self.options["load_requests"], self.options["concurrency"])
        finally:
            _stop(server, server_log)
        portals = len({host for host, _path in mix})
        self.row(
            f"{label} p50",
            percentile(result.latencies, 0.5),
            f"ms: {result.count:,} GETs, {self.options['concurrency']} at once, {len(mix)} URLs on {portals} portals "
            f"(home, lists, initiative pages, search, Stand van het Land, waardenweb, price list, API); "
            f"gunicorn -w {workers}",
        )
        self.row(f"{label} p95", percentile(result.latencies, 0.95), "ms")
        self.row(f"{label} throughput", result.count / result.seconds, f"requests/s over {result.seconds:.1f} s")
        self.row(f"{label} errors", len(result.errors), "answers other than 200 (must be 0)")
        if result.errors:
            shown = "; ".join(result.errors[:5])
            raise CommandError(
                f"{len(result.errors)} of {result.count} requests failed ({shown}); see {server_log.name}"
            )

    def _load_mix(self) -> list[tuple[str, str]]:
        """(host, path) pairs: the same public pages on the national portal and the first ``LOAD_PORTALS``
        regional portals with published initiatives, and ``LOAD_SLUGS`` initiative pages of each."""
        from django_tenants.utils import schema_context

        from initiatives.models import Initiative
        from tenants.models import Portal
        from tenants.selectors import live_portals

        mix = []
        regional = 0
        portals = sorted(live_portals(), key=lambda p: (p.kind != Portal.Kind.NATIONAL, p.schema_name))
        for portal in portals:
            if portal.kind != Portal.Kind.NATIONAL and regional == LOAD_PORTALS:
                break
            with schema_context(portal.schema_name):
                slugs = list(
                    Initiative.objects.filter(status=Initiative.Status.PUBLISHED)
                    .order_by("pk")
                    .values_list("slug", flat=True)[:LOAD_SLUGS]
                )
            if not slugs:
                continue
            regional += portal.kind != Portal.Kind.NATIONAL
            host = portal.domains.all()[0].domain  # live_portals() puts the primary domain first
            word = slugs[0].split("-")[0]
            paths = [
                "/",
                "/initiatieven/",
                "/initiatieven/?sdg=3",
                f"/zoeken/?q={quote(word)}",
                "/stand-van-het-land/",
                "/waardenweb/",
                "/prijslijst/",
                f"/api/v1/initiatives?portal={portal.schema_name}",
                *(f"/initiatieven/{slug}/" for slug in slugs),
            ]
            mix += [(host, path) for path in paths]
        self.rng.shuffle(mix)
        return mix

    # --- 10: totals: UNION ALL over schemas versus the index ----------------------------------------------------
    def totals_phase(self):
        from django.db import connection

        from initiatives.models import Initiative
        from national_index import selectors
        from tenants.selectors import live_portals

        connection.set_schema_to_public()
        table = connection.ops.quote_name(Initiative._meta.db_table)
        schemas = [p.schema_name for p in live_portals()]
        union = " UNION ALL ".join(
            # Identifiers come from the portal registry and are quoted; the status is a parameter.
            f"SELECT people_reached, volunteers, paid_staff FROM {connection.ops.quote_name(s)}.{table} "  # noqa: S608
            "WHERE status = %s"
            for s in schemas
        )
        query = (
            "SELECT count(*), coalesce(sum(people_reached), 0), coalesce(sum(volunteers), 0), "  # noqa: S608
            f"coalesce(sum(paid_staff), 0) FROM ({union}) AS all_portals"
        )
        params = [Initiative.Status.PUBLISHED] * len(schemas)
        runs = 20
        union_ms, index_ms = [], []
        union_result = index_result = None
        for _ in range(runs):
            t0 = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(query, params)
                union_result = tuple(int(v) for v in cursor.fetchone())
            union_ms.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            found = selectors.totals()
            index_ms.append((time.perf_counter() - t0) * 1000)
            index_result = tuple(int(found[k]) for k in ("initiatives", "people_reached", "volunteers", "paid_staff"))
        equal = union_result == index_result
        self.row(
            "totals by UNION ALL over schemas p50",
            percentile(union_ms, 0.5),
            f"ms ({len(schemas)} schemas, {runs} runs)",
        )
        self.row("totals from the index p50", percentile(index_ms, 0.5), f"ms (selectors.totals, {runs} runs)")
        self.row(
            "totals equal",
            "yes" if equal else "NO",
            f"initiatives {index_result[0]:,}, people reached {index_result[1]:,}, "
            f"volunteers {index_result[2]:,}, paid staff {index_result[3]:,}",
        )
        if not equal:
            raise CommandError(f"UNION ALL gives {union_result}, the index gives {index_result}")

    # --- output ---------------------------------------------------------------------------------------------
    def print_table(self):
        header = ("measurement", "value", "unit / notes")
        widths = [max(len(r[i]) for r in [header, *self.rows]) for i in range(2)]
        line = "-" * (widths[0] + widths[1] + 40)
        out = [
            f"MAEX bench: {self.options['portals']} regional portals + national, "
            f"{self.options['initiatives']:,} initiatives, {os.cpu_count()} CPU cores",
            line,
            f"{header[0]:<{widths[0]}}  {header[1]:>{widths[1]}}  {header[2]}",
            line,
        ]
        out += [f"{m:<{widths[0]}}  {v:>{widths[1]}}  {n}" for m, v, n in self.rows]
        out.append(line)
        self.command.stdout.write("\n".join(out))


def _stop(server: subprocess.Popen, server_log) -> None:
    """Stop a benchmarked server (politely, then by force) and close its log."""
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    server_log.close()
