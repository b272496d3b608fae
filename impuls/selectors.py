"""Reads of MAEX Impuls: a round's budget, what an application holds, and the reconciliation of the ledger with the
balance columns (docs/decisions/0024-impuls-ledger-and-split.md)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce

from national_index.selectors import awards_of_initiative

from .eligibility import Award
from .models import Commitment, LedgerEntry

Kind = LedgerEntry.Kind


@dataclass(frozen=True)
class Budget:
    budget_cents: int
    reserved_cents: int
    awarded_cents: int
    paid_cents: int

    @property
    def left_cents(self) -> int:
        return self.budget_cents - self.reserved_cents - self.awarded_cents


def round_budget(round) -> Budget:
    """The round's budget (the sum of its commitments) and what is reserved, awarded, paid and left; one query."""
    totals = Commitment.objects.filter(round=round).aggregate(
        budget=Coalesce(Sum("amount_cents"), 0),
        reserved=Coalesce(Sum("reserved_cents"), 0),
        awarded=Coalesce(Sum("awarded_cents"), 0),
        paid=Coalesce(Sum("paid_cents"), 0),
    )
    return Budget(totals["budget"], totals["reserved"], totals["awarded"], totals["paid"])


def _signed(kind_signs: dict[str, int]):
    return sum(
        (Coalesce(Sum("amount_cents", filter=Q(kind=kind)), 0) * sign for kind, sign in kind_signs.items()),
        start=0,
    )


def held_by_commitment(application) -> dict[int, int]:
    """What the application's reservation holds now, per commitment id (reserved minus released and awarded)."""
    rows = (
        LedgerEntry.objects.filter(application=application)
        .values("commitment_id")
        .annotate(held=_signed({Kind.RESERVE: 1, Kind.RELEASE: -1, Kind.AWARD: -1}))
        .order_by("commitment_id")
    )
    return {row["commitment_id"]: row["held"] for row in rows if row["held"]}


def ledger_balances(commitments=None) -> dict[int, dict[str, int]]:
    """The balance columns as the ledger says they should be, per commitment id."""
    entries = LedgerEntry.objects.all()
    if commitments is not None:
        entries = entries.filter(commitment__in=commitments)
    rows = (
        entries.values("commitment_id")
        .annotate(
            reserved_cents=_signed({Kind.RESERVE: 1, Kind.RELEASE: -1, Kind.AWARD: -1}),
            awarded_cents=_signed({Kind.AWARD: 1}),
            paid_cents=_signed({Kind.PAYOUT: 1}),
        )
        .order_by("commitment_id")
    )
    return {row.pop("commitment_id"): row for row in rows}


def reconcile(round=None) -> list[str]:
    """Every difference between a commitment's balance columns and the sums of its ledger entries (empty: they
    agree). Of one round, or of every round of this portal."""
    commitments = Commitment.objects.all() if round is None else Commitment.objects.filter(round=round)
    ledger = ledger_balances(commitments)
    differences = []
    for commitment in commitments.order_by("id"):
        expected = ledger.get(commitment.pk, {"reserved_cents": 0, "awarded_cents": 0, "paid_cents": 0})
        for column, value in expected.items():
            if getattr(commitment, column) != value:
                differences.append(
                    f"commitment {commitment.pk}: {column} is {getattr(commitment, column)}, the ledger says {value}"
                )
    return differences


def award_history(initiative_uuid) -> list[Award]:
    """The initiative's Impuls history on the whole platform (every portal's awards, from the national projection,
    docs/decisions/0028-impuls-accountability-projection-reminders.md): an initiative is one initiative everywhere,
    so an overdue accountability on any portal counts on every portal. Newest first."""
    return [
        Award(
            fund=row.portal.schema_name,
            round_title=row.round_title,
            awarded_on=row.awarded_on,
            accountability_due_on=row.accountability_due_on,
            accounted_on=row.accounted_on,
            funders=tuple(part.funder for part in row.parts.all()),
        )
        for row in awards_of_initiative(initiative_uuid)
    ]
