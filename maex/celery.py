"""The Celery app. Tasks that touch portal data run in their portal's schema (tenant-schemas-celery).

- ``portal_task``: a task on one portal's data. Sent from a portal's context (the schema travels in the
  message headers); sent without one, it refuses to run rather than run in the public schema.
- ``core_task``: a task on the shared core (the national index, dispatchers that fan out over portals).

Periodic jobs are defined here in code (``beat_schedule``). Every worker process writes a heartbeat that
``/healthz`` reads (docs/decisions/0017-work-survives-a-crash.md).
"""

import logging
import os
import threading

from celery.schedules import crontab
from celery.signals import worker_ready, worker_shutdown
from django.conf import settings
from django.db import connection
from django_tenants.utils import get_public_schema_name
from tenant_schemas_celery.app import CeleryApp
from tenant_schemas_celery.task import TenantTask

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maex.settings.dev")

app = CeleryApp("maex")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class TenantContextMissing(RuntimeError):
    """A portal task was sent without a portal context and would otherwise have run in public."""


class PortalTask(TenantTask):
    abstract = True

    def __call__(self, *args, **kwargs):
        if connection.schema_name == get_public_schema_name():
            raise TenantContextMissing(
                f"Task {self.name} needs a portal's schema but was sent without one; it did not run."
            )
        return super().__call__(*args, **kwargs)


def portal_task(*args, **kwargs):
    return app.task(*args, base=PortalTask, **kwargs)


def core_task(*args, **kwargs):
    return app.task(*args, **kwargs)


app.conf.beat_schedule = {
    "reconcile-national-index-nightly": {
        "task": "portals.tasks.reconcile_index",
        "schedule": crontab(hour=3, minute=15),
        "kwargs": {"repair": False},
    },
    # The index's snapshot and the MAEX graadmeter of the day (docs/decisions/0032-the-maex-graadmeter.md)
    "snapshot-national-index-daily": {
        "task": "valuation.tasks.take_daily_figures",
        "schedule": crontab(hour=0, minute=5),
    },
    "publish-scheduled-pages-per-portal": {
        "task": "cms.tasks.publish_scheduled_everywhere",
        "schedule": crontab(minute="*/5"),
    },
    # A recomputation whose worker died (or whose message the broker lost) is picked up again
    "resume-stalled-recomputations": {
        "task": "initiatives.tasks.resume_stalled_recomputations",
        "schedule": float(settings.RECOMPUTE_CHECK_SECONDS),
    },
    # MAEX Impuls: the owners of paid awards whose spend window ends soon, or ended unaccounted, per portal
    "remind-impuls-accountability-daily": {
        "task": "impuls.tasks.remind_accountability_everywhere",
        "schedule": crontab(hour=8, minute=30),
    },
    # One mail per portal to its editors of what waits for review and was not announced yet
    "announce-waiting-registrations": {
        "task": "initiatives.tasks.announce_waiting_registrations",
        "schedule": float(settings.DIGEST_SECONDS),
    },
}

# --- the worker's heartbeat ---------------------------------------------------------------------------------
# A thread of its own, not a task or the worker's timer: a long task (a solo pool busy recomputing a portal)
# must not make a live worker look dead. It stops with the process, so a killed worker goes stale.

logger = logging.getLogger(__name__)
_heartbeat_stop = threading.Event()
_heartbeat_thread: threading.Thread | None = None


def _beat(name: str, every: float) -> None:
    # maex.health reads the heartbeat's model; this module is imported with the project package (maex/__init__.py),
    # before Django's app registry holds any model, so the model's module is imported once the worker runs.
    from maex.health import record_heartbeat

    while True:
        try:
            connection.set_schema_to_public()
            record_heartbeat(name)
        except Exception:  # noqa: BLE001 - a missed beat is reported by /healthz, not fatal to the worker
            logger.warning("worker heartbeat failed", exc_info=True)
        finally:
            connection.close()
        if _heartbeat_stop.wait(every):
            return


@worker_ready.connect
def _start_heartbeat(sender, **kwargs):
    global _heartbeat_thread
    _heartbeat_stop.clear()
    _heartbeat_thread = threading.Thread(
        target=_beat, args=(sender.hostname, settings.WORKER_HEARTBEAT_SECONDS), name="maex-heartbeat", daemon=True
    )
    _heartbeat_thread.start()


@worker_shutdown.connect
def _stop_heartbeat(sender, **kwargs):
    from maex.health import forget_heartbeat  # inside: see _beat

    _heartbeat_stop.set()
    if _heartbeat_thread is not None:
        _heartbeat_thread.join(timeout=10)
    try:
        connection.set_schema_to_public()
        forget_heartbeat(sender.hostname)
    except Exception:  # noqa: BLE001
        logger.warning("could not remove the worker heartbeat", exc_info=True)
