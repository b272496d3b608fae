"""Background work runs in its portal's schema (tenant-schemas-celery); sent without a portal it refuses to
run rather than run in public (docs/architecture.md, "Reconcile and nightly jobs"). The worker test starts a real
worker process."""

import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django_tenants.utils import schema_context

from maex.celery import TenantContextMissing
from national_index import tasks as index_tasks
from national_index.models import IndexEntry, InitiativeLocator
from portals import tasks
from tests.support import VLISSINGEN, make_user, register


def test_a_portal_task_without_a_portal_context_fails_loudly(zeeland):
    initiative, _ = register(make_user(), VLISSINGEN)
    IndexEntry.objects.filter(uuid=initiative.uuid).update(name="Verkeerd")
    assert connection.schema_name == "public"
    result = tasks.reproject_portal.apply()
    assert result.failed()
    assert isinstance(result.result, TenantContextMissing)
    assert IndexEntry.objects.get(uuid=initiative.uuid).name == "Verkeerd"  # it did nothing


def test_a_portal_task_runs_in_the_portal_it_was_sent_from(zeeland, rotterdam):
    from tests.support import ROTTERDAM

    here, _ = register(make_user(), VLISSINGEN)
    there, _ = register(make_user(), ROTTERDAM)
    IndexEntry.objects.filter(uuid__in=[here.uuid, there.uuid]).update(name="Verkeerd")
    with schema_context("zeeland"):
        result = tasks.reproject_portal.apply()
        assert connection.schema_name == "zeeland"  # the task gave the schema back
    assert result.successful(), result.traceback
    assert IndexEntry.objects.get(uuid=here.uuid).name == here.name
    assert IndexEntry.objects.get(uuid=there.uuid).name == "Verkeerd"  # Rotterdam's rows are not its business


def test_the_core_tasks_reconcile_and_snapshot(zeeland):
    from national_index.models import Snapshot

    initiative, _ = register(make_user(), VLISSINGEN)
    IndexEntry.objects.filter(uuid=initiative.uuid).update(name="Verkeerd")
    assert tasks.reconcile_index.apply(kwargs={"repair": False}).get()["stale"] == 1
    assert tasks.reconcile_index.apply(kwargs={"repair": True}).get()["stale"] == 1
    assert tasks.reconcile_index.apply().get() == {"clean": True, "missing": 0, "stale": 0, "orphaned": 0}
    rows = index_tasks.take_snapshot.apply(kwargs={"date": "2030-01-01"}).get()
    assert index_tasks.take_snapshot.apply(kwargs={"date": "2030-01-01"}).get() == rows  # idempotent per day
    nl = Snapshot.objects.get(date="2030-01-01", scope="nl")
    assert nl.initiatives == IndexEntry.objects.count()
    assert (
        Snapshot.objects.get(date="2030-01-01", scope="portal:zeeland").initiatives
        == IndexEntry.objects.filter(portal=zeeland).count()
    )


# --- a real worker process -----------------------------------------------------------------------------------


def _database_url() -> str:
    db = settings.DATABASES["default"]
    host = db["HOST"] or "localhost"
    if host.startswith("/"):
        host = quote(host, safe="")
    auth = quote(db["USER"], safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else "")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}@{host}{port}/{db['NAME']}"


def _worker_env() -> dict:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "maex.settings.test"
    env["DATABASE_URL"] = _database_url()
    if settings.CELERY_BROKER_URL == "filesystem://":
        env.pop("CELERY_BROKER_URL", None)  # the worker computes the same folder (maex.localstack)
    else:
        env["CELERY_BROKER_URL"] = settings.CELERY_BROKER_URL
    return env


def _wait_for(condition, seconds: float, worker, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        if worker.poll() is not None:
            pytest.fail(f"The worker stopped (exit {worker.returncode}):\n{log.read_text()}")
        time.sleep(0.1)
    pytest.fail(f"Timed out after {seconds} s. Worker log:\n{log.read_text()}")


@pytest.mark.worker
def test_a_real_worker_reprojects_a_portal_in_its_schema(django_db_blocker):
    # A queue of this test's own, so a worker of another test run on the same broker cannot take the messages
    queue = f"test-{uuid.uuid4().hex[:12]}"
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        created_user = None
        initiative = None
        worker = None
        log = Path(tempfile.mkstemp(prefix="celery-worker-", suffix=".log")[1])
        try:
            # Given a published initiative in Zeeland (committed: the worker has its own connection)
            created_user = make_user(f"worker-{queue}@example.org")
            initiative, portal = register(created_user, VLISSINGEN, name=f"Workertest {queue}")
            assert portal.schema_name == "zeeland"
            # whose index row was corrupted behind the projector's back
            IndexEntry.objects.filter(uuid=initiative.uuid).update(name="Verkeerd door een bug")
            with log.open("w") as out:
                worker = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "celery",
                        "-A",
                        "maex",
                        "worker",
                        "--pool=solo",
                        "--loglevel=INFO",
                        "-Q",
                        queue,
                        "--without-heartbeat",
                        "--without-gossip",
                        "--without-mingle",
                        "-n",
                        f"{queue}@%h",
                    ],
                    cwd=settings.BASE_DIR,
                    env=_worker_env(),
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            _wait_for(lambda: "ready." in log.read_text(), 60, worker, log)

            # When the task is sent without a portal (from public), the worker refuses it
            assert connection.schema_name == "public"
            tasks.reproject_portal.apply_async(queue=queue)
            _wait_for(lambda: "TenantContextMissing" in log.read_text(), 60, worker, log)
            assert IndexEntry.objects.get(uuid=initiative.uuid).name == "Verkeerd door een bug"

            # When it is sent from Zeeland's context
            with schema_context("zeeland"):
                tasks.reproject_portal.apply_async(queue=queue)

            # Then the worker rewrites Zeeland's rows in Zeeland's schema
            def repaired():
                return IndexEntry.objects.get(uuid=initiative.uuid).name == initiative.name

            _wait_for(repaired, 60, worker, log)
            text = log.read_text()
            with schema_context("zeeland"):
                from initiatives.models import Initiative

                published_in_zeeland = Initiative.objects.filter(status="published").count()
            assert "succeeded in" in text and f": {published_in_zeeland}" in text
            # and it ran nothing in public: the only failure is the refused task, and nothing else was received
            assert text.count("TenantContextMissing") >= 1
            assert text.count("Task portals.tasks.reproject_portal[") == 4  # received + result, twice
            assert text.count(" raised unexpected: TenantContextMissing") == 1
        finally:
            if worker is not None:
                worker.terminate()
                try:
                    worker.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    worker.kill()
                    worker.wait()
            connection.set_schema_to_public()
            if initiative is not None:
                with schema_context("zeeland"):
                    from initiatives.models import Initiative

                    Initiative.objects.filter(uuid=initiative.uuid).delete()
                IndexEntry.objects.filter(uuid=initiative.uuid).delete()
                InitiativeLocator.objects.filter(uuid=initiative.uuid).delete()
            if created_user is not None:
                # In the portal's schema, so the delete also reaches the person's rows there (roles, owners)
                with schema_context("zeeland"):
                    created_user.delete()
            log.unlink(missing_ok=True)
