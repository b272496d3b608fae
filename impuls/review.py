"""The review of Impuls applications: who sees which, the decisions with their mail to the applicant, and what the
reviewers read of a frozen profile (docs/decisions/0027-impuls-review-payouts-and-funder-report.md).

Who sees what, in this portal's schema:

- whoever may run the portal's rounds (``impuls.change_round``: fund managers, portal admins) sees every
  application of the portal;
- a funder reviewer (role ``funder_reviewer``, with an ``impuls.FunderReviewer`` row naming their funders) sees
  only the applications of rounds in which one of their funders has a commitment, and decides only on those;
- nobody else sees any.

Every decision goes through ``impuls.services`` (the ledger and the audit trail) and is mailed to the applicant in
the portal's branding and the applicant's language, in the same transaction (the mail leaves when it commits).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.audit import record
from initiatives.services import language_of
from maex.mail import send_templated_mail
from roles.services import assign_role, remove_role

from . import services
from .models import Application, Commitment, Funder, FunderReviewer, LedgerEntry, Payout, Question, Round
from .selectors import held_by_commitment
from .workdays import add_working_days, local_date

SEE_ALL = "impuls.change_round"
VIEW = "impuls.view_application"
DECIDE = "impuls.decide_application"


# --- who sees what ------------------------------------------------------------------------------------------
def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def sees_every_round(user) -> bool:
    return _active(user) and (user.is_superuser or user.has_perm(SEE_ALL))


def reviewer_funder_ids(user) -> list[int]:
    """The funders ``user`` reviews for in this portal (none without a ``FunderReviewer`` row)."""
    if not _active(user):
        return []
    return list(Funder.objects.filter(reviewers__user=user).values_list("pk", flat=True))


def visible_rounds(user):
    """The rounds whose applications ``user`` may see in this portal."""
    if not _active(user) or not (user.is_superuser or user.has_perm(VIEW)):
        return Round.objects.none()
    if sees_every_round(user):
        return Round.objects.all()
    funded = Commitment.objects.filter(funder_id__in=reviewer_funder_ids(user)).values("round_id")
    return Round.objects.filter(pk__in=funded)


def visible_applications(user):
    return Application.objects.filter(round__in=visible_rounds(user))


def can_view(user) -> bool:
    return _active(user) and (user.is_superuser or user.has_perm(VIEW))


def can_decide(user, application: Application) -> bool:
    """Whether ``user`` may approve, reject or ask about ``application`` (checked on every action)."""
    if not _active(user) or not (user.is_superuser or user.has_perm(DECIDE)):
        return False
    return visible_applications(user).filter(pk=application.pk).exists()


def can_pay(user) -> bool:
    return _active(user) and (user.is_superuser or user.has_perm("impuls.pay_payout"))


def can_report(user) -> bool:
    """The funder report: fund managers (every funder) and funder reviewers (their own funders)."""
    return can_view(user)


def reportable_funder_ids(user) -> list[int] | None:
    """The funders whose report ``user`` may read: ``None`` for all of the portal's."""
    return None if sees_every_round(user) else reviewer_funder_ids(user)


# --- the frozen profile -----------------------------------------------------------------------------------------
def _find(frozen: dict, key: str):
    """``key`` at the top of a frozen profile, else in one of its nested parts (``fields``, ``valuation``...)."""
    if not isinstance(frozen, dict):
        return None
    if key in frozen:
        return frozen[key]
    for value in frozen.values():
        if isinstance(value, dict) and key in value:
            return value[key]
    return None


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@dataclass(frozen=True)
class ProfileFacts:
    """What the review and the funder report read of a frozen profile: the keys ``name``, ``municipality_name``
    (or ``municipality``), ``social_value`` and ``value_by_sdg`` (SDG number as text to euros), at the top of the
    frozen profile or in one of its parts. Anything missing reads as unknown."""

    name: str = ""
    municipality: str = ""
    social_value: Decimal | None = None
    value_by_sdg: dict[int, Decimal] = field(default_factory=dict)

    @classmethod
    def of(cls, frozen: dict) -> ProfileFacts:
        by_sdg = {}
        for sdg, amount in (_find(frozen, "value_by_sdg") or {}).items():
            value = _decimal(amount)
            if value and str(sdg).isdigit():
                by_sdg[int(sdg)] = value
        municipality = _find(frozen, "municipality_name") or _find(frozen, "municipality") or ""
        if isinstance(municipality, dict):  # impuls.selectors.freeze_profile: {"code": ..., "name": ...}
            municipality = municipality.get("name", "")
        return cls(
            name=str(_find(frozen, "name") or ""),
            municipality=str(municipality),
            social_value=_decimal(_find(frozen, "social_value")),
            value_by_sdg=dict(sorted(by_sdg.items())),
        )


def profile_rows(frozen: dict) -> list[tuple[str, str]]:
    """The frozen profile as label/value rows for the review page (nested parts flattened one level)."""
    rows = []
    for key, value in (frozen or {}).items():
        if isinstance(value, dict):
            rows += [(f"{key}.{k}", _text(v)) for k, v in value.items()]
        else:
            rows.append((key, _text(value)))
    return rows


def _text(value) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in value.items())
    return "" if value is None else str(value)


# --- reads for the review page ----------------------------------------------------------------------------------
def split_by_funder(application: Application) -> list[tuple[str, int]]:
    """What the application holds now (open) or was awarded (approved), per funder: [(funder name, cents)]."""
    if application.state == Application.State.APPROVED:
        rows = (
            LedgerEntry.objects.filter(application=application, kind=LedgerEntry.Kind.AWARD)
            .values_list("commitment__funder__name", "amount_cents")
            .order_by("commitment_id")
        )
        return list(rows)
    held = held_by_commitment(application)
    names = dict(Commitment.objects.filter(pk__in=held).values_list("pk", "funder__name"))
    return [(names[cid], cents) for cid, cents in held.items()]


def payout_due_on(round: Round, at: datetime):
    """The payout's due date of a decision at ``at``: its Dutch calendar date plus the round's payout term in
    working days (docs/decisions/0025)."""
    return add_working_days(local_date(at), round.payout_working_days)


# --- decisions (each mailed to the applicant) -------------------------------------------------------------------
def _applicant_page(portal, application: Application) -> str:
    """Where the applicant reads the decision and answers questions: their own application page, on the portal's
    canonical host."""
    path = reverse("impuls:application", kwargs={"slug": application.round.slug, "number": application.number})
    return portal.absolute_url(path)


def _mail(portal, application: Application, template: str, context: dict) -> None:
    applicant = application.applicant
    if applicant is None or not applicant.email:  # an erased account: nobody to write to
        return
    facts = ProfileFacts.of(application.frozen_profile)
    send_templated_mail(
        portal,
        f"mail/{template}",
        {
            "application": application,
            "round": application.round,
            "initiative_name": facts.name,
            "link": _applicant_page(portal, application),
            **context,
        },
        [applicant.email],
        language=language_of(applicant),
    )


def _split_lines(application: Application) -> list[str]:
    return [f"{name}: {services.euros(cents)}" for name, cents in split_by_funder(application)]


@transaction.atomic
def approve(application: Application, *, amount_cents: int, portal, by, at: datetime | None = None) -> Payout:
    """Approve for ``amount_cents`` (at most what was asked); the payout is due the round's payout term in working
    days after the decision's Dutch date. Mailed with the amount, the split per funder and the due date."""
    at = at or timezone.now()
    round = Round.objects.get(pk=application.round_id)
    payout = services.approve(application, amount_cents=amount_cents, due_on=payout_due_on(round, at), by=by, at=at)
    decided = payout.application
    _mail(
        portal,
        decided,
        "impuls_approved",
        {
            "amount": services.euros(amount_cents),
            "requested": services.euros(decided.requested_cents),
            "lower": amount_cents < decided.requested_cents,
            "split": _split_lines(decided),
            "due_on": payout.due_on,
        },
    )
    return payout


@transaction.atomic
def reject(
    application: Application, *, reason_code: str, reason_text: str = "", portal, by, at: datetime | None = None
) -> Application:
    """Reject with a reason from ``Application.Reason`` and free text; mailed with both."""
    decided = services.reject(application, reason_code=reason_code, reason_text=reason_text, by=by, at=at)
    _mail(
        portal,
        decided,
        "impuls_rejected",
        {"reason": decided.get_reason_code_display(), "reason_text": decided.reason_text},
    )
    return decided


@transaction.atomic
def ask(application: Application, *, text: str, portal, by, at: datetime | None = None) -> Question:
    """Ask the applicant a question (answered on their application page); mailed with the question."""
    question = services.ask_question(application, text=text, by=by, at=at)
    _mail(portal, question.application, "impuls_question", {"question": question.text})
    return question


# --- funder reviewers -------------------------------------------------------------------------------------------
@transaction.atomic
def link_reviewer(reviewer: FunderReviewer, funders, *, by=None) -> FunderReviewer:
    """Save ``reviewer`` (a person and the funders they review for) and give them the ``funder_reviewer`` role in
    this portal; logged."""
    reviewer.save()
    reviewer.funders.set(funders)
    assign_role(reviewer.user, "funder_reviewer", by=by)
    record(reviewer, "maex.impuls.reviewer", by=by, data={"user_id": reviewer.user_id, "funders": _ids(funders)})
    return reviewer


@transaction.atomic
def unlink_reviewer(reviewer: FunderReviewer, *, by=None) -> None:
    """Remove ``reviewer`` and their ``funder_reviewer`` role in this portal."""
    user = reviewer.user
    record(reviewer, "maex.impuls.reviewer_removed", by=by, data={"user_id": user.pk})
    reviewer.delete()
    remove_role(user, "funder_reviewer", by=by)


def _ids(funders) -> list[int]:
    return sorted(getattr(f, "pk", f) for f in funders)
