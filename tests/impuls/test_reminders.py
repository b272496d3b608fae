"""Reminders before a spend window ends and once when the accountability is overdue: per portal, each kind once
(docs/decisions/0028-impuls-accountability-projection-reminders.md)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from impuls import tasks
from impuls.models import Reminder
from maex.celery import app
from tests.impuls.award_builders import award
from tests.support import ROTTERDAM, make_user, register


@pytest.fixture
def eager():
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def _to(address):
    return [m for m in mail.outbox if address in m.to]


def test_the_owners_get_one_reminder_before_the_window_ends_and_one_when_it_is_overdue(
    zeeland, eager, django_capture_on_commit_callbacks
):
    # Given an award paid on 10 June (window ends 10 October) whose initiative has two owners
    owner, co_owner = make_user(), make_user()
    initiative, _portal = register(owner)
    with schema_context("zeeland"):
        initiative.ownerships.create(user=co_owner)
    application = award("zeeland", initiative, owner, decided_on=date(2026, 6, 1), paid_on=date(2026, 6, 10))
    mail.outbox.clear()
    # When the reminder task runs twice, 14 days before the end
    with schema_context("zeeland"), django_capture_on_commit_callbacks(execute=True):
        assert tasks.remind_accountability.apply(kwargs={"today": "2026-09-26"}).get() == 1
        assert tasks.remind_accountability.apply(kwargs={"today": "2026-09-26"}).get() == 0
        assert tasks.remind_accountability.apply(kwargs={"today": "2026-09-30"}).get() == 0
    # Then each owner got one mail, with the link to the accountability form on the portal that gave it
    (first,) = _to(owner.email)
    assert len(_to(co_owner.email)) == 1
    assert first.subject == f"Verantwoord uw Impuls: {initiative.name}"
    assert f"http://zeeland.localhost:8000/impuls/verantwoording/{application.pk}/" in first.body
    assert "10 oktober 2026" in first.body
    # When it runs after the window, twice
    mail.outbox.clear()
    with schema_context("zeeland"), django_capture_on_commit_callbacks(execute=True):
        assert tasks.remind_accountability.apply(kwargs={"today": "2026-10-11"}).get() == 1
        assert tasks.remind_accountability.apply(kwargs={"today": "2026-10-12"}).get() == 0
    # Then one "overdue" mail per owner, and the markers say what was sent
    (overdue,) = _to(owner.email)
    assert overdue.subject == f"Verantwoording te laat: {initiative.name}"
    with schema_context("zeeland"):
        assert sorted(Reminder.objects.filter(application=application).values_list("kind", flat=True)) == [
            "due_soon",
            "overdue",
        ]


def test_no_reminder_before_the_last_two_weeks_nor_for_an_unpaid_award(zeeland, eager):
    owner = make_user()
    paid, _ = register(owner)
    unpaid, _ = register(owner)
    award("zeeland", paid, owner, decided_on=date(2026, 6, 1), paid_on=date(2026, 6, 10))
    award("zeeland", unpaid, owner, decided_on=date(2026, 6, 1))
    with schema_context("zeeland"):
        assert tasks.remind_accountability.apply(kwargs={"today": "2026-09-25"}).get() == 0
        assert not Reminder.objects.exists()


def test_the_dispatcher_sends_one_task_per_live_portal_each_in_its_own_schema(
    zeeland, rotterdam, eager, django_capture_on_commit_callbacks
):
    # Given an overdue award in Zeeland and one in Rotterdam
    owner = make_user()
    here, _ = register(owner)
    there, _ = register(owner, ROTTERDAM)
    award("zeeland", here, owner, decided_on=date(2025, 1, 6), paid_on=date(2025, 1, 10))
    award("rotterdam", there, owner, decided_on=date(2025, 1, 6), paid_on=date(2025, 1, 10))
    mail.outbox.clear()
    # When beat's dispatcher runs (twice)
    with django_capture_on_commit_callbacks(execute=True):
        schemas = tasks.remind_accountability_everywhere.apply().get()
        tasks.remind_accountability_everywhere.apply().get()
    # Then both portals reminded their owner once, each in its own branding
    assert {"zeeland", "rotterdam"} <= set(schemas)
    subjects = sorted(m.subject for m in _to(owner.email))
    assert subjects == sorted([f"Verantwoording te laat: {here.name}", f"Verantwoording te laat: {there.name}"])
    # And beat runs it daily
    entry = next(e for e in app.conf.beat_schedule.values() if e["task"] == tasks.remind_accountability_everywhere.name)
    assert entry["schedule"].hour == {8}
