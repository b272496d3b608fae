"""The Impuls money movements (impuls/services.py) on real PostgreSQL: reservations, releases, awards, payouts, the
ledger that explains them, and the database's own refusals."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import ModelLogEntry

from impuls import services
from impuls.models import Application, Commitment, LedgerEntry, Payout, Round
from impuls.selectors import held_by_commitment, reconcile, round_budget
from tests.impuls.builders import TEXTS, commitment_ids, make_round
from tests.support import make_user, register

DUE = date(2026, 12, 17)


@pytest.fixture
def owner(zeeland):
    return make_user()


@pytest.fixture
def initiative(owner):
    initiative, _portal = register(owner)
    return initiative


def submit(round, initiative, owner, amount, ids=None, **extra):
    return services.submit_application(
        round,
        initiative,
        owner,
        amount,
        **TEXTS,
        frozen_profile={"name": initiative.name},
        eligible_commitment_ids=commitment_ids(round) if ids is None else ids,
        **extra,
    )


def balances(round):
    return list(round.commitments.order_by("id").values_list("reserved_cents", "awarded_cents", "paid_cents"))


def test_a_submission_reserves_its_split_at_once(initiative, owner):
    with schema_context("zeeland"):
        # Given a round with 3,000 and 1,000 euros from two funders
        round = make_round(300_000, 100_000)
        # When an initiative asks 1,000 euros
        application = submit(round, initiative, owner, 100_000)
        # Then 750 and 250 euros are reserved, in the ledger and in the balances, and the budget shows it
        assert application.state == Application.State.SUBMITTED and application.number == 1
        assert balances(round) == [(75_000, 0, 0), (25_000, 0, 0)]
        assert list(LedgerEntry.objects.filter(application=application).values_list("kind", "amount_cents")) == [
            ("reserve", 75_000),
            ("reserve", 25_000),
        ]
        budget = round_budget(round)
        assert (budget.budget_cents, budget.reserved_cents, budget.left_cents) == (400_000, 100_000, 300_000)
        assert reconcile(round) == []
        # And the submission is in the portal's audit log
        assert ModelLogEntry.objects.filter(action="maex.impuls.submit", object_id=str(application.pk)).exists()


def test_only_the_eligible_commitments_pay(initiative, owner):
    with schema_context("zeeland"):
        round = make_round(300_000, 100_000)
        second = commitment_ids(round)[1]
        submit(round, initiative, owner, 60_000, ids=[second])
        assert balances(round) == [(0, 0, 0), (60_000, 0, 0)]


@pytest.mark.parametrize(
    ("setting", "amount", "refusal", "message"),
    [
        (
            {"opens_at": timezone.now() + timedelta(days=1)},
            100_000,
            services.RoundClosed,
            "Deze ronde is nog niet open",
        ),
        ({}, 40_000, services.AmountOutOfRange, "Vraag een bedrag van € 500 tot en met € 2.500"),
        ({}, 250_001, services.AmountOutOfRange, "Vraag een bedrag"),
        ({"ids": []}, 100_000, services.NotEligible, "Geen van de financiers"),
        ({"budget": 90_000}, 100_000, services.RoundFull, "niet genoeg budget"),
        ({"caps": [60_000]}, 100_000, services.RoundFull, "niet genoeg budget"),
        ({"texts": {"strengthens": "woord " * 151}}, 100_000, services.TooManyWords, "151 woorden"),
    ],
    ids=["closed", "too-little", "too-much", "not-eligible", "budget", "cap", "words"],
)
def test_a_refused_submission_says_why_and_writes_nothing(initiative, owner, setting, amount, refusal, message):
    with schema_context("zeeland"):
        window = {k: setting[k] for k in ("opens_at",) if k in setting}
        if window:
            window["closes_at"] = window["opens_at"] + timedelta(days=7)
        round = make_round(setting.get("budget", 500_000), caps=setting.get("caps"), **window)
        before = (Application.objects.count(), LedgerEntry.objects.count(), balances(round))
        with pytest.raises(refusal) as refused:
            services.submit_application(
                round,
                initiative,
                owner,
                amount,
                **{**TEXTS, **setting.get("texts", {})},
                frozen_profile={},
                eligible_commitment_ids=setting.get("ids", commitment_ids(round)),
            )
        assert message in refused.value.message
        assert (Application.objects.count(), LedgerEntry.objects.count(), balances(round)) == before


def test_a_second_application_of_the_same_initiative_is_refused_until_the_first_is_withdrawn(initiative, owner):
    with schema_context("zeeland"):
        round = make_round(500_000)
        first = submit(round, initiative, owner, 100_000)
        with pytest.raises(services.DuplicateApplication, match="al een aanvraag"):
            submit(round, initiative, owner, 50_000)
        # When the first is withdrawn, its reservation is released and it may apply again
        services.withdraw(first, by=owner)
        assert balances(round) == [(0, 0, 0)]
        second = submit(round, initiative, owner, 50_000)
        assert second.number == 2 and balances(round) == [(50_000, 0, 0)]
        assert reconcile(round) == []


def test_the_maximum_number_of_applications_fills_the_round(owner):
    with schema_context("zeeland"):
        round = make_round(1_000_000, max_applications=2)
    first, _p = register(owner)
    second, _p = register(owner)
    third, _p = register(owner)
    with schema_context("zeeland"):
        submit(round, first, owner, 50_000)
        submit(round, second, owner, 50_000)
        with pytest.raises(services.RoundFull, match="maximum van 2 aanvragen"):
            submit(round, third, owner, 50_000)


def test_rejection_releases_the_reservation(initiative, owner):
    reviewer = make_user()
    with schema_context("zeeland"):
        round = make_round(300_000, 100_000)
        application = submit(round, initiative, owner, 100_000)
        with pytest.raises(services.ImpulsRefused, match="Kies een reden"):
            services.reject(application, reason_code="zomaar", by=reviewer)
        services.reject(application, reason_code="versterking", reason_text="Dit is een project.", by=reviewer)
        application.refresh_from_db()
        assert (application.state, application.reason_code, application.decided_by) == (
            "rejected",
            "versterking",
            reviewer,
        )
        assert balances(round) == [(0, 0, 0), (0, 0, 0)]
        assert held_by_commitment(application) == {}
        assert reconcile(round) == []
        with pytest.raises(services.WrongState):
            services.withdraw(application, by=owner)


def test_approval_of_a_lower_amount_awards_its_split_releases_the_rest_and_creates_the_payout(initiative, owner):
    reviewer = make_user()
    with schema_context("zeeland"):
        # Given a reservation of 750 + 250 euros
        round = make_round(300_000, 100_000)
        application = submit(round, initiative, owner, 100_000)
        with pytest.raises(services.AmountOutOfRange, match="ten hoogste het gevraagde € 1.000"):
            services.approve(application, amount_cents=100_001, due_on=DUE, by=reviewer)
        # When 801 euros are approved
        payout = services.approve(application, amount_cents=80_100, due_on=DUE, by=reviewer)
        # Then 601 and 200 euros are awarded, the rest released, and a payout of 801 euros is due
        assert balances(round) == [(0, 60_100, 0), (0, 20_000, 0)]
        application.refresh_from_db()
        assert (application.state, application.awarded_cents) == ("approved", 80_100)
        assert (payout.amount_cents, payout.due_on, payout.paid_on) == (80_100, DUE, None)
        assert round_budget(round).left_cents == 400_000 - 80_100
        # And it cannot be decided again
        with pytest.raises(services.WrongState, match="al beslist"):
            services.approve(application, amount_cents=80_100, due_on=DUE, by=reviewer)
        # When it is paid, the payout is booked per commitment, once
        services.mark_paid(payout, paid_on=date(2026, 12, 10), by=reviewer)
        assert balances(round) == [(0, 60_100, 60_100), (0, 20_000, 20_000)]
        with pytest.raises(services.WrongState, match="al betaald"):
            services.mark_paid(payout, paid_on=date(2026, 12, 11), by=reviewer)
        assert reconcile(round) == []
        assert Payout.objects.get(pk=payout.pk).paid_on == date(2026, 12, 10)


def test_a_question_keeps_the_reservation_until_it_is_answered(initiative, owner):
    reviewer = make_user()
    with schema_context("zeeland"):
        round = make_round(500_000)
        application = submit(round, initiative, owner, 100_000)
        question = services.ask_question(application, text="Wie geeft de training?", by=reviewer)
        application.refresh_from_db()
        assert application.state == "question" and balances(round) == [(100_000, 0, 0)]
        services.answer_question(question, answer="Een trainer van de bibliotheek.", by=owner)
        application.refresh_from_db()
        assert application.state == "submitted"


def test_the_ledger_never_changes(initiative, owner):
    with schema_context("zeeland"):
        round = make_round(500_000)
        application = submit(round, initiative, owner, 100_000)
        entry = LedgerEntry.objects.get(application=application)
        # When anyone updates or deletes a ledger row, even past the ORM
        for sql in (
            "UPDATE impuls_ledgerentry SET amount_cents = 1 WHERE id = %s",
            "DELETE FROM impuls_ledgerentry WHERE id = %s",
        ):
            # Then PostgreSQL refuses it
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(sql, [entry.pk])
        assert LedgerEntry.objects.get(pk=entry.pk).amount_cents == 100_000


def test_the_database_refuses_a_commitment_over_its_amount(initiative, owner):
    with schema_context("zeeland"):
        round = make_round(100_000)
        submit(round, initiative, owner, 60_000)
        commitment = round.commitments.get()
        # When a write past the services pushes the reservations and awards over the amount
        with pytest.raises(IntegrityError, match="impuls_commitment_never_exceeded"), transaction.atomic():
            Commitment.objects.filter(pk=commitment.pk).update(awarded_cents=50_000)
        with pytest.raises(IntegrityError, match="impuls_commitment_never_exceeded"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("UPDATE impuls_commitment SET reserved_cents = -1 WHERE id = %s", [commitment.pk])
        # Then nothing changed, and the ledger still explains the balance
        assert reconcile(round) == []


def test_reconciliation_finds_a_balance_the_ledger_does_not_explain(initiative, owner):
    with schema_context("zeeland"):
        round = make_round(500_000)
        submit(round, initiative, owner, 100_000)
        commitment = round.commitments.get()
        Commitment.objects.filter(pk=commitment.pk).update(reserved_cents=90_000)
        assert reconcile(round) == [f"commitment {commitment.pk}: reserved_cents is 90000, the ledger says 100000"]


def test_a_round_not_yet_open_says_so_and_when_it_opens(initiative, owner):
    with schema_context("zeeland"):
        # Given a round that opens tomorrow
        tomorrow = timezone.now() + timedelta(days=1)
        round = make_round(300_000, opens_at=tomorrow, closes_at=tomorrow + timedelta(days=7))
        # When someone applies today
        with pytest.raises(services.RoundClosed) as refused:
            submit(round, initiative, owner, 100_000)
        # Then they are told it is not open yet (not that it closed), and nothing was written
        assert "nog niet open" in refused.value.message
        assert not Application.objects.filter(round=round).exists()


def test_an_amount_outside_the_range_of_a_round_in_kind_is_told_in_its_unit(initiative, owner):
    with schema_context("zeeland"):
        # Given a round that gives 2 to 12 hours of an expert
        round = make_round(5_000, min_cents=200, max_cents=1_200, kind=Round.Kind.IN_KIND, unit="uren deskundige")
        # When an initiative asks 20 hours
        with pytest.raises(services.AmountOutOfRange) as refused:
            submit(round, initiative, owner, 2_000)
        # Then the range is told in hours, not in euros
        assert refused.value.message == "Vraag 2 uren deskundige tot en met 12 uren deskundige."
