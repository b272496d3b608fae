"""Reads of MAEX Impuls: a round's budget, what an application holds, and the reconciliation of the ledger with the
balance columns (docs/decisions/0024-impuls-ledger-and-split.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from statistics import median

from django.db import connection
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from geo.models import Municipality
from initiatives.models import Initiative, Need
from initiatives.selectors import missing_for_profile
from national_index.models import IndexEntry
from national_index.selectors import awards_of_initiatives

from . import eligibility
from .eligibility import Award
from .models import Application, Commitment, LedgerEntry, Payout, Round
from .workdays import local_date

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


# --- the applicant's side: public pages, the checklist, the frozen profile (docs/decisions/0026) -------------


@dataclass
class PublicRound:
    """A round as its public pages show it: the round, its budget and whether it is full ("vol")."""

    round: Round
    budget: Budget
    applications: int  # counted against the round's cap (every application not withdrawn)
    funders: list  # Funder, with ``partner_page`` (and its logo) loaded

    @property
    def cap_reached(self) -> bool:
        return self.round.max_applications is not None and self.applications >= self.round.max_applications

    @property
    def is_full(self) -> bool:
        """No room for even the smallest application, or the cap on the number of applications reached."""
        return self.cap_reached or self.budget.left_cents < self.round.min_cents


def _public(rounds) -> list[PublicRound]:
    """Rounds with budget, count and funders: four queries, however many rounds (the rounds, the commitments
    with their funders, partner pages and logos, the logos' renditions, the counts)."""
    rounds = list(rounds)
    if not rounds:
        return []
    commitments = (
        Commitment.objects.filter(round__in=rounds)
        .select_related("funder__partner_page__logo")
        .prefetch_related("funder__partner_page__logo__renditions")  # the logo's sizes, for {% image %}
        .order_by("round_id", "-amount_cents", "id")
    )
    by_round: dict[int, list[Commitment]] = {}
    for commitment in commitments:
        by_round.setdefault(commitment.round_id, []).append(commitment)
    counts = dict(
        Application.objects.filter(round__in=rounds)
        .exclude(state=Application.State.WITHDRAWN)
        .values("round_id")
        .annotate(n=Count("id"))
        .values_list("round_id", "n")
    )
    result = []
    for r in rounds:
        own = by_round.get(r.pk, [])
        budget = Budget(
            sum(c.amount_cents for c in own),
            sum(c.reserved_cents for c in own),
            sum(c.awarded_cents for c in own),
            sum(c.paid_cents for c in own),
        )
        result.append(PublicRound(r, budget, counts.get(r.pk, 0), [c.funder for c in own]))
    return result


def public_rounds(now: datetime) -> dict[str, list[PublicRound]]:
    """This portal's rounds for ``/impuls/``: open (closing first), upcoming (opening first), closed (latest
    first)."""
    rounds = _public(Round.objects.all())
    return {
        "open": sorted((p for p in rounds if p.round.is_open(now)), key=lambda p: p.round.closes_at),
        "upcoming": sorted((p for p in rounds if p.round.opens_at > now), key=lambda p: p.round.opens_at),
        "closed": sorted(
            (p for p in rounds if p.round.closes_at <= now), key=lambda p: p.round.closes_at, reverse=True
        ),
    }


def public_round(slug: str) -> PublicRound | None:
    found = _public(Round.objects.filter(slug=slug).prefetch_related("commitments__funder"))
    return found[0] if found else None


@dataclass(frozen=True)
class PublicAward:
    name: str
    url: str  # the initiative's public page ("" when it is not published, or no longer)
    awarded_cents: int
    funders: tuple[str, ...]


def public_awards(round: Round) -> list[PublicAward]:
    """The awards of a round, in order of arrival: the initiative's name (as frozen with the application), a link
    to its public page when the national index has it, the amount and the funders that pay it. Three queries.
    Nothing personal: no IBAN, no answers, no contact."""
    approved = list(
        Application.objects.filter(round=round, state=Application.State.APPROVED)
        .order_by("number")
        .values("id", "initiative_uuid", "awarded_cents", "frozen_profile__name")
    )
    if not approved:
        return []
    urls = dict(IndexEntry.objects.filter(uuid__in=[a["initiative_uuid"] for a in approved]).values_list("uuid", "url"))
    funders: dict[int, list[str]] = {}
    rows = (
        LedgerEntry.objects.filter(application_id__in=[a["id"] for a in approved], kind=Kind.AWARD)
        .order_by("application_id", "-amount_cents", "commitment_id")
        .values_list("application_id", "commitment__funder__name")
    )
    for application_id, name in rows:
        funders.setdefault(application_id, []).append(name)
    return [
        PublicAward(
            name=a["frozen_profile__name"] or "",
            url=urls.get(a["initiative_uuid"], ""),
            awarded_cents=a["awarded_cents"],
            funders=tuple(funders.get(a["id"], ())),
        )
        for a in approved
    ]


def median_payout_days(round: Round) -> float | None:
    """The median number of calendar days from submitting an application to its payout, over the round's paid
    payouts (None while there are none). One query."""
    rows = Payout.objects.filter(application__round=round, paid_on__isnull=False).values_list(
        "application__submitted_at", "paid_on"
    )
    days = [(paid_on - local_date(submitted_at)).days for submitted_at, paid_on in rows]
    return median(days) if days else None


def fund_of_this_portal() -> str:
    """The fund this portal's rounds belong to (``eligibility.Award.fund``): the portal's own Impuls fund, named by
    its schema (the national portal's rounds: the national fund)."""
    return connection.schema_name


def round_criteria(round: Round) -> eligibility.RoundCriteria:
    """The round's criteria and its commitments' own, as ``impuls.eligibility`` reads them."""
    return eligibility.RoundCriteria(
        fund=fund_of_this_portal(),
        municipality_codes=frozenset(round.municipalities),
        sdgs=frozenset(round.sdgs),
        min_phase=round.min_phase,
        needs_money_need=round.needs_money_need,
        commitments=tuple(
            eligibility.CommitmentCriteria(
                id=c.pk,
                funder=c.funder.name,
                sdgs=frozenset(c.sdgs),
                municipality_codes=frozenset(c.municipalities),
                legal_forms=frozenset(c.legal_forms),
            )
            for c in round.commitments.all()
        ),
    )


def municipality_names(round: Round, *codes: str) -> dict[str, str]:
    """CBS code -> name for every municipality the round, its commitments and ``codes`` mention: one query."""
    wanted = set(round.municipalities) | set(codes)
    for c in round.commitments.all():
        wanted |= set(c.municipalities)
    return dict(Municipality.objects.filter(cbs_code__in=wanted).values_list("cbs_code", "name"))


def need_kinds_of(initiatives) -> dict[int, frozenset[str]]:
    """The kinds of need of each of ``initiatives`` (in the current schema): pk -> kinds, one query."""
    kinds: dict[int, set[str]] = {i.pk: set() for i in initiatives}
    for pk, kind in Need.objects.filter(initiative__in=list(kinds)).values_list("initiative_id", "kind"):
        kinds[pk].add(kind)
    return {pk: frozenset(found) for pk, found in kinds.items()}


def profile_snapshot(initiative, need_kinds: frozenset[str] | None = None) -> eligibility.ProfileSnapshot:
    """What the eligibility rules read of ``initiative``'s profile, read in the initiative's own schema (the
    caller is there): municipality, phase, Social Handprint, ticked SDGs, needs, legal form, KvK number, what the
    profile lacks. The KvK number is left out of what it lacks: the identity line of the checklist covers it
    (a round accepts an ID check instead, docs/decisions/0025). ``need_kinds`` when the caller read them for many
    initiatives at once (``need_kinds_of``)."""
    if need_kinds is None:
        need_kinds = frozenset(initiative.needs.values_list("kind", flat=True))
    has_activities = getattr(initiative, "has_activities", None)
    if has_activities is None:
        has_activities = initiative.activities.exists()
    kvk_label = str(Initiative._meta.get_field("kvk_number").verbose_name)
    return eligibility.ProfileSnapshot(
        municipality_code=initiative.municipality.cbs_code,
        municipality_name=initiative.municipality.name,
        phase=initiative.phase,
        handprint_sdgs=eligibility.handprint_sdgs(initiative.value_by_sdg),
        declared_sdgs=frozenset(initiative.sdgs),
        need_kinds=need_kinds,
        legal_form=initiative.legal_form,
        has_kvk_number=bool(initiative.kvk_number),
        missing=tuple(label for label in missing_for_profile(initiative) if label != kvk_label),
        has_handprint=bool(has_activities and initiative.valued_with),
    )


def award_history(initiative_uuid) -> list[Award]:
    """The initiative's Impuls history on the whole platform (every portal's awards, from the national projection,
    docs/decisions/0028-impuls-accountability-projection-reminders.md): an initiative is one initiative everywhere,
    so an overdue accountability on any portal counts on every portal. Newest first."""
    return award_histories([initiative_uuid]).get(initiative_uuid, [])


def award_histories(uuids) -> dict:
    """``award_history`` of many initiatives at once: uuid -> its awards (three queries, however many)."""
    return {
        uuid: [
            Award(
                fund=row.portal.schema_name,
                round_title=row.round_title,
                awarded_on=row.awarded_on,
                accountability_due_on=row.accountability_due_on,
                accounted_on=row.accounted_on,
                funders=tuple(part.funder for part in row.parts.all()),
            )
            for row in rows
        ]
        for uuid, rows in awards_of_initiatives(uuids).items()
    }


def freeze_profile(initiative, portal_schema: str) -> dict:
    """The profile as it is now, kept with an application (plain JSON): the uniform profile's fields, the needs,
    partners and activities, the valuation with its Social Handprint, and where the initiative lives. Read in the
    initiative's own schema."""
    profile = {}
    for name in Initiative.PROFILE_FIELDS:
        value = getattr(initiative, name)
        if name == "municipality":
            value = {"code": value.cbs_code, "name": value.name}
        elif isinstance(value, Decimal):
            value = str(value)
        profile[name] = value
    return {
        **profile,
        "uuid": str(initiative.uuid),
        "slug": initiative.slug,
        "portal": portal_schema,
        "needs": [{"kind": n.kind, "text": n.text} for n in initiative.needs.all()],
        "partners": [{"name": p.name, "kind": p.kind} for p in initiative.partners.all()],
        "activities": [
            {"item_code": a.item_code, "quantity": str(a.quantity), "description": a.description}
            for a in initiative.activities.all()
        ],
        "valuation": {
            "social_value": str(initiative.social_value),
            "deliveries": str(initiative.deliveries),
            "value_by_domain": initiative.value_by_domain,
            "value_by_sdg": initiative.value_by_sdg,
            "handprint_sdgs": sorted(eligibility.handprint_sdgs(initiative.value_by_sdg)),
            "valued_with": initiative.valued_with,
        },
    }


def applications_of_initiatives(uuids) -> list[Application]:
    """This portal's applications of these initiatives, newest first, with their round: one query."""
    return list(
        Application.objects.filter(initiative_uuid__in=list(uuids)).select_related("round").order_by("-submitted_at")
    )


def split_of(application) -> list[tuple[str, int]]:
    """Per funder, what the application holds or was awarded: the ledger's own rows (reserved while open,
    awarded once approved). Two queries."""
    if application.state == Application.State.APPROVED:
        parts = dict(
            LedgerEntry.objects.filter(application=application, kind=Kind.AWARD).values_list(
                "commitment_id", "amount_cents"
            )
        )
    else:
        parts = held_by_commitment(application)
    names = dict(Commitment.objects.filter(pk__in=parts).values_list("pk", "funder__name"))
    return sorted(((names[cid], cents) for cid, cents in parts.items()), key=lambda row: (-row[1], row[0]))
