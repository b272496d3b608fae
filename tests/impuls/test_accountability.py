"""After an award (docs/decisions/0028-impuls-accountability-projection-reminders.md): the national projection of
awards written with the award, the spend window from payout, the accountability with its news item, the
platform-wide history that blocks new applications anywhere while an accountability is overdue."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from impuls import accountability, eligibility, services
from impuls.accountability import AccountabilityRefused
from impuls.models import Accountability, Application
from impuls.projection import project_application
from impuls.selectors import award_history
from impuls.services import WrongState
from impuls.workdays import local_date, spend_window_end
from initiatives.models import NewsItem
from national_index.models import ImpulsAward
from tests.impuls.award_builders import QUESTIONS, award
from tests.support import ROTTERDAM, make_user, register

TODAY = date(2026, 12, 3)


@pytest.fixture
def owner(zeeland):
    return make_user()


@pytest.fixture
def initiative(owner):
    initiative, _portal = register(owner)
    return initiative


def account(application, by, **overrides):
    values = {
        "answers": {QUESTIONS[0]["label"]: "Een training voor tien vrijwilligers."},
        "news_title": "Tien vrijwilligers getraind",
        "news_text": "Dankzij de Impuls volgden tien vrijwilligers een training.",
        **overrides,
    }
    with schema_context("zeeland"):
        return accountability.submit_accountability(application, by=by, **values)


def test_an_approval_projects_the_award_with_its_funders_in_the_same_transaction(zeeland, initiative, owner):
    # Given an approval that is rolled back with the transaction it ran in
    with pytest.raises(RuntimeError), transaction.atomic():
        award("zeeland", initiative, owner, amount=100_000, decided_on=date(2026, 11, 2))
        assert ImpulsAward.objects.filter(initiative_uuid=initiative.uuid).count() == 1
        raise RuntimeError("rolled back")
    # Then the national index holds no award of it either
    assert not ImpulsAward.objects.filter(initiative_uuid=initiative.uuid).exists()
    # When an approval commits (here: the test's transaction goes on)
    application = award("zeeland", initiative, owner, amount=100_000, decided_on=date(2026, 11, 2))
    # Then its national row says who gave what, when, and that it is not paid yet
    row = ImpulsAward.objects.get(initiative_uuid=initiative.uuid)
    assert (row.portal_id, row.application_id, row.round_slug) == (zeeland.pk, application.pk, application.round.slug)
    assert (row.amount_cents, row.kind, row.awarded_on) == (100_000, "geld", date(2026, 11, 2))
    assert (row.paid_on, row.accountability_due_on, row.accounted_on) == (None, None, None)
    parts = dict(row.parts.values_list("funder", "amount_cents"))
    assert sum(parts.values()) == 100_000 and len(parts) == 2  # pro rata: 750 and 250 euros


def test_a_payout_starts_the_spend_window_and_reprojecting_changes_nothing(zeeland, initiative, owner):
    # Given an award paid on 31 October, in a round with a spend window of four months
    application = award("zeeland", initiative, owner, decided_on=date(2026, 10, 20), paid_on=date(2026, 10, 31))
    # Then the accountability is due on the last day of February (31 October + 4 months)
    row = ImpulsAward.objects.get(initiative_uuid=initiative.uuid)
    assert (row.paid_on, row.accountability_due_on) == (date(2026, 10, 31), date(2027, 2, 28))
    with schema_context("zeeland"):
        assert accountability.spend_window(application).ends_on == date(2027, 2, 28)
        # And projecting again (idempotent, by portal and application) keeps one row with the same parts
        project_application(application.pk)
        project_application(application.pk)
    assert ImpulsAward.objects.filter(initiative_uuid=initiative.uuid).count() == 1
    assert ImpulsAward.objects.get(initiative_uuid=initiative.uuid).parts.count() == 2


def test_the_spend_window_counts_calendar_days_across_a_change_of_summer_time():
    # Paid the Friday before the clocks go forward (29 March 2026): four months later is the same date
    assert spend_window_end(date(2026, 3, 27), 4) == date(2026, 7, 27)
    # Paid in June, due on 25 October 2026, the night the clocks go back
    assert spend_window_end(date(2026, 6, 25), 4) == date(2026, 10, 25)
    window = accountability.Window(date(2026, 6, 25), date(2026, 10, 25))
    # At 23:30 Dutch winter time on 25 October (22:30 UTC) it is still due today, on time
    late_evening = datetime(2026, 10, 25, 22, 30, tzinfo=UTC)
    assert local_date(late_evening) == date(2026, 10, 25)
    assert accountability.reminder_kind(window, local_date(late_evening)) == "due_soon"
    # An hour later (00:30 on 26 October in the Netherlands, still the 25th in UTC) it is overdue
    after_midnight = datetime(2026, 10, 25, 23, 30, tzinfo=UTC)
    assert local_date(after_midnight) == date(2026, 10, 26)
    assert accountability.reminder_kind(window, local_date(after_midnight)) == "overdue"


def test_an_owner_accounts_with_answers_and_a_news_item_on_the_initiative_s_page(
    zeeland, initiative, owner, client_for
):
    # Given a paid award
    application = award("zeeland", initiative, owner, decided_on=date(2026, 9, 1), paid_on=date(2026, 9, 10))
    # When an owner accounts for it
    done = account(application, owner)
    # Then the answers are kept in the portal, the news item is on the initiative, the projection says accounted
    assert done.answers[QUESTIONS[0]["label"]] == "Een training voor tien vrijwilligers."
    assert done.submitted_by == owner
    with schema_context("zeeland"):
        item = NewsItem.objects.get(uuid=done.news_uuid)
        assert item.initiative.uuid == initiative.uuid and item.title == "Tien vrijwilligers getraind"
    row = ImpulsAward.objects.get(initiative_uuid=initiative.uuid)
    assert row.accounted_on == timezone.localdate()
    assert row.news_url.endswith(f"/initiatieven/{initiative.slug}/#nieuws")
    # And the initiative's public page shows the news and the Impuls received, with its funders
    page = client_for(zeeland).get(f"/initiatieven/{initiative.slug}/")
    html = page.content.decode()
    assert "Tien vrijwilligers getraind" in html and "Impuls ontvangen" in html
    assert application.round.title in html and "verantwoord op" in html
    for funder in row.parts.values_list("funder", flat=True):
        assert funder in html
    # And a second accountability is refused
    with pytest.raises(WrongState):
        account(application, owner)


@pytest.mark.parametrize(
    ("who", "overrides", "message"),
    [
        ("stranger", {}, "Alleen een eigenaar"),
        ("owner", {"answers": {}}, "Beantwoord de vraag"),
        ("owner", {"news_title": "  "}, "titel en een tekst"),
    ],
)
def test_an_accountability_is_refused_with_a_clear_message_and_writes_nothing(
    zeeland, initiative, owner, who, overrides, message
):
    application = award("zeeland", initiative, owner, decided_on=date(2026, 9, 1), paid_on=date(2026, 9, 10))
    by = owner if who == "owner" else make_user()
    with pytest.raises(AccountabilityRefused) as refused:
        account(application, by, **overrides)
    assert message in refused.value.message
    with schema_context("zeeland"):
        assert not Accountability.objects.exists() and not NewsItem.objects.exists()


def test_an_award_not_paid_yet_cannot_be_accounted_for(zeeland, initiative, owner):
    application = award("zeeland", initiative, owner, decided_on=date(2026, 9, 1))
    with pytest.raises(WrongState) as refused:
        account(application, owner)
    assert "nog niet uitbetaald" in refused.value.message


def test_an_overdue_accountability_on_one_portal_blocks_applications_on_every_portal(
    zeeland, rotterdam, initiative, owner
):
    # Given an Impuls from Zeeland, paid in June and due on 10 October, never accounted for
    award("zeeland", initiative, owner, decided_on=date(2026, 6, 1), paid_on=date(2026, 6, 10))
    # When Rotterdam's (or the national portal's) round reads the initiative's history
    with schema_context("rotterdam"):
        history = award_history(initiative.uuid)
    # Then it holds Zeeland's award, overdue, and the checklist refuses on the accountability line
    assert [(a.fund, a.accountability_due_on, a.accounted_on) for a in history] == [
        ("zeeland", date(2026, 10, 10), None)
    ]
    criteria = eligibility.RoundCriteria(fund="rotterdam")
    profile = eligibility.ProfileSnapshot(
        municipality_code=ROTTERDAM,
        phase="doorgroei",
        handprint_sdgs=frozenset({11}),
        declared_sdgs=frozenset({11}),
        need_kinds=frozenset({"geld"}),
        legal_form="stichting",
        has_kvk_number=True,
    )
    result = eligibility.check(profile, history, criteria, TODAY)
    (failed,) = [c for c in result.checks if c.key == "accountability"]
    assert not failed.passed and "Impuls-ronde" in failed.reason
    # And once accounted for (late, on its own portal), the line passes everywhere
    with schema_context("zeeland"):
        application = Application.objects.get(initiative_uuid=initiative.uuid)
    account(application, owner)
    with schema_context("rotterdam"):
        history = award_history(initiative.uuid)
    (line,) = [c for c in eligibility.check(profile, history, criteria, TODAY).checks if c.key == "accountability"]
    assert line.passed


def test_a_payout_and_an_accountability_rolled_back_leave_the_national_row_as_it_was(zeeland, initiative, owner):
    application = award("zeeland", initiative, owner, decided_on=date(2026, 9, 1))
    # Given a payout that is rolled back with its transaction
    with pytest.raises(RuntimeError), transaction.atomic(), schema_context("zeeland"):
        services.mark_paid(application.payout, paid_on=date(2026, 9, 10))
        assert ImpulsAward.objects.get(initiative_uuid=initiative.uuid).paid_on == date(2026, 9, 10)
        raise RuntimeError("rolled back")
    assert ImpulsAward.objects.get(initiative_uuid=initiative.uuid).paid_on is None
    # Given a paid award whose accountability is rolled back
    with schema_context("zeeland"):
        services.mark_paid(application.payout, paid_on=date(2026, 9, 10))
    with pytest.raises(RuntimeError), transaction.atomic():
        account(application, owner)
        raise RuntimeError("rolled back")
    # Then neither the accountability, nor the news item, nor the national "accounted on" remain
    assert ImpulsAward.objects.get(initiative_uuid=initiative.uuid).accounted_on is None
    with schema_context("zeeland"):
        assert not Accountability.objects.exists() and not NewsItem.objects.exists()
