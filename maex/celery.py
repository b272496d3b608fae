"""The Celery app. Tasks that touch portal data run in their portal's schema (tenant-schemas-celery).

- ``portal_task``: a task on one portal's data. Sent from a portal's context (the schema travels in the
  message headers); sent without one, it refuses to run rather than run in the public schema.
- ``core_task``: a task on the shared core (the national index, dispatchers that fan out over portals).

Periodic jobs are defined here in code (``beat_schedule``).
"""

import os

from celery.schedules import crontab
from django.db import connection
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
        from django_tenants.utils import get_public_schema_name

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
        "task": "national_index.tasks.reconcile_index",
        "schedule": crontab(hour=3, minute=15),
        "kwargs": {"repair": False},
    },
    "snapshot-national-index-daily": {
        "task": "national_index.tasks.take_snapshot",
        "schedule": crontab(hour=0, minute=5),
    },
    "publish-scheduled-pages-per-portal": {
        "task": "cms.tasks.publish_scheduled_everywhere",
        "schedule": crontab(minute="*/5"),
    },
}
