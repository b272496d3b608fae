"""Every money movement of MAEX Impuls, in one module (docs/decisions/0024-impuls-ledger-and-split.md).

Each movement writes ``LedgerEntry`` rows and moves the commitments' balance columns in the same transaction,
after locking the round and then its commitments (``SELECT ... FOR UPDATE``, ordered by id, so two movements never
wait on each other crosswise), and then the application. First come, first served: a submission reserves its
split at once, under the round's lock, so the budget, the cap on applications and the duplicate check are all
decided on what committed before it. The CHECK constraints on ``Commitment`` are the last word: a write that
would exceed a commitment fails in the database, whatever the Python above it believed.

Plain arguments, never a request. A refusal raises an ``ImpulsRefused`` with a Dutch message (the active
language's) and writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import record

from .models import Application, Commitment, LedgerEntry, Payout, Question, Round
from .projection import project_application
from .selectors import held_by_commitment
from .split import NotEnough, Pot, split

WORD_LIMIT = 150
Kind = LedgerEntry.Kind
# What a ledger entry of each kind does to the balance columns of its commitment.
EFFECTS = {
    Kind.RESERVE: {"reserved_cents": 1},
    Kind.RELEASE: {"reserved_cents": -1},
    Kind.AWARD: {"reserved_cents": -1, "awarded_cents": 1},
    Kind.PAYOUT: {"paid_cents": 1},
}


class ImpulsRefused(Exception):
    """A movement that may not happen; ``message`` says why, in Dutch (or the active language)."""

    code = "refused"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class RoundClosed(ImpulsRefused):
    code = "closed"


class RoundFull(ImpulsRefused):
    code = "full"


class AmountOutOfRange(ImpulsRefused):
    code = "amount"


class DuplicateApplication(ImpulsRefused):
    code = "duplicate"


class NotEligible(ImpulsRefused):
    code = "not_eligible"


class TooManyWords(ImpulsRefused):
    code = "words"


class WrongState(ImpulsRefused):
    code = "state"


def euros(cents: int) -> str:
    """``123456`` as "€ 1.234,56" (whole euros without cents), for messages."""
    whole, rest = divmod(cents, 100)
    text = f"{whole:,}".replace(",", ".")
    return f"€ {text}" + (f",{rest:02d}" if rest else "")


def amount(round: Round, cents: int) -> str:
    """An amount of ``round`` for messages: euros, or for a round in kind hundredths of its unit ("12 uren
    deskundige", "2,5 uren deskundige")."""
    if round.kind != Round.Kind.IN_KIND:
        return euros(cents)
    whole, rest = divmod(cents, 100)
    number = f"{whole:,}".replace(",", ".") + (f",{rest:02d}".rstrip("0") if rest else "")
    return f"{number} {round.unit}".strip()


def word_count(text: str) -> int:
    return len(text.split())


def _lock_round(round_id: int) -> tuple[Round, list[Commitment]]:
    """Lock the round, then its commitments in id order: the one lock order of every movement."""
    locked = Round.objects.select_for_update().get(pk=round_id)
    commitments = list(Commitment.objects.select_for_update().filter(round_id=round_id).order_by("id"))
    return locked, commitments


def _lock_application(application: Application) -> tuple[Round, list[Commitment], Application]:
    locked_round, commitments = _lock_round(application.round_id)
    locked = Application.objects.select_for_update().get(pk=application.pk)
    return locked_round, commitments, locked


def _move(kind: str, application: Application, parts: dict[int, int], *, by, at: datetime) -> None:
    """Book ``parts`` (commitment id -> cents) as ``kind`` and move the balances with them, in this transaction."""
    parts = {cid: cents for cid, cents in sorted(parts.items()) if cents}
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                round_id=application.round_id,
                commitment_id=cid,
                application=application,
                kind=kind,
                amount_cents=cents,
                at=at,
                by_user_id=getattr(by, "pk", None),
            )
            for cid, cents in parts.items()
        ]
    )
    for cid, cents in parts.items():
        Commitment.objects.filter(pk=cid).update(
            **{column: F(column) + sign * cents for column, sign in EFFECTS[kind].items()}
        )


def _check_words(**texts: str) -> None:
    for label, text in texts.items():
        if word_count(text) > WORD_LIMIT:
            raise TooManyWords(
                _("%(field)s telt %(count)d woorden; het maximum is %(limit)d.")
                % {"field": label, "count": word_count(text), "limit": WORD_LIMIT}
            )


@transaction.atomic
def submit_application(
    round: Round,
    initiative,
    applicant,
    amount_cents: int,
    *,
    strengthens: str,
    cost_estimate: str,
    frozen_profile: dict,
    eligible_commitment_ids: Iterable[int],
    coverage_plan: str = "",
    answers: dict | None = None,
    eligibility: list | None = None,
    iban: str = "",
    account_holder: str = "",
    at: datetime | None = None,
) -> Application:
    """Submit ``initiative``'s application and reserve its amount at once, split over the eligible commitments
    (``impuls.split``). ``eligible_commitment_ids``: the round's commitments whose own criteria the initiative
    meets (``impuls.eligibility`` decides). Refused (nothing written): round closed, amount outside the round's
    range, a second open application of the initiative in this round, no eligible commitment, too many words,
    the round full (no budget left in the eligible commitments, or its maximum number of applications reached)."""
    at = at or timezone.now()
    _check_words(**{_("Wat het versterkt"): strengthens, _("Kostenraming"): cost_estimate})
    locked, commitments = _lock_round(round.pk)
    if at < locked.opens_at:
        raise RoundClosed(
            _("Deze ronde is nog niet open: aanvragen kan van %(opens)s tot %(closes)s.") % _window(locked)
        )
    if not locked.is_open(at):
        raise RoundClosed(_("Deze ronde is gesloten: aanvragen kan van %(opens)s tot %(closes)s.") % _window(locked))
    if not locked.min_cents <= amount_cents <= locked.max_cents:
        limits = {"min": amount(locked, locked.min_cents), "max": amount(locked, locked.max_cents)}
        if locked.kind == Round.Kind.IN_KIND:
            raise AmountOutOfRange(_("Vraag %(min)s tot en met %(max)s.") % limits)
        raise AmountOutOfRange(_("Vraag een bedrag van %(min)s tot en met %(max)s.") % limits)
    active = Application.objects.filter(round=locked).exclude(state=Application.State.WITHDRAWN)
    if active.filter(initiative_uuid=initiative.uuid).exists():
        raise DuplicateApplication(_("Dit initiatief heeft al een aanvraag in deze ronde."))
    wanted = set(eligible_commitment_ids)
    eligible = [c for c in commitments if c.pk in wanted]
    if not eligible:
        raise NotEligible(_("Geen van de financiers van deze ronde kan deze aanvraag betalen."))
    if locked.max_applications is not None and active.count() >= locked.max_applications:
        raise RoundFull(
            _("Deze ronde is vol: het maximum van %(count)d aanvragen is bereikt.") % {"count": locked.max_applications}
        )
    try:
        parts = split(amount_cents, [Pot(c.pk, c.left_cents, c.max_per_award_cents) for c in eligible])
    except NotEnough:
        raise RoundFull(_("Deze ronde is vol: er is niet genoeg budget meer voor dit bedrag.")) from None
    number = (Application.objects.filter(round=locked).aggregate(n=Max("number"))["n"] or 0) + 1
    try:
        with transaction.atomic():
            application = Application.objects.create(
                round=locked,
                number=number,
                initiative_uuid=initiative.uuid,
                applicant=applicant,
                requested_cents=amount_cents,
                strengthens=strengthens,
                cost_estimate=cost_estimate,
                coverage_plan=coverage_plan,
                answers=answers or {},
                frozen_profile=frozen_profile,
                eligibility=eligibility or [],
                iban=iban,
                account_holder=account_holder,
                submitted_at=at,
            )
    except IntegrityError as exc:  # only after a write outside this module's lock order; the index decides
        if "impuls_application_one_per_round" not in str(exc):
            raise
        raise DuplicateApplication(_("Dit initiatief heeft al een aanvraag in deze ronde.")) from None
    _move(Kind.RESERVE, application, parts, by=applicant, at=at)
    record(
        application,
        "maex.impuls.submit",
        by=applicant,
        data={"round": locked.slug, "number": number, "requested_cents": amount_cents, "split": _keys(parts)},
    )
    return application


def _window(round: Round) -> dict:
    local = timezone.localtime
    return {
        "opens": local(round.opens_at).strftime("%d-%m-%Y %H:%M"),
        "closes": local(round.closes_at).strftime("%d-%m-%Y %H:%M"),
    }


def _keys(parts: dict[int, int]) -> dict[str, int]:
    return {str(cid): cents for cid, cents in parts.items()}


def _require_open(application: Application) -> None:
    if not application.is_open:
        raise WrongState(
            _("Over deze aanvraag is al beslist (%(state)s).") % {"state": application.get_state_display()}
        )


def _release_all(application: Application, *, by, at: datetime) -> dict[int, int]:
    held = held_by_commitment(application)
    _move(Kind.RELEASE, application, held, by=by, at=at)
    return held


@transaction.atomic
def withdraw(application: Application, *, by=None, at: datetime | None = None) -> Application:
    """The applicant withdraws an open application: its reservation is released."""
    at = at or timezone.now()
    _round, _commitments, locked = _lock_application(application)
    _require_open(locked)
    released = _release_all(locked, by=by, at=at)
    locked.state = Application.State.WITHDRAWN
    locked.save(update_fields=["state"])
    record(locked, "maex.impuls.withdraw", by=by, data={"released": _keys(released)})
    return locked


@transaction.atomic
def reject(
    application: Application, *, reason_code: str, reason_text: str = "", by=None, at: datetime | None = None
) -> Application:
    """A reviewer rejects an open application with a reason from the list (``Application.Reason``) and free
    text: its reservation is released."""
    if reason_code not in Application.Reason.values:
        raise ImpulsRefused(_("Kies een reden uit de lijst."))
    at = at or timezone.now()
    _round, _commitments, locked = _lock_application(application)
    _require_open(locked)
    released = _release_all(locked, by=by, at=at)
    locked.state = Application.State.REJECTED
    locked.reason_code, locked.reason_text = reason_code, reason_text
    locked.decided_at, locked.decided_by = at, by
    locked.save(update_fields=["state", "reason_code", "reason_text", "decided_at", "decided_by"])
    record(locked, "maex.impuls.reject", by=by, data={"reason": reason_code, "released": _keys(released)})
    return locked


@transaction.atomic
def approve(
    application: Application, *, amount_cents: int, due_on: date, by=None, at: datetime | None = None
) -> Payout:
    """A reviewer approves an open application for ``amount_cents`` (at most what was asked): the award is split
    over the commitments that hold its reservation (``impuls.split``, pro rata to what each holds), the rest of the
    reservation is released, and a payout due on ``due_on`` is created (the caller computes the date: the
    decision plus the round's ``payout_working_days``)."""
    at = at or timezone.now()
    _round, _commitments, locked = _lock_application(application)
    _require_open(locked)
    if not 0 < amount_cents <= locked.requested_cents:
        raise AmountOutOfRange(
            _("Ken een bedrag toe van meer dan € 0 en ten hoogste het gevraagde %(requested)s.")
            % {"requested": euros(locked.requested_cents)}
        )
    held = held_by_commitment(locked)
    awarded = split(amount_cents, [Pot(cid, cents) for cid, cents in held.items()])
    _move(Kind.AWARD, locked, awarded, by=by, at=at)
    _move(Kind.RELEASE, locked, {cid: held[cid] - awarded.get(cid, 0) for cid in held}, by=by, at=at)
    locked.state = Application.State.APPROVED
    locked.awarded_cents = amount_cents
    locked.decided_at, locked.decided_by = at, by
    locked.save(update_fields=["state", "awarded_cents", "decided_at", "decided_by"])
    payout = Payout.objects.create(application=locked, amount_cents=amount_cents, due_on=due_on)
    record(
        locked,
        "maex.impuls.approve",
        by=by,
        data={"awarded_cents": amount_cents, "split": _keys(awarded), "due_on": due_on.isoformat()},
    )
    project_application(locked.pk)  # the national award row, in this transaction (docs/decisions/0028)
    return payout


@transaction.atomic
def mark_paid(payout: Payout, *, paid_on: date, by=None, at: datetime | None = None) -> Payout:
    """The treasurer marks a payout paid: one payout entry per commitment that awarded it."""
    at = at or timezone.now()
    _round, _commitments, application = _lock_application(payout.application)
    locked = Payout.objects.select_for_update().get(pk=payout.pk)
    if locked.paid_on is not None:
        raise WrongState(
            _("Deze uitbetaling is al betaald op %(date)s.") % {"date": locked.paid_on.strftime("%d-%m-%Y")}
        )
    awarded = {
        cid: cents
        for cid, cents in LedgerEntry.objects.filter(application=application, kind=Kind.AWARD).values_list(
            "commitment_id", "amount_cents"
        )
    }
    _move(Kind.PAYOUT, application, awarded, by=by, at=at)
    locked.paid_on = paid_on
    locked.save(update_fields=["paid_on"])
    record(application, "maex.impuls.paid", by=by, data={"paid_on": paid_on.isoformat()})
    project_application(application.pk)  # paid on, and the spend window's end (docs/decisions/0028)
    return locked


@transaction.atomic
def ask_question(application: Application, *, text: str, by=None, at: datetime | None = None) -> Question:
    """A reviewer asks the applicant a question; the application waits for the answer (its reservation stays)."""
    at = at or timezone.now()
    _round, _commitments, locked = _lock_application(application)
    _require_open(locked)
    question = Question.objects.create(application=locked, asked_by=by, text=text, asked_at=at)
    locked.state = Application.State.QUESTION
    locked.save(update_fields=["state"])
    record(locked, "maex.impuls.question", by=by)
    return question


@transaction.atomic
def answer_question(question: Question, *, answer: str, by=None, at: datetime | None = None) -> Question:
    at = at or timezone.now()
    _round, _commitments, locked = _lock_application(question.application)
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.answered_at is not None or locked.state != Application.State.QUESTION:
        raise WrongState(_("Deze vraag is al beantwoord."))
    question.answer, question.answered_at = answer, at
    question.save(update_fields=["answer", "answered_at"])
    if not locked.questions.filter(answered_at__isnull=True).exists():
        locked.state = Application.State.SUBMITTED
        locked.save(update_fields=["state"])
    record(locked, "maex.impuls.answer", by=by)
    return question
