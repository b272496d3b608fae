"""Scheduled publishing per portal. Wagtail's ``publish_scheduled`` works on the schema it runs in, so a core
dispatcher fans out one portal task per live portal (never the template); beat runs it every five minutes."""

import io
import logging

from django.core.management import call_command
from django.db import connection
from django_tenants.utils import schema_context

from maex.celery import core_task, portal_task
from tenants.selectors import live_portals

log = logging.getLogger(__name__)


@portal_task(name="cms.tasks.publish_scheduled_pages")
def publish_scheduled_pages() -> str:
    """Publish the revisions whose go-live time has passed, and unpublish expired pages and snippets, in the
    current portal's schema. Idempotent: a revision once published is no longer scheduled."""
    out = io.StringIO()
    call_command("publish_scheduled", stdout=out)
    log.debug("publish_scheduled in %s: %s", connection.schema_name, out.getvalue().strip())
    return connection.schema_name


@core_task(name="cms.tasks.publish_scheduled_everywhere")
def publish_scheduled_everywhere() -> list[str]:
    """Send ``publish_scheduled_pages`` to every live portal (each task carries its portal's schema)."""
    schemas = list(live_portals().values_list("schema_name", flat=True))
    for schema in schemas:
        with schema_context(schema):
            publish_scheduled_pages.delay()
    return schemas
