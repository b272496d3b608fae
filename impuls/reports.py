"""The funder report (financiersrapportage): per funder and round, and per funder and year, what its commitments
did: applications, awards, amounts (from the ledger), payout times, accountability received, and the social
value and Social Handprint of the initiatives it funded (from their frozen profiles)
(docs/decisions/0027-impuls-review-payouts-and-funder-report.md).

A bounded number of queries whatever the number of applications: the commitments, one aggregate of the ledger
per commitment, application and kind, and the awarded applications with their payouts.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from .models import Accountability, Application, Commitment, LedgerEntry
from .review import ProfileFacts
from .workdays import AMSTERDAM, local_date

Kind = LedgerEntry.Kind


def accountability_received(application_ids: Iterable[int]) -> set[int]:
    """The ids among ``application_ids`` whose accountability has been received (``impuls.Accountability``,
    docs/decisions/0028-impuls-accountability-projection-reminders.md). One query."""
    return set(
        Accountability.objects.filter(application_id__in=list(application_ids)).values_list("application_id", flat=True)
    )


@dataclass
class Line:
    """One commitment (funder x round), or the sum of several (a funder's year, a funder's total)."""

    funder: str
    round: str
    year: int | None
    amount_cents: int = 0
    applications: int = 0
    awards: int = 0
    reserved_cents: int = 0
    awarded_cents: int = 0
    paid_cents: int = 0
    payouts_paid: int = 0
    paid_on_time: int = 0
    paid_late: int = 0
    unpaid_late: int = 0
    accountability_received: int = 0
    social_value: Decimal = Decimal(0)  # of the initiatives this commitment helped fund
    attributed_value: Decimal = Decimal(0)  # the same, in proportion to this commitment's part of each award
    value_by_sdg: dict[int, Decimal] = field(default_factory=dict)
    days: list[int] = field(default_factory=list)  # application -> payout, per paid award

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.days) if self.days else None

    @property
    def value_per_euro(self) -> Decimal | None:
        """Social value attributed per euro awarded."""
        if not self.awarded_cents:
            return None
        return (self.attributed_value / (Decimal(self.awarded_cents) / 100)).quantize(Decimal("0.01"))

    def add(self, other: Line) -> None:
        for name in (
            "amount_cents",
            "applications",
            "awards",
            "reserved_cents",
            "awarded_cents",
            "paid_cents",
            "payouts_paid",
            "paid_on_time",
            "paid_late",
            "unpaid_late",
            "accountability_received",
            "social_value",
            "attributed_value",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for sdg, value in other.value_by_sdg.items():
            self.value_by_sdg[sdg] = self.value_by_sdg.get(sdg, Decimal(0)) + value
        self.days += other.days


@dataclass
class Report:
    lines: list[Line]  # per commitment
    by_year: list[Line]  # per funder and year
    by_funder: list[Line]  # per funder


def commitments(*, funder_ids=None, round_id=None, year=None):
    qs = Commitment.objects.select_related("funder", "round").order_by("funder__name", "round__opens_at", "id")
    if funder_ids is not None:
        qs = qs.filter(funder_id__in=funder_ids)
    if round_id is not None:
        qs = qs.filter(round_id=round_id)
    if year is not None:
        qs = qs.filter(round__opens_at__year=year)  # the database's time zone is the site's (Europe/Amsterdam)
    return qs


def funder_report(*, funder_ids=None, round_id=None, year=None, on: date | None = None) -> Report:
    """The report of the commitments of ``funder_ids`` (``None``: every funder), optionally of one round or of
    rounds opened in one year."""
    on = on or local_date(timezone.now())
    chosen = list(commitments(funder_ids=funder_ids, round_id=round_id, year=year))
    ids = [c.pk for c in chosen]
    # per commitment: application -> {kind: cents}
    moved: dict[int, dict[int, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    rows = (
        LedgerEntry.objects.filter(commitment_id__in=ids)
        .values_list("commitment_id", "application_id", "kind")
        .annotate(total=Sum("amount_cents"))
        .order_by()
    )
    awarded_ids = set()
    for commitment_id, application_id, kind, total in rows:
        moved[commitment_id][application_id][kind] = total
        if kind == Kind.AWARD:
            awarded_ids.add(application_id)
    awarded = {
        row["pk"]: row
        for row in Application.objects.filter(pk__in=awarded_ids).values(
            "pk", "submitted_at", "awarded_cents", "frozen_profile", "payout__due_on", "payout__paid_on"
        )
    }
    facts = {pk: ProfileFacts.of(row["frozen_profile"]) for pk, row in awarded.items()}
    accounted = accountability_received(awarded)
    lines = []
    for commitment in chosen:
        line = Line(
            funder=commitment.funder.name,
            round=commitment.round.title,
            year=commitment.round.opens_at.astimezone(AMSTERDAM).year,
            amount_cents=commitment.amount_cents,
            reserved_cents=commitment.reserved_cents,
        )
        for application_id, kinds in moved[commitment.pk].items():
            if Kind.RESERVE in kinds:
                line.applications += 1
            award = kinds.get(Kind.AWARD, 0)
            if not award:
                continue
            line.awards += 1
            line.awarded_cents += award
            line.paid_cents += kinds.get(Kind.PAYOUT, 0)
            row, fact = awarded[application_id], facts[application_id]
            _payout_times(line, row, on)
            line.accountability_received += application_id in accounted
            if fact.social_value is not None:
                line.social_value += fact.social_value
                share = Decimal(award) / Decimal(row["awarded_cents"] or award)
                line.attributed_value += (fact.social_value * share).quantize(Decimal("0.01"))
            for sdg, value in fact.value_by_sdg.items():
                line.value_by_sdg[sdg] = line.value_by_sdg.get(sdg, Decimal(0)) + value
        lines.append(line)
    return Report(lines, _sum(lines, lambda ln: (ln.funder, ln.year)), _sum(lines, lambda ln: (ln.funder, None)))


def _payout_times(line: Line, row: dict, on: date) -> None:
    due_on, paid_on = row["payout__due_on"], row["payout__paid_on"]
    if paid_on is not None:
        line.payouts_paid += 1
        line.days.append((paid_on - local_date(row["submitted_at"])).days)
        if due_on is not None and paid_on > due_on:
            line.paid_late += 1
        else:
            line.paid_on_time += 1
    elif due_on is not None and due_on < on:
        line.unpaid_late += 1


def _sum(lines: list[Line], key) -> list[Line]:
    groups: dict[tuple, Line] = {}
    for line in lines:
        funder, year = key(line)
        total = groups.setdefault((funder, year), Line(funder=funder, round="", year=year))
        total.add(line)
    return list(groups.values())


def euros_plain(cents: int) -> str:
    """Cents as "1234,56" for a Dutch spreadsheet (no thousands separator)."""
    whole, rest = divmod(cents, 100)
    return f"{whole},{rest:02d}"


def money_plain(value: Decimal | None) -> str:
    return "" if value is None else f"{value.quantize(Decimal('0.01'))}".replace(".", ",")


CSV_HEADER = (
    "financier",
    "ronde",
    "jaar",
    "toezegging_eur",
    "aanvragen",
    "toekenningen",
    "gereserveerd_eur",
    "toegekend_eur",
    "uitbetaald_eur",
    "uitbetalingen",
    "op_tijd",
    "te_laat_betaald",
    "te_laat_onbetaald",
    "mediaan_dagen_aanvraag_tot_betaling",
    "verantwoording_ontvangen",
    "maatschappelijke_waarde_eur",
    "toegerekende_waarde_eur",
    "waarde_per_euro",
    "handafdruk",
)


def csv_rows(report: Report):
    """The report's lines as CSV rows (header first), lazily: for a streamed download."""
    yield CSV_HEADER
    for line in report.lines:
        median = line.median_days
        yield (
            line.funder,
            line.round,
            line.year,
            euros_plain(line.amount_cents),
            line.applications,
            line.awards,
            euros_plain(line.reserved_cents),
            euros_plain(line.awarded_cents),
            euros_plain(line.paid_cents),
            line.payouts_paid,
            line.paid_on_time,
            line.paid_late,
            line.unpaid_late,
            "" if median is None else str(median).replace(".", ","),
            line.accountability_received,
            money_plain(line.social_value),
            money_plain(line.attributed_value),
            money_plain(line.value_per_euro),
            " ".join(f"SDG{sdg}={money_plain(value)}" for sdg, value in line.value_by_sdg.items()),
        )
