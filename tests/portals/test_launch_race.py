"""The real ``launch_portal`` against concurrent work on other connections: a registration in one of its
municipalities, a second launch, and a launch that fails at its commit.

Each launch runs for real in a thread (its own database connection) and is held at a point the test controls
without touching the project's code: the launch's first admin is an account whose row the test keeps locked
(``FOR UPDATE``) on a connection of its own. The launch's role for that account is checked against the row
when the launch commits (a deferred foreign key), so the launch has done all its work, holds all its locks,
and waits at its commit until the test lets go of the row.
"""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django_tenants.utils import schema_context

from accounts.services import delete_account
from initiatives.models import Initiative
from national_index.models import IndexEntry, InitiativeLocator
from portals.launch import LaunchRefused, launch_portal
from tenants.models import Coverage, Domain, Portal
from tests.live import test_database_url as database_url
from tests.portals.test_launch import GOES, TERNEUZEN, arguments
from tests.support import make_user, municipality, profile, register

LAUNCHED = ("testzee", "testzee_b")


class InThread:
    """Run ``fn`` in a thread with its own database connection; its result or exception is kept."""

    def __init__(self, blocker, fn, **kwargs):
        self.outcome: dict = {}

        def run():
            with blocker.unblock():
                try:
                    self.outcome["result"] = fn(**kwargs)
                except Exception as exc:  # noqa: BLE001 - reported by the assertions
                    self.outcome["error"] = exc
                finally:
                    connection.close()

        self.thread = threading.Thread(target=run)
        self.thread.start()

    def done(self, timeout: float = 60) -> dict:
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "still running after the test let go"
        return self.outcome


def _waiting(control) -> int:
    """How many connections to the test database wait for a lock right now (asked on a connection of its
    own in autocommit: within a transaction PostgreSQL keeps showing the statistics it saw first)."""
    with psycopg.connect(database_url(), autocommit=True) as watcher:
        row = watcher.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        ).fetchone()
    return row[0]


def _wait_until(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def world(django_db_setup, django_db_blocker):
    """Committed accounts (two connections take part: nothing can live in a test transaction), and afterwards
    every portal, account and row the launches and registrations committed removed again."""
    made = []

    def account(email=None):
        with django_db_blocker.unblock():
            user = make_user(email)
        made.append(user)
        return user

    yield account
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        goes = municipality(GOES)
        for schema in ("landelijk", *[p for p in LAUNCHED if Portal.objects.filter(schema_name=p).exists()]):
            with schema_context(schema):
                uuids = list(Initiative.objects.filter(municipality=goes).values_list("uuid", flat=True))
                Initiative.objects.filter(uuid__in=uuids).delete()
            IndexEntry.objects.filter(uuid__in=uuids).delete()
            InitiativeLocator.objects.filter(uuid__in=uuids).delete()
        for portal in Portal.objects.filter(schema_name__in=LAUNCHED):
            portal.delete()  # drops its schema; domains and coverage go with it
        Coverage.objects.filter(municipality__cbs_code__in=[GOES, TERNEUZEN]).delete()
        for user in made:
            from accounts.models import User

            if User.objects.filter(pk=user.pk).exists():
                delete_account(user)
    cache.clear()


def _at_commit(control, launching: InThread) -> None:
    reached = _wait_until(lambda: _waiting(control) == 1 or not launching.thread.is_alive(), 120)
    assert reached and launching.thread.is_alive(), f"the launch did not reach its commit: {launching.outcome}"


def _hold_account(control, user) -> None:
    control.execute("SELECT id FROM accounts_user WHERE id = %s FOR UPDATE", [user.pk])


def test_a_registration_during_a_launch_lands_in_the_new_portal(world, django_db_blocker):
    from initiatives import services

    admin, owner = world(), world()
    with psycopg.connect(database_url(), autocommit=False) as control:
        # Given a real launch of a portal for Goes that has moved, indexed and made everything, and waits at
        # its commit
        _hold_account(control, admin)
        launching = InThread(django_db_blocker, launch_portal, **arguments(first_admin_email=admin.email))
        _at_commit(control, launching)

        # When someone registers an initiative in Goes meanwhile
        def register():
            initiative, portal = services.register_initiative(owner=owner, profile=profile(GOES))
            return initiative.uuid, portal.schema_name

        registering = InThread(django_db_blocker, register)
        # Then the registration waits for the launch (it does not store the initiative in the old home)
        waited = _wait_until(lambda: _waiting(control) == 2 or not registering.thread.is_alive(), 30)
        assert waited and registering.thread.is_alive(), "the registration did not wait for the launch"
        # and when the launch commits
        control.rollback()
    launched = launching.done()
    registered = registering.done()

    # the initiative lands in the new portal, and nowhere else
    assert "error" not in launched, launched.get("error")
    assert "error" not in registered, registered.get("error")
    uuid, schema = registered["result"]
    assert schema == "testzee"
    with django_db_blocker.unblock():
        with schema_context("testzee"):
            assert Initiative.objects.filter(uuid=uuid, municipality__cbs_code=GOES).exists()
        with schema_context("landelijk"):
            assert not Initiative.objects.filter(municipality__cbs_code=GOES).exists()
        assert InitiativeLocator.objects.get(uuid=uuid).portal.schema_name == "testzee"


@pytest.mark.parametrize(
    ("second", "field", "message"),
    [
        (
            {"schema_name": "testzee_b", "hosts": ["testzee-b.localhost"], "municipality_codes": [TERNEUZEN, GOES]},
            "municipality_codes",
            "Goes valt al onder portaal MAEX Testzee",
        ),
        (
            {"municipality_codes": [TERNEUZEN]},
            "schema_name",
            "Er bestaat al een portaal met de schemanaam testzee",
        ),
    ],
    ids=["same-municipality", "same-schema-and-host"],
)
def test_a_second_launch_waits_for_the_first_and_is_refused_in_dutch(second, field, message, world, django_db_blocker):
    admin = world()
    with psycopg.connect(database_url(), autocommit=False) as control:
        # Given a launch for Goes, waiting at its commit
        _hold_account(control, admin)
        first = InThread(django_db_blocker, launch_portal, **arguments(first_admin_email=admin.email))
        _at_commit(control, first)
        # When a second launch claims the same municipality (or the same schema name and host) meanwhile
        other = InThread(
            django_db_blocker,
            launch_portal,
            **arguments(first_admin_email="tweede@testzee.example.org", name="MAEX Testzee B", **second),
        )
        # Then it waits for the first
        waited = _wait_until(lambda: _waiting(control) == 2 or not other.thread.is_alive(), 30)
        assert waited and other.thread.is_alive(), f"the second launch did not wait: {other.outcome}"
        control.rollback()
    first_outcome, second_outcome = first.done(), other.done()

    # and, once the first is live, is refused with the message a person would get had they come later
    assert "error" not in first_outcome, first_outcome.get("error")
    refused = second_outcome.get("error")
    assert isinstance(refused, LaunchRefused), second_outcome
    assert message in refused.problems.get(field, ""), refused.problems
    # having made nothing: one portal, its domain, Goes once, and no account for the second admin
    with django_db_blocker.unblock():
        from accounts.models import User

        assert list(Portal.objects.filter(schema_name__in=LAUNCHED).values_list("schema_name", flat=True)) == [
            "testzee"
        ]
        assert list(Domain.objects.filter(domain__startswith="testzee").values_list("domain", flat=True)) == [
            "testzee.localhost"
        ]
        assert dict(
            Coverage.objects.filter(municipality__cbs_code__in=[GOES, TERNEUZEN]).values_list(
                "municipality__cbs_code", "portal__schema_name"
            )
        ) == {GOES: "testzee"}
        assert not User.objects.filter(email="tweede@testzee.example.org").exists()


def _where(initiative) -> dict:
    """Where an initiative of Goes lives, with its children, locator and index row."""
    with schema_context("landelijk"):
        here = Initiative.objects.filter(uuid=initiative.uuid).first()
        partners = sorted(here.partners.values_list("name", flat=True)) if here else None
    return {
        "in landelijk": here is not None,
        "partners": partners,
        "locator": InitiativeLocator.objects.filter(uuid=initiative.uuid).values_list("portal__schema_name").first(),
        "index": IndexEntry.objects.filter(uuid=initiative.uuid).values_list("portal__schema_name", "url").first(),
    }


def test_a_launch_that_fails_at_its_commit_sends_no_invitation_and_moves_nothing(world, django_db_blocker):
    admin = world()
    with django_db_blocker.unblock():
        initiative, home = register(world(), GOES)
        before = _where(initiative)
    assert home.schema_name == "landelijk" and before["in landelijk"] and before["partners"]
    mail.outbox.clear()  # the owner's receipt and publication mail (committed above): not the launch's
    with psycopg.connect(database_url(), autocommit=False) as control:
        # Given a launch that has made everything, queued its invitation, and waits at its commit
        _hold_account(control, admin)
        launching = InThread(django_db_blocker, launch_portal, **arguments(first_admin_email=admin.email))
        _at_commit(control, launching)
        # When its commit fails (the database cancels it, as a statement timeout or an operator would)
        with psycopg.connect(database_url(), autocommit=True) as operator:
            cancelled = operator.execute(
                "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'"
            ).fetchall()
        assert cancelled == [(True,)]
        outcome = launching.done()
        control.rollback()

    # Then the launch reports the failure, nothing of it remains, and no invitation went out
    assert "canceling statement" in str(outcome.get("error")), outcome
    assert mail.outbox == []
    with django_db_blocker.unblock():
        assert not Portal.objects.filter(schema_name="testzee").exists()
        assert not Domain.objects.filter(domain="testzee.localhost").exists()
        assert not Coverage.objects.filter(municipality__cbs_code=GOES).exists()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = 'testzee'")
            assert cursor.fetchone() is None
        # and the initiative is where it was, with its children, locator and index row
        assert _where(initiative) == before
        # And the very same launch can be run again straight after: it moves the initiative and invites
        report = launch_portal(**arguments(first_admin_email=admin.email))
    assert report.moved == 1
    assert [m.to for m in mail.outbox] == [[admin.email]]
