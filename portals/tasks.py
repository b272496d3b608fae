"""Background jobs that keep the national index in line with the initiatives of every portal."""

import logging

from django.db import connection

from initiatives.models import Initiative
from maex.celery import core_task, portal_task
from national_index import projector
from tenants.models import Portal

from .reconcile import reconcile

log = logging.getLogger(__name__)


@core_task(name="portals.tasks.reconcile_index")
def reconcile_index(repair: bool = False) -> dict:
    """Nightly: verify the index against every portal (and repair it when asked). Idempotent."""
    report = reconcile(repair=repair)
    for line in report.lines():
        (log.info if report.clean else log.warning)("reconcile: %s", line)
    return {
        "clean": report.clean,
        "missing": len(report.missing),
        "stale": len(report.stale),
        "orphaned": len(report.orphaned),
    }


@portal_task(name="portals.tasks.reproject_portal")
def reproject_portal() -> int:
    """Rewrite the index rows of the current portal's initiatives (after a domain change, for instance).
    Runs in the portal's schema; idempotent."""
    portal = Portal.objects.with_domains().get(schema_name=connection.schema_name)
    initiatives = Initiative.objects.for_index()
    return projector.project_many(initiatives, portal)
