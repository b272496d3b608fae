"""A real worker killed (SIGKILL) in the middle of a recomputation: the work is finished by another worker,
with every initiative counted once, and /healthz tells whether a worker is alive (docs/decisions/0017)."""

import time
import uuid

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django_tenants.utils import schema_context

from initiatives.models import Initiative
from maex.celery import app
from maex.models import WorkerHeartbeat
from national_index.models import IndexEntry
from tests import live
from tests.initiatives.revaluation.conftest import expected_value
from valuation.models import Recomputation, RecomputationPortal
from valuation.selectors import price_book

REDIS = settings.CELERY_BROKER_URL.startswith("redis")


def _backend_waiting_on(table: str, seconds: float = 60) -> int:
    """The pid of the backend that waits for a lock in a statement on ``table``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' "
                "AND query LIKE %s",
                [f"%{table}%"],
            )
            row = cursor.fetchone()
        if row:
            return row[0]
        time.sleep(0.05)
    pytest.fail(f"no backend waited for a lock on {table} within {seconds} s")


def _gone(pid: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.05)
    pytest.fail(f"backend {pid} still runs {seconds} s after its worker was killed")


def _worker_state(client) -> str:
    return client.get("/healthz", HTTP_HOST="maex.localhost").json()["worker"]


def _wait_for_health(client, state: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not _worker_state(client).startswith(state):
        if time.monotonic() > deadline:
            pytest.fail(f"/healthz did not say the worker is {state!r} within {seconds} s: {_worker_state(client)}")
        time.sleep(0.2)


def _progress(run, schema):
    with schema_context(schema):
        valued = Initiative.objects.filter(valued_with=run.price_list.version).count()
    progress = RecomputationPortal.objects.get(recomputation=run, portal__schema_name=schema)
    run.refresh_from_db()
    return valued, progress.initiatives_done, run.initiatives_done


@pytest.mark.worker
@pytest.mark.parametrize(
    "resumed_by",
    [
        "the periodic check",
        pytest.param(
            "redelivery",
            marks=pytest.mark.skipif(not REDIS, reason="the file-system broker deletes a message on receipt"),
        ),
    ],
)
def test_a_worker_killed_mid_recomputation_the_work_finishes_with_every_initiative_counted_once(
    committed, client, settings, resumed_by
):
    queue = f"test-{uuid.uuid4().hex[:12]}"
    settings.WORKER_STALE_SECONDS = 3  # as /healthz judges in this process
    fast = {"MAEX_RECOMPUTE_BATCH_SIZE": 2, "MAEX_WORKER_HEARTBEAT_SECONDS": 1}
    workers, holds = [], []
    original_queue = app.conf.task_default_queue
    try:
        # Given twelve initiatives in Zeeland, and no worker running
        schema = committed.initiatives_in(12)
        WorkerHeartbeat.objects.all().delete()
        assert _worker_state(client) == "down: no heartbeat"
        # and the second half of them held by another transaction, so the worker stops halfway
        rows = psycopg.connect(live.test_database_url())
        holds.append(rows)
        table = f"{schema}.initiatives_initiative"
        rows.execute(f"SELECT id FROM {table} WHERE id IN (SELECT id FROM {table} ORDER BY id OFFSET 6) FOR UPDATE")  # noqa: S608 - our schema

        # When a worker starts (and /healthz sees it) and a new price-list version is published
        workers.append(live.Worker(queue, pool="prefork" if resumed_by == "redelivery" else "solo", **fast))
        _wait_for_health(client, "ok")
        app.conf.task_default_queue = queue
        new = committed.publish()
        run = Recomputation.objects.get(price_list=new) if _wait_run(new) else None
        # it values the first half in batches of two, then waits for the rest
        _backend_waiting_on("initiatives_initiative")
        assert _progress(run, schema) == (6, 6, 6)
        # it takes the next batch and, with its rows revalued, is held at the progress counter
        counter = psycopg.connect(live.test_database_url())
        holds.append(counter)
        counter.execute(
            "SELECT id FROM valuation_recomputationportal WHERE recomputation_id = %s "
            "AND portal_id = (SELECT id FROM tenants_portal WHERE schema_name = %s) FOR UPDATE",
            [run.pk, schema],
        )
        rows.rollback()
        inside_batch = _backend_waiting_on("valuation_recomputationportal")
        # and is killed there
        workers[0].kill()
        counter.rollback()
        _gone(inside_batch)

        # Then nothing of the killed batch remains: rows and counters agree, halfway
        assert _progress(run, schema) == (6, 6, 6)
        assert run.finished_at is None
        # and /healthz says no worker is alive
        _wait_for_health(client, "down: last heartbeat")

        # When another worker starts: with beat (the periodic check), or alone (Redis redelivers the message)
        if resumed_by == "the periodic check":
            check = {"MAEX_RECOMPUTE_CHECK_SECONDS": 1, "MAEX_RECOMPUTE_STALL_SECONDS": 2}
            workers.append(live.Worker(queue, beat=True, **fast, **check))
        else:
            workers.append(live.Worker(queue, **fast, MAEX_CELERY_VISIBILITY_TIMEOUT=1))
        workers[1].wait_for(lambda: _refreshed(run).finished_at is not None, 90, "the recomputation to finish")

        # Then every initiative carries the new version's figures, each counted once
        book = price_book(new)
        with schema_context(schema):
            initiatives = list(Initiative.objects.prefetch_related("activities"))
        assert len(initiatives) == 12
        assert all(i.valued_with == new.version and i.social_value == expected_value(i, book) for i in initiatives)
        assert set(
            IndexEntry.objects.filter(uuid__in=[i.uuid for i in initiatives]).values_list("valued_with", flat=True)
        ) == {new.version}
        assert _progress(run, schema) == (12, 12, 12)
        assert run.portals_done == run.portals_total == RecomputationPortal.objects.filter(recomputation=run).count()
        # and /healthz sees the new worker
        assert _worker_state(client) == "ok"
    finally:
        app.conf.task_default_queue = original_queue
        for hold in holds:
            hold.close()
        for worker in workers:
            worker.stop()
        WorkerHeartbeat.objects.all().delete()


def _wait_run(price_list, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while not Recomputation.objects.filter(price_list=price_list).exists():
        if time.monotonic() > deadline:
            pytest.fail("the published version's recomputation did not start")
        time.sleep(0.1)
    return True


def _refreshed(run):
    run.refresh_from_db()
    return run
