"""Scheduled publishing really publishes, per portal: each portal's task publishes in its own schema only."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from cms import tasks
from cms.models import ContentPage
from maex.celery import TenantContextMissing, app


def _scheduled(pages, portal, title):
    """A draft page whose revision was approved to go live a minute ago (as the admin's scheduler leaves it)."""
    page = pages.content(portal, title)
    with schema_context(portal.schema_name):
        page.unpublish()
        page.refresh_from_db()
        page.title = f"{title} (nieuw)"
        page.save_revision(approved_go_live_at=timezone.now() - datetime.timedelta(minutes=1))
        assert not ContentPage.objects.get(pk=page.pk).live
    return page.pk


def _live(portal, pk) -> bool:
    with schema_context(portal.schema_name):
        return ContentPage.objects.get(pk=pk).live


def test_the_portal_task_publishes_in_its_own_portal_only(zeeland, rotterdam, pages):
    in_zeeland = _scheduled(pages, zeeland, "Gepland Zeeland")
    in_rotterdam = _scheduled(pages, rotterdam, "Gepland Rotterdam")

    with schema_context("zeeland"):
        result = tasks.publish_scheduled_pages.apply()
        assert connection.schema_name == "zeeland"
    assert result.successful(), result.traceback
    assert result.get() == "zeeland"
    assert _live(zeeland, in_zeeland)
    with schema_context("zeeland"):
        assert ContentPage.objects.get(pk=in_zeeland).title == "Gepland Zeeland (nieuw)"
    assert not _live(rotterdam, in_rotterdam)


def test_the_portal_task_without_a_portal_refuses_to_run(zeeland, pages):
    pk = _scheduled(pages, zeeland, "Gepland zonder portaal")
    result = tasks.publish_scheduled_pages.apply()
    assert result.failed()
    assert isinstance(result.result, TenantContextMissing)
    assert not _live(zeeland, pk)


def test_a_page_scheduled_for_later_stays_a_draft(zeeland, pages):
    page = pages.content(zeeland, "Later")
    with schema_context("zeeland"):
        page.unpublish()
        page.save_revision(approved_go_live_at=timezone.now() + datetime.timedelta(hours=1))
        tasks.publish_scheduled_pages.apply()
    assert not _live(zeeland, page.pk)


@pytest.fixture
def eager():
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def test_the_dispatcher_fans_out_to_every_live_portal(zeeland, rotterdam, denhaag, pages, eager):
    scheduled = {portal: _scheduled(pages, portal, f"Gepland {portal.schema_name}") for portal in (zeeland, rotterdam)}
    from tenants.models import Portal

    Portal.objects.filter(pk=denhaag.pk).update(is_active=False)  # an inactive portal gets nothing
    schemas = tasks.publish_scheduled_everywhere.apply().get()
    assert {"zeeland", "rotterdam", "landelijk"} <= set(schemas)
    assert "denhaag" not in schemas and "template" not in schemas and "public" not in schemas
    for portal, pk in scheduled.items():
        assert _live(portal, pk), portal.schema_name


def test_beat_runs_the_dispatcher_every_five_minutes():
    entry = next(e for e in app.conf.beat_schedule.values() if e["task"] == "cms.tasks.publish_scheduled_everywhere")
    assert entry["schedule"].minute == set(range(0, 60, 5))
