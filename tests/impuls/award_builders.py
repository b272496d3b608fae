"""Awards that went through the real services (submit, approve, pay), for the tests of what happens after an award
(docs/decisions/0028-impuls-accountability-projection-reminders.md)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django_tenants.utils import schema_context

from impuls import services
from impuls.models import Application
from impuls.workdays import local_moment
from tests.impuls.builders import TEXTS, commitment_ids, make_round

QUESTIONS = [
    {"label": "Waaraan heeft u de Impuls besteed?", "required": True},
    {"label": "Wat zou u anders doen?", "required": False},
]
IBAN = "NL91ABNA0417164300"
HOLDER = "J. Geheimhouder"
SECRET_ANSWER = "Dit geheime antwoord blijft in het portaal"


def award(
    schema: str,
    initiative,
    owner,
    *,
    amount: int = 100_000,
    decided_on: date | None = None,
    paid_on: date | None = None,
    amounts=(300_000, 100_000),
    round=None,
    **round_fields,
) -> Application:
    """An approved application of ``initiative`` in a new round of portal ``schema`` (two funders unless
    ``amounts`` says otherwise), decided on ``decided_on`` and paid on ``paid_on`` (None: not paid). The
    application carries an IBAN, an account holder and an answer, which must never leave the portal."""
    with schema_context(schema):
        round = round or make_round(*amounts, accountability_questions=QUESTIONS, **round_fields)
        application = services.submit_application(
            round,
            initiative,
            owner,
            amount,
            **TEXTS,
            frozen_profile={"name": initiative.name},
            eligible_commitment_ids=commitment_ids(round),
            iban=IBAN,
            account_holder=HOLDER,
            answers={"Wie doet het werk?": SECRET_ANSWER},
        )
        decided_at = local_moment(decided_on, time(11)) if decided_on else None
        payout = services.approve(
            application,
            amount_cents=amount,
            due_on=(decided_on or date.today()) + timedelta(days=14),
            at=decided_at,
        )
        if paid_on is not None:
            services.mark_paid(payout, paid_on=paid_on)
        return Application.objects.select_related("round", "payout").get(pk=application.pk)


def moment(day: date, hour: int = 12) -> datetime:
    return local_moment(day, time(hour))
