"""What the price-list recomputation guarantees when things go wrong: two workers on one portal, an old
version's task delivered again after a newer version took over, and a crash inside a batch. The concurrency
tests use real PostgreSQL connections (threads with their own connections) on committed data."""

import threading
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from initiatives.models import Initiative
from initiatives.revaluation import recompute_in_current_portal
from initiatives.tasks import resume_stalled_recomputations
from maex.celery import app
from national_index.models import IndexEntry
from tenants.models import Portal
from tests.initiatives.revaluation.conftest import InThread, expected_value, new_version, wait_until_waiting_for_a_lock
from tests.support import VLISSINGEN, make_user, register
from valuation.models import Recomputation, RecomputationPortal
from valuation.selectors import price_book


@pytest.fixture
def eager_celery():
    """Tasks run in this process (the real task code, schema switching included) instead of a broker."""
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def _run_for(price_list, schema):
    run = Recomputation.objects.create(price_list=price_list, portals_total=1)
    progress = RecomputationPortal.objects.create(recomputation=run, portal=Portal.objects.get(schema_name=schema))
    return run, progress


def _assert_all_valued_once(schema, price_list, run, progress, count):
    book = price_book(price_list)
    with schema_context(schema):
        initiatives = list(Initiative.objects.prefetch_related("activities"))
        assert len(initiatives) == count
        assert {i.valued_with for i in initiatives} == {price_list.version}
        assert all(i.social_value == expected_value(i, book) for i in initiatives)
        uuids = [i.uuid for i in initiatives]
    assert set(IndexEntry.objects.filter(uuid__in=uuids).values_list("valued_with", flat=True)) == {price_list.version}
    run.refresh_from_db()
    progress.refresh_from_db()
    assert progress.initiatives_done == count and progress.finished_at is not None
    assert run.initiatives_done == count and run.finished_at is not None


def test_two_workers_recomputing_one_portal_at_once_count_each_initiative_once(committed):
    # Given six initiatives and a new version to apply to them
    schema = committed.initiatives_in(6)
    new = committed.version()
    run, progress = _run_for(new, schema)
    holding, release = threading.Event(), threading.Event()

    def first_worker():  # takes a batch and is still busy with it (its transaction stays open)
        with schema_context(schema), transaction.atomic():
            done = recompute_in_current_portal(run.pk, batch_size=2, max_batches=1)
            holding.set()
            release.wait(30)
        return done

    def second_worker():  # a duplicate delivery of the same task, on another connection
        with schema_context(schema):
            return recompute_in_current_portal(run.pk, batch_size=2)

    first = InThread(first_worker)
    assert holding.wait(30)

    # When a second worker recomputes the same portal meanwhile, and the first one then commits
    second = InThread(second_worker)
    wait_until_waiting_for_a_lock(second.pid, or_done=second)
    release.set()
    done_by_first, done_by_second = first.join(), second.join()

    # Then each initiative was valued by exactly one of them, and the counters say six, not more
    _assert_all_valued_once(schema, new, run, progress, 6)
    assert (done_by_first, done_by_second) == (2, 4)


def test_an_old_versions_task_delivered_again_leaves_a_newer_versions_figures_alone(zeeland, eager_celery):
    owner = make_user()
    for _ in range(4):
        register(owner, VLISSINGEN)
    # Given a recomputation whose worker died after one batch
    old = new_version("2")
    old_run, old_progress = _run_for(old, "zeeland")
    with schema_context("zeeland"):
        assert recompute_in_current_portal(old_run.pk, batch_size=2, max_batches=1) == 2
    # and a newer version, published since and fully applied
    newer = new_version("3")
    new_run, new_progress = _run_for(newer, "zeeland")
    with schema_context("zeeland"):
        assert recompute_in_current_portal(new_run.pk, batch_size=2) == 4
    RecomputationPortal.objects.filter(pk=old_progress.pk).update(touched_at=timezone.now() - timedelta(hours=1))

    # When the periodic check resumes the old version's stalled portal (as a redelivered message would)
    assert resume_stalled_recomputations.apply().get() == 1

    # Then the old version changes nothing: every figure stays the newer version's
    _assert_all_valued_once("zeeland", newer, new_run, new_progress, 4)
    old_run.refresh_from_db()
    assert old_run.finished_at is not None and old_run.initiatives_done == 2


FAULTS = {
    # after the batch's initiatives were revalued, while their index rows are written
    "index row": "BEFORE INSERT OR UPDATE ON national_index_indexentry FOR EACH ROW WHEN (NEW.uuid = '{uuid}')",
    # after the rows and the portal's counter, while the run's counter is raised
    "run counter": "BEFORE UPDATE ON valuation_recomputation FOR EACH ROW WHEN (NEW.initiatives_done > 2)",
}


@pytest.mark.parametrize("fails_at", FAULTS)
def test_a_crash_inside_a_batch_leaves_rows_and_counters_agreeing(committed, fails_at):
    # Given five initiatives, a new version, and a fault planted in the database inside the second batch
    schema = committed.initiatives_in(5)
    new = committed.version()
    run, progress = _run_for(new, schema)
    with schema_context(schema):
        fourth = Initiative.objects.order_by("pk").values_list("uuid", flat=True)[3]
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION test_planted_fault() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'planted fault'; END $$"
        )
        when = FAULTS[fails_at].format(uuid=fourth)
        cursor.execute(f"CREATE TRIGGER test_planted_fault {when} EXECUTE FUNCTION test_planted_fault()")
    try:
        # When the worker crashes in the middle of that batch
        with schema_context(schema), pytest.raises(DatabaseError, match="planted fault"):
            recompute_in_current_portal(run.pk, batch_size=2)
    finally:
        with connection.cursor() as cursor:
            table = "national_index_indexentry" if fails_at == "index row" else "valuation_recomputation"
            cursor.execute(f"DROP TRIGGER test_planted_fault ON {table}")
            cursor.execute("DROP FUNCTION test_planted_fault()")

    # Then the first batch stands whole and the second left no trace: rows, index and counters agree
    with schema_context(schema):
        valued = list(Initiative.objects.filter(valued_with=new.version).values_list("uuid", flat=True))
    progress.refresh_from_db()
    run.refresh_from_db()
    assert len(valued) == progress.initiatives_done == run.initiatives_done == 2
    ours = [u for _, u in committed.initiatives]
    assert IndexEntry.objects.filter(valued_with=new.version, uuid__in=ours).count() == 2
    assert progress.finished_at is None

    # And running the job again finishes it, counting every initiative once
    with schema_context(schema):
        assert recompute_in_current_portal(run.pk, batch_size=2) == 3
    _assert_all_valued_once(schema, new, run, progress, 5)


def test_the_periodic_check_resends_only_a_portal_that_stopped_moving(zeeland, rotterdam, eager_celery):
    from tests.support import ROTTERDAM

    owner = make_user()
    register(owner, VLISSINGEN)
    register(owner, ROTTERDAM)
    new = new_version("2")
    run = Recomputation.objects.create(price_list=new, portals_total=2)
    moving = RecomputationPortal.objects.create(recomputation=run, portal=zeeland)  # a batch just committed
    stalled = RecomputationPortal.objects.create(recomputation=run, portal=rotterdam)
    RecomputationPortal.objects.filter(pk=stalled.pk).update(touched_at=timezone.now() - timedelta(minutes=11))

    # When the check runs (default: stalled after 10 minutes without progress)
    assert resume_stalled_recomputations.apply().get() == 1

    # Then only Rotterdam was resumed, and finished
    moving.refresh_from_db()
    stalled.refresh_from_db()
    assert stalled.finished_at is not None and stalled.initiatives_done == 1
    assert moving.finished_at is None and moving.initiatives_done == 0
    # and a check right after sends nothing again
    assert resume_stalled_recomputations.apply().get() == 0


def test_the_periodic_check_starts_a_recomputation_whose_publish_message_was_lost(zeeland, eager_celery):
    # Given a version published while its dispatcher message was lost (nothing was started)
    owner = make_user()
    initiative, _ = register(owner, VLISSINGEN)
    new = new_version("2")
    assert not Recomputation.objects.filter(price_list=new).exists()

    # When the check runs
    assert resume_stalled_recomputations.apply().get() >= 4  # one task per live portal

    # Then the version's recomputation ran on every portal
    run = Recomputation.objects.get(price_list=new)
    assert run.finished_at is not None and run.portals_done == run.portals_total >= 4
    with schema_context("zeeland"):
        assert Initiative.objects.get(pk=initiative.pk).valued_with == new.version


def test_the_periodic_check_adds_the_portals_a_dying_dispatcher_never_reached(zeeland, rotterdam, eager_celery):
    from tenants.selectors import live_portals
    from tests.support import ROTTERDAM

    owner = make_user()
    there, _ = register(owner, ROTTERDAM)
    new = new_version("2")
    # Given a dispatcher that created the run and Zeeland's row, then died
    run = Recomputation.objects.create(price_list=new, portals_total=live_portals().count())
    Recomputation.objects.filter(pk=run.pk).update(started_at=timezone.now() - timedelta(hours=1))
    RecomputationPortal.objects.create(recomputation=run, portal=zeeland, finished_at=timezone.now())
    Recomputation.objects.filter(pk=run.pk).update(portals_done=1)

    # When the check runs
    assert resume_stalled_recomputations.apply().get() == run.portals_total - 1

    # Then every other portal got its row and its task, and the run finished
    run.refresh_from_db()
    assert run.finished_at is not None and run.portals_done == run.portals_total
    with schema_context("rotterdam"):
        assert Initiative.objects.get(pk=there.pk).valued_with == new.version
