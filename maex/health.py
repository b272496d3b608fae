"""State of the parts the platform needs: the database, the Celery broker and a live Celery worker.

The worker's state is its heartbeat: every worker process writes ``maex.WorkerHeartbeat`` every
``WORKER_HEARTBEAT_SECONDS`` (``maex/celery.py``); the worker counts as down when the newest heartbeat is older
than ``WORKER_STALE_SECONDS`` (docs/decisions/0017-work-survives-a-crash.md)."""

from django.conf import settings
from django.db import connection
from django.utils import timezone

from maex.celery import app
from maex.models import WorkerHeartbeat


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as exc:  # noqa: BLE001 - reported, not raised: this is the health check
        return f"error: {exc.__class__.__name__}"


def _broker() -> str:
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as exc:  # noqa: BLE001
        return f"error: {exc.__class__.__name__}"


def _worker() -> str:
    try:
        last = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    except Exception as exc:  # noqa: BLE001
        return f"error: {exc.__class__.__name__}"
    if last is None:
        return "down: no heartbeat"
    age = (timezone.now() - last).total_seconds()
    if age > settings.WORKER_STALE_SECONDS:
        return f"down: last heartbeat {age:.0f} s ago"
    return "ok"


def record_heartbeat(name: str) -> None:
    """A worker's sign of life (called by the worker's heartbeat thread)."""
    WorkerHeartbeat.objects.update_or_create(name=name, defaults={"seen_at": timezone.now()})


def forget_heartbeat(name: str) -> None:
    """A worker that stops cleanly says so at once instead of going stale."""
    WorkerHeartbeat.objects.filter(name=name).delete()


def check() -> dict:
    parts = {"database": _database(), "broker": _broker(), "worker": _worker()}
    return {"ok": all(v == "ok" for v in parts.values()), **parts}


def check_web() -> dict:
    """What a web process needs to serve pages: the database. For a load balancer's probe (``/healthz/web``)."""
    database = _database()
    return {"ok": database == "ok", "database": database}
