"""The MAEX Impuls demo (``demo/data/impuls.json``), per regional portal, through the Impuls services: an open round
with two funders whose criteria differ (one pays any initiative, the other only foundations with value on certain
SDGs, up to a cap per award: co-financing and a funder that does not match both show), and a closed round with
awards, their payouts (one late) and accountability (one overdue); in the open round one award of yesterday whose
payout is still to be made, and the portal's fund account, so that a fund manager can make a SEPA file. Idempotent:
a portal whose round exists keeps it as it is, and a fund account already filled in stays as it is
(docs/decisions/0028-impuls-accountability-projection-reminders.md)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import Site

from impuls import accountability, services
from impuls.models import Application, Commitment, Funder, ImpulsSettings, Round
from impuls.workdays import add_working_days, local_date, local_moment
from initiatives.models import Initiative

from . import content

DATA = content.read("impuls")


def _cents(euros) -> int:
    return int(euros) * 100


def _funders() -> list[Funder]:
    return [
        Funder.objects.get_or_create(name=spec["name"], defaults={"kind": spec["kind"]})[0] for spec in DATA["funders"]
    ]


def _round(spec: dict, opens_at: datetime, closes_at: datetime, funders: list[Funder]) -> Round:
    round = Round.objects.create(
        slug=spec["slug"],
        title=spec["title"],
        purpose=spec["purpose"],
        opens_at=opens_at,
        closes_at=closes_at,
        min_cents=_cents(spec["min_euros"]),
        max_cents=_cents(spec["max_euros"]),
        max_applications=spec.get("max_applications"),
        application_questions=DATA["application_questions"],
        accountability_questions=DATA["accountability_questions"],
    )
    for commitment in spec["commitments"]:
        cap = commitment.get("max_per_award_euros")
        Commitment.objects.create(
            round=round,
            funder=funders[commitment["funder"]],
            amount_cents=_cents(commitment["euros"]),
            sdgs=commitment.get("sdgs", []),
            legal_forms=commitment.get("legal_forms", []),
            municipalities=commitment.get("municipalities", []),
            max_per_award_cents=_cents(cap) if cap else None,
        )
    return round


def _at(day: date, hour: int = 10) -> datetime:
    return local_moment(day, time(hour, 0))


def _closed_round(spec: dict, funders: list[Funder], owner, today: date) -> Round:
    opens_on = today - timedelta(days=spec["opened_days_ago"])
    closes_on = opens_on + timedelta(days=spec["open_days"])
    round = _round(spec, _at(opens_on, 9), _at(closes_on, 17), funders)
    ids = list(round.commitments.order_by("id").values_list("id", flat=True))
    # The portal's first published initiatives by name, one per award
    initiatives = list(
        Initiative.objects.filter(status=Initiative.Status.PUBLISHED).order_by("name")[: len(spec["awards"])]
    )
    decided_on = closes_on + timedelta(days=spec["decided_days_after_closing"])
    for n, (initiative, award) in enumerate(zip(initiatives, spec["awards"], strict=False)):
        application = services.submit_application(
            round,
            initiative,
            owner,
            _cents(award["asked_euros"]),
            strengthens="Een training in fondsenwerving en een nieuwe website voor onze vrijwilligers.",
            cost_estimate="Training € 900, website € 1.100.",
            frozen_profile={"name": initiative.name, "phase": initiative.phase, "legal_form": initiative.legal_form},
            eligible_commitment_ids=ids,
            at=_at(opens_on, 10) + timedelta(minutes=n),
        )
        due_on = add_working_days(decided_on, round.payout_working_days)
        payout = services.approve(
            application, amount_cents=_cents(award["awarded_euros"]), due_on=due_on, at=_at(decided_on, 11)
        )
        # On time: a few working days before the due date; late: well after it
        paid_on = add_working_days(decided_on, 7) if award["paid"] == "on_time" else add_working_days(due_on, 8)
        services.mark_paid(payout, paid_on=paid_on, at=_at(paid_on, 12))
        if award["accounted"]:
            accounted_on = paid_on + timedelta(days=60)
            accountability.submit_accountability(
                Application.objects.get(pk=application.pk),
                answers={
                    q["label"]: "Aan een training voor onze vrijwilligers en een eenvoudige website."
                    for q in DATA["accountability_questions"]
                },
                news_title="Wat de Impuls ons bracht",
                news_text=(
                    "Met de Impuls volgden vijf vrijwilligers een training in fondsenwerving, en we hebben een "
                    "eenvoudige website. Dank aan de financiers!"
                ),
                by=owner,
                at=_at(accounted_on, 15),
            )
    return round


def _open_round_awards(round: Round, spec: dict, owner, today: date, skip: int) -> None:
    """The open round's awards of the last days, not yet paid (the treasurer's payouts to make), each for a published
    initiative after the ``skip`` the closed round awarded, from the commitments without criteria of their own."""
    ids = list(
        round.commitments.filter(sdgs=[], legal_forms=[], municipalities=[]).order_by("id").values_list("id", flat=True)
    )
    awards = spec.get("awards", [])
    initiatives = list(
        Initiative.objects.filter(status=Initiative.Status.PUBLISHED).order_by("name")[skip : skip + len(awards)]
    )
    for n, (initiative, award) in enumerate(zip(initiatives, awards, strict=False)):
        decided_on = today - timedelta(days=award["decided_days_ago"])
        application = services.submit_application(
            round,
            initiative,
            owner,
            _cents(award["asked_euros"]),
            strengthens="Een cursus vrijwilligersbeleid en een nieuwe ledenadministratie.",
            cost_estimate="Cursus € 700, administratiepakket € 500.",
            frozen_profile={"name": initiative.name, "phase": initiative.phase, "legal_form": initiative.legal_form},
            eligible_commitment_ids=ids,
            iban=award["iban"],
            account_holder=initiative.name[:70],
            at=round.opens_at + timedelta(hours=1, minutes=n),
        )
        services.approve(
            application,
            amount_cents=_cents(award["awarded_euros"]),
            due_on=add_working_days(decided_on, round.payout_working_days),
            at=_at(decided_on, 11),
        )


def _fund_account(portal_name: str) -> None:
    """The account the portal's fund pays from (the debtor of its SEPA files), when nobody filled it in yet."""
    settings = ImpulsSettings.for_site(Site.objects.get(is_default_site=True))
    if settings.is_complete:
        return
    spec = DATA["fund_account"]
    settings.account_name = spec["name"].format(portal=portal_name)[:70]
    settings.iban = spec["iban"]
    settings.bic = spec["bic"]
    settings.save()


def ensure_impuls(owner, schemas: list[str] | None = None, today: date | None = None) -> dict[str, list[str]]:
    """The Impuls demo of every regional demo portal (or those of ``schemas``) that exists; returns, per schema,
    the rounds it made (none when they are there already)."""
    today = today or local_date(timezone.now())
    made: dict[str, list[str]] = {}
    for portal in content.PORTALS:
        schema = portal["schema"]
        if content.is_national(portal) or (schemas is not None and schema not in schemas):
            continue
        with schema_context(schema), transaction.atomic():
            made[schema] = []
            funders = _funders()
            open_spec, closed_spec = DATA["open_round"], DATA["closed_round"]
            if not Round.objects.filter(slug=closed_spec["slug"]).exists():
                made[schema].append(_closed_round(closed_spec, funders, owner, today).title)
            if not Round.objects.filter(slug=open_spec["slug"]).exists():
                opens_at = _at(today - timedelta(days=open_spec["open_days_before"]), 9)
                closes_at = _at(today + timedelta(days=open_spec["close_days_after"]), 17)
                round = _round(open_spec, opens_at, closes_at, funders)
                _open_round_awards(round, open_spec, owner, today, skip=len(closed_spec["awards"]))
                made[schema].append(round.title)
            _fund_account(portal["name"])
    return made
