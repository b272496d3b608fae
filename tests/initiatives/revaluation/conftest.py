"""Committed data for recomputation tests that need more than one connection (threads, a worker process):
what they create is committed, so other connections see it, and removed again afterwards."""

from __future__ import annotations

import threading
import time
import uuid
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.support import VLISSINGEN, make_user, register


def new_version(factor: str = "2", version: str | None = None):
    """A published version in which every hour-based item costs ``factor`` times as much. Published as
    ``load_default_price_list`` does (no task is sent): the test decides who recomputes."""
    from valuation import selectors, services
    from valuation.models import PriceList

    current = selectors.current_price_list()
    draft = services.create_draft(version=version or f"t{uuid.uuid4().hex[:10]}", title="Duurder", copy_from=current)
    text = services.export_csv(current).replace(",14.40,", f",{Decimal('14.40') * Decimal(factor):.2f},")
    assert not services.import_csv(draft, text).errors
    PriceList.objects.filter(pk=draft.pk).update(status=PriceList.Status.PUBLISHED, published_on=timezone.localdate())
    draft.refresh_from_db()
    return draft


def expected_value(initiative, book) -> Decimal:
    from valuation.engine import ActivityLine, value

    return value(book, [ActivityLine(a.item_code, a.quantity) for a in initiative.activities.all()]).total


class Committed:
    def __init__(self):
        self.initiatives: list[tuple[str, object]] = []  # (schema, uuid)
        self.owners = []
        self.price_list_ids: list[int] = []

    def initiatives_in(self, count: int, code: str = VLISSINGEN) -> str:
        owner = make_user(f"recompute-{uuid.uuid4().hex[:10]}@example.org")
        self.owners.append(owner)
        schema = None
        for _ in range(count):
            initiative, portal = register(owner, code)
            schema = portal.schema_name
            self.initiatives.append((schema, initiative.uuid))
        return schema

    def version(self, factor: str = "2"):
        price_list = new_version(factor)
        self.price_list_ids.append(price_list.pk)
        return price_list

    def publish(self, factor: str = "2"):
        """A new version published through the real service, which sends the recomputation after commit."""
        from valuation import selectors, services

        current = selectors.current_price_list()
        draft = services.create_draft(version=f"t{uuid.uuid4().hex[:10]}", title="Duurder", copy_from=current)
        self.price_list_ids.append(draft.pk)
        text = services.export_csv(current).replace(",14.40,", f",{Decimal('14.40') * Decimal(factor):.2f},")
        assert not services.import_csv(draft, text).errors
        return services.publish(draft)

    def remove(self):
        from initiatives.models import Initiative
        from national_index.models import IndexEntry, InitiativeLocator
        from valuation.models import PriceList

        connection.set_schema_to_public()
        for schema in {s for s, _ in self.initiatives}:
            with schema_context(schema):
                Initiative.objects.filter(uuid__in=[u for s, u in self.initiatives if s == schema]).delete()
        uuids = [u for _, u in self.initiatives]
        IndexEntry.objects.filter(uuid__in=uuids).delete()
        InitiativeLocator.objects.filter(uuid__in=uuids).delete()
        for owner in self.owners:
            with schema_context("zeeland"):  # from a portal, so the delete also reaches its rows there
                owner.delete()
        if self.price_list_ids:
            with transaction.atomic(), connection.cursor() as cursor:
                # A published version never changes (a trigger refuses it); a test's own may go
                cursor.execute("SET LOCAL session_replication_role = replica")
                ids = [self.price_list_ids]
                cursor.execute(
                    "DELETE FROM valuation_recomputationportal WHERE recomputation_id IN "
                    "(SELECT id FROM valuation_recomputation WHERE price_list_id = ANY(%s))",
                    ids,
                )
                cursor.execute("DELETE FROM valuation_recomputation WHERE price_list_id = ANY(%s)", ids)
                cursor.execute("DELETE FROM valuation_priceitem WHERE price_list_id = ANY(%s)", ids)
                cursor.execute("DELETE FROM valuation_pricelist WHERE id = ANY(%s)", ids)
        assert not PriceList.objects.filter(pk__in=self.price_list_ids).exists()


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    made = Committed()
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        try:
            yield made
        finally:
            connection.close()  # whatever a failed step left open
            made.remove()
            connection.close()


# --- other connections ----------------------------------------------------------------------------------------


class InThread:
    """Runs ``target`` in a thread with its own database connection; ``pid`` is that connection's backend."""

    def __init__(self, target, *args, **kwargs):
        self.pid = None
        self.result = None
        self.error = None
        self._ready = threading.Event()

        def run():
            try:
                connection.set_schema_to_public()
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    self.pid = cursor.fetchone()[0]
                self._ready.set()
                self.result = target(*args, **kwargs)
            except BaseException as exc:  # noqa: BLE001 - handed to the test
                self.error = exc
            finally:
                self._ready.set()
                connection.close()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        self._ready.wait(30)

    def join(self, seconds: float = 60):
        self.thread.join(seconds)
        assert not self.thread.is_alive(), "the thread did not finish"
        if self.error is not None:
            raise self.error
        return self.result


def wait_until_waiting_for_a_lock(pid: int, *, or_done: InThread | None = None, seconds: float = 30) -> bool:
    """Wait until backend ``pid`` waits for a lock (True), or ``or_done`` has finished (False)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
            row = cursor.fetchone()
        if row and row[0] == "Lock":
            return True
        if or_done is not None and not or_done.thread.is_alive():
            return False
        time.sleep(0.02)
    pytest.fail(f"backend {pid} neither waited for a lock nor finished within {seconds} s")
