"""Background jobs of MAEX Impuls (docs/decisions/0028-impuls-accountability-projection-reminders.md)."""

from datetime import date

from django_tenants.utils import schema_context

from maex.celery import core_task, portal_task
from tenants.selectors import live_portals

from .accountability import send_reminders
from .projection import current_portal


@portal_task(name="impuls.tasks.remind_accountability")
def remind_accountability(today: str | None = None) -> int:
    """The accountability reminders of the current portal (its schema travels with the task), as of ``today``
    (ISO date; default: today in the Netherlands). Idempotent: a reminder once sent is marked and never sent
    again."""
    return send_reminders(current_portal(), date.fromisoformat(today) if today else None)


@core_task(name="impuls.tasks.remind_accountability_everywhere")
def remind_accountability_everywhere(portal_ids: list[int] | None = None) -> list[str]:
    """Celery beat, daily: send ``remind_accountability`` to every live portal (or the ones given by id), each task
    in its portal's schema. Returns the schemas it sent to."""
    portals = live_portals()
    if portal_ids is not None:
        portals = portals.filter(pk__in=portal_ids)
    schemas = list(portals.values_list("schema_name", flat=True))
    for schema in schemas:
        with schema_context(schema):
            remind_accountability.delay()
    return schemas
