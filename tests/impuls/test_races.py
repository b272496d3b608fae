"""The Impuls guarantee under concurrency, on real connections: many submissions and approvals at once never
exceed a commitment, the first to come are served, and the ledger still explains every balance.

Each submission or approval runs in a thread of its own, with its own database connection, started together at a
barrier. Those connections cannot see a test transaction, so the round is committed (``django_db_blocker``) and
removed afterwards. The ledger refuses DELETE, so the clean-up runs with PostgreSQL's
``session_replication_role = replica`` (which skips triggers; only a superuser may set it).
"""

from __future__ import annotations

import threading
import time
import uuid
from datetime import date

import psycopg
import pytest
from django.db import OperationalError, connection
from django.db.models import F, Sum
from django_tenants.utils import schema_context
from wagtail.models import ModelLogEntry

from accounts.services import delete_account
from impuls import services
from impuls.models import Application, Commitment, Funder, LedgerEntry, Payout, Round
from impuls.selectors import reconcile, round_budget
from initiatives.models import Initiative
from national_index.models import ImpulsAward
from tests.impuls.builders import TEXTS, commitment_ids, make_round
from tests.live import test_database_url as database_url
from tests.support import make_user

SCHEMA = "zeeland"
DUE = date(2026, 12, 17)
# One pytest-xdist process runs these (make test's --dist loadgroup): each opens up to fifty connections at once, and
# two of them side by side in different processes would pass PostgreSQL's usual limit of a hundred connections.
pytestmark = pytest.mark.xdist_group("fifty_connections")


def _wait_for_connections(needed: int, seconds: float = 90) -> None:
    """Wait until PostgreSQL has room for ``needed`` more connections: the other test processes (servers, workers)
    use some for a few seconds at a time, and a refused connection would be counted as a refused submission."""
    deadline = time.monotonic() + seconds
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('max_connections')::int"
                " - current_setting('superuser_reserved_connections')::int"
                " - (SELECT count(*) FROM pg_stat_activity)"
            )
            free = cursor.fetchone()[0]
        if free >= needed or time.monotonic() > deadline:
            return
        time.sleep(0.5)


def _connect(seconds: float) -> None:
    """This thread's connection, opened again while PostgreSQL refuses it for a moment ("too many clients": the
    other test processes' servers and workers hold some for seconds at a time)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            connection.ensure_connection()
            return
        except OperationalError:
            connection.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def run_together(blocker, jobs) -> list[dict]:
    """Run each job (a callable) in its own thread and connection, all released at once; their outcomes."""
    with blocker.unblock():
        _wait_for_connections(len(jobs) + 10)
    barrier = threading.Barrier(len(jobs))
    outcomes = [{} for _ in jobs]

    def run(job, outcome):
        try:
            with schema_context(SCHEMA):
                try:
                    _connect(20)  # before the barrier: the race is between the submissions, not for a connection
                except OperationalError:
                    barrier.abort()  # the others let go of theirs at once instead of holding them for a minute
                    raise
                barrier.wait(timeout=60)
                outcome["result"] = job()
        except Exception as exc:  # noqa: BLE001 - counted by the assertions
            outcome["error"] = exc
        finally:
            connection.close()

    with blocker.unblock():
        threads = [
            threading.Thread(target=run, args=(job, outcome)) for job, outcome in zip(jobs, outcomes, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish"
    return outcomes


@pytest.fixture
def world(django_db_setup, django_db_blocker):
    """Committed rounds in Zeeland and one applicant account; everything removed again afterwards."""
    made: dict = {"rounds": []}

    def committed_round(*amounts, **fields):
        with django_db_blocker.unblock(), schema_context(SCHEMA):
            round = make_round(*amounts, **fields)
        made["rounds"].append(round.pk)
        return round

    with django_db_blocker.unblock():
        made["applicant"] = make_user()
    yield committed_round, made["applicant"]
    with django_db_blocker.unblock(), schema_context(SCHEMA), connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        try:
            rounds = made["rounds"]
            applications = list(Application.objects.filter(round__in=rounds).values_list("pk", flat=True))
            funders = list(Commitment.objects.filter(round__in=rounds).values_list("funder_id", flat=True))
            LedgerEntry.objects.filter(round__in=rounds).delete()
            Payout.objects.filter(application__in=applications).delete()
            ModelLogEntry.objects.filter(
                content_type__app_label="impuls", object_id__in=[str(pk) for pk in applications]
            ).delete()
            Application.objects.filter(pk__in=applications).delete()
            # The approvals' national award rows (public schema, docs/decisions/0028)
            ImpulsAward.objects.filter(portal__schema_name=SCHEMA, application_id__in=applications).delete()
            Commitment.objects.filter(round__in=rounds).delete()
            Round.objects.filter(pk__in=rounds).delete()
            Funder.objects.filter(pk__in=funders).delete()
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")
    with django_db_blocker.unblock():
        delete_account(made["applicant"])


def submission(round, applicant, amount):
    def job():
        return services.submit_application(
            round,
            Initiative(uuid=uuid.uuid4()),  # the service reads only the UUID; the initiative need not be stored here
            applicant,
            amount,
            **TEXTS,
            frozen_profile={},
            eligible_commitment_ids=commitment_ids(round),
        ).pk

    return job


def assert_within_and_explained(blocker, round):
    with blocker.unblock(), schema_context(SCHEMA):
        over = Commitment.objects.filter(round=round).filter(reserved_cents__gt=F("amount_cents") - F("awarded_cents"))
        assert not over.exists()
        assert reconcile(round) == []
        return round_budget(round)


def _waits_for_a_lock(seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    with psycopg.connect(database_url(), autocommit=True) as watcher:
        while time.monotonic() < deadline:
            row = watcher.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND query LIKE 'UPDATE \"zeeland\".impuls_commitment%'"
            ).fetchone()
            if row[0]:
                return True
            time.sleep(0.02)
    return False


def errors(outcomes) -> list:
    return [o["error"] for o in outcomes if "error" in o]


def test_fifty_parallel_submissions_fill_the_budget_exactly_and_never_exceed_a_commitment(world, django_db_blocker):
    committed_round, applicant = world
    # Given a round with 20,000 and 10,500 euros: room for 30 applications of 1,000 euros
    round = committed_round(2_000_000, 1_050_000)
    # When 50 initiatives submit 1,000 euros at the same moment
    outcomes = run_together(django_db_blocker, [submission(round, applicant, 100_000) for _ in range(50)])
    # Then exactly 30 are accepted and 20 refused because the round is full, and nothing else failed
    accepted = [o["result"] for o in outcomes if "result" in o]
    refused = errors(outcomes)
    assert len(accepted) == 30, refused[:3]
    assert len(refused) == 20 and all(isinstance(e, services.RoundFull) for e in refused), refused[:3]
    # And the budget holds the 30 reservations, no commitment is exceeded, the ledger explains every balance
    budget = assert_within_and_explained(django_db_blocker, round)
    assert (budget.reserved_cents, budget.left_cents) == (3_000_000, 50_000)
    with django_db_blocker.unblock(), schema_context(SCHEMA):
        numbers = sorted(Application.objects.filter(round=round).values_list("number", flat=True))
    assert numbers == list(range(1, 31))


def test_fifty_parallel_submissions_stop_at_the_maximum_number_of_applications(world, django_db_blocker):
    committed_round, applicant = world
    round = committed_round(10_000_000, max_applications=7)
    outcomes = run_together(django_db_blocker, [submission(round, applicant, 50_000) for _ in range(50)])
    refused = errors(outcomes)
    assert len(outcomes) - len(refused) == 7
    assert all(isinstance(e, services.RoundFull) for e in refused)
    assert assert_within_and_explained(django_db_blocker, round).reserved_cents == 7 * 50_000


def test_parallel_approvals_award_each_application_once(world, django_db_blocker):
    committed_round, applicant = world
    # Given 25 applications of 1,000 euros, reserved on two commitments
    round = committed_round(1_500_000, 1_000_000)
    with django_db_blocker.unblock(), schema_context(SCHEMA):
        applications = [Application.objects.get(pk=submission(round, applicant, 100_000)()) for _ in range(25)]
    # When two reviewers approve every one of them at the same moment, one for 800 and one for 900 euros
    jobs = [
        (lambda a=a, amount=amount: services.approve(a, amount_cents=amount, due_on=DUE).pk)
        for a in applications
        for amount in (80_000, 90_000)
    ]
    outcomes = run_together(django_db_blocker, jobs)
    # Then each application is approved once and the second decision is refused
    refused = errors(outcomes)
    assert len(outcomes) - len(refused) == 25
    assert all(isinstance(e, services.WrongState) for e in refused), refused[:3]
    # And what is awarded is what the payouts say, nothing stays reserved, and the ledger explains the balances
    budget = assert_within_and_explained(django_db_blocker, round)
    with django_db_blocker.unblock(), schema_context(SCHEMA):
        payouts = Payout.objects.filter(application__round=round)
        assert payouts.count() == 25
        assert budget.awarded_cents == payouts.aggregate(total=Sum("amount_cents"))["total"]
        assert budget.reserved_cents == 0


def test_parallel_approvals_and_submissions_never_exceed_the_budget(world, django_db_blocker):
    committed_round, applicant = world
    # Given a round of 10,000 euros fully reserved by 10 applications of 1,000 euros
    round = committed_round(600_000, 400_000)
    with django_db_blocker.unblock(), schema_context(SCHEMA):
        applications = [Application.objects.get(pk=submission(round, applicant, 100_000)()) for _ in range(10)]
    # When each is approved for 600 euros (releasing 400) while 30 new applications of 1,000 euros come in
    jobs = [(lambda a=a: services.approve(a, amount_cents=60_000, due_on=DUE).pk) for a in applications]
    jobs += [submission(round, applicant, 100_000) for _ in range(30)]
    outcomes = run_together(django_db_blocker, jobs)
    # Then no server error: only refusals because the round is full, the released 4,000 euros went to at most
    # four new applications, and no commitment is exceeded
    refused = errors(outcomes)
    assert all(isinstance(e, services.RoundFull) for e in refused), refused[:3]
    budget = assert_within_and_explained(django_db_blocker, round)
    assert budget.awarded_cents == 600_000
    assert budget.reserved_cents == (40 - len(refused) - 10) * 100_000 <= 400_000


def test_the_database_alone_refuses_two_writes_that_together_exceed_a_commitment(world, django_db_blocker):
    committed_round, _applicant = world
    # Given a commitment of 1,000 euros, in the test's committed data
    round = committed_round(100_000)
    with django_db_blocker.unblock(), schema_context(SCHEMA):
        commitment = round.commitments.get()
    sql = 'UPDATE "zeeland".impuls_commitment SET reserved_cents = reserved_cents + 60000 WHERE id = %s'
    # When two connections, past every service, each reserve 600 euros at the same time
    with psycopg.connect(database_url()) as first, psycopg.connect(database_url()) as second:
        outcome: dict = {}

        def run(conn):
            try:
                conn.execute(sql, [commitment.pk])
                conn.commit()
                return {"second": "committed"}
            except psycopg.errors.CheckViolation as exc:
                conn.rollback()
                return {"second": exc.diag.constraint_name}

        first.execute(sql, [commitment.pk])
        waiting = threading.Thread(target=lambda: outcome.update(run(second)))
        waiting.start()
        # (the second waits for the first's row lock before the first commits)
        assert _waits_for_a_lock(), "the second write did not wait for the first"
        first.commit()
        waiting.join(30)
    # Then the second is refused by the CHECK constraint once the first has committed
    assert outcome == {"second": "impuls_commitment_never_exceeded"}
    with django_db_blocker.unblock(), schema_context(SCHEMA):
        assert Commitment.objects.get(pk=commitment.pk).reserved_cents == 60_000
