"""Platform-wide bookkeeping of the processes themselves (public schema)."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """A Celery worker's sign of life, written every MAEX_WORKER_HEARTBEAT_SECONDS by the worker process
    (``maex/celery.py``) and read by ``/healthz`` (docs/decisions/0017-work-survives-a-crash.md)."""

    name = models.CharField(max_length=200, unique=True)  # the worker's node name (celery@host)
    seen_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name}: {self.seen_at:%Y-%m-%d %H:%M:%S}"
