"""State of the parts the platform needs: the database and the Celery broker."""

from django.db import connection


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as exc:  # noqa: BLE001 - reported, not raised: this is the health check
        return f"error: {exc.__class__.__name__}"


def _broker() -> str:
    from maex.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as exc:  # noqa: BLE001
        return f"error: {exc.__class__.__name__}"


def check() -> dict:
    parts = {"database": _database(), "broker": _broker()}
    return {"ok": all(v == "ok" for v in parts.values()), **parts}
