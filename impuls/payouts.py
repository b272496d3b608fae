"""The treasurer's side of MAEX Impuls: payouts due, paid and late, the SEPA credit transfer file of the payouts
due, and marking them paid (docs/decisions/0027-impuls-review-payouts-and-funder-report.md).

Marking paid is a money movement and goes through ``impuls.services.mark_paid`` (the ledger). The export moves no
money: it writes the file and notes when each payout went into one (``Payout.exported_at``), so the treasurer sees
what was handed to the bank; a payout exported before can be exported again (a file the bank refused).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import record

from . import services
from .models import ImpulsSettings, Payout
from .review import ProfileFacts
from .sepa import DebtorAccount, Transfer, credit_transfer, validate_iban
from .workdays import local_date


class ExportRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PayoutCounts:
    due: int  # not paid yet, due today or later
    late: int  # not paid, due date passed
    paid_on_time: int
    paid_late: int


def today() -> date:
    return local_date(timezone.now())


def late_q(on: date) -> Q:
    return Q(paid_on__isnull=True, due_on__lt=on)


def payouts(state: str = "open", on: date | None = None):
    """The payouts in ``state``: ``open`` (not paid), ``late`` (not paid, due date passed), ``paid``, ``all``;
    with their application and round, in due-date order."""
    on = on or today()
    qs = Payout.objects.select_related("application__round").order_by("due_on", "id")
    if state == "open":
        return qs.filter(paid_on__isnull=True)
    if state == "late":
        return qs.filter(late_q(on))
    if state == "paid":
        return qs.filter(paid_on__isnull=False).order_by("-paid_on", "-id")
    return qs


def counts(on: date | None = None) -> PayoutCounts:
    """How many payouts are due, late, paid on time and paid late; one query."""
    on = on or today()
    totals = Payout.objects.aggregate(
        due=Count("id", filter=Q(paid_on__isnull=True, due_on__gte=on)),
        late=Count("id", filter=late_q(on)),
        paid_on_time=Count("id", filter=Q(paid_on__isnull=False, paid_on__lte=F("due_on"))),
        paid_late=Count("id", filter=Q(paid_on__isnull=False, paid_on__gt=F("due_on"))),
    )
    return PayoutCounts(**totals)


def debtor_account(settings: ImpulsSettings | None) -> DebtorAccount:
    """The portal's fund account as the debtor of a transfer file; refused when it is not set or not valid."""
    if settings is None or not settings.is_complete:
        raise ExportRefused(
            _(
                "De rekening van het fonds is nog niet ingesteld. Vul de naam en het IBAN in onder Instellingen > "
                "Impuls-fondsrekening."
            )
        )
    try:
        validate_iban(settings.iban)
    except ValidationError as exc:
        raise ExportRefused(_("Het IBAN van het fonds klopt niet: %(error)s") % {"error": exc.messages[0]}) from None
    return DebtorAccount(name=settings.account_name, iban=settings.iban, bic=settings.bic)


def transfer_of(payout: Payout) -> Transfer:
    application = payout.application
    name = application.account_holder or ProfileFacts.of(application.frozen_profile).name or str(application)
    description = _("Impuls %(round)s, aanvraag %(number)d") % {
        "round": application.round.title,
        "number": application.number,
    }
    return Transfer(
        name=name[:70],
        iban=application.iban,
        amount_cents=payout.amount_cents,
        description=description[:140],
        end_to_end_id=f"IMPULS-{payout.pk}",
    )


@dataclass
class Export:
    content: bytes
    included: list[Payout]
    skipped: list[tuple[Payout, str]]  # with why: an invalid or missing IBAN


@transaction.atomic
def export(selected, settings: ImpulsSettings | None, *, by=None, at: datetime | None = None) -> Export:
    """The pain.001 file of the ``selected`` unpaid payouts (a queryset or list); payouts without a valid IBAN are
    left out and named. Notes ``exported_at`` on the ones in the file."""
    at = at or timezone.now()
    debtor = debtor_account(settings)
    chosen = list(
        Payout.objects.select_for_update(of=("self",))
        .select_related("application__round")
        .filter(pk__in=[p.pk for p in selected], paid_on__isnull=True)
        .order_by("due_on", "id")
    )
    if not chosen:
        raise ExportRefused(_("Kies een of meer uitbetalingen die nog niet zijn betaald."))
    transfers, included, skipped = [], [], []
    for payout in chosen:
        try:
            validate_iban(payout.application.iban)
        except ValidationError as exc:
            skipped.append((payout, exc.messages[0]))
            continue
        transfers.append(transfer_of(payout))
        included.append(payout)
    if not transfers:
        raise ExportRefused(_("Geen van de gekozen uitbetalingen heeft een geldig IBAN."))
    content = credit_transfer(debtor, transfers, local_date(at))
    Payout.objects.filter(pk__in=[p.pk for p in included]).update(exported_at=at)
    for payout in included:
        payout.exported_at = at
        record(payout.application, "maex.impuls.exported", by=by, data={"payout": payout.pk})
    return Export(content, included, skipped)


def mark_paid(selected, *, paid_on: date, by=None) -> tuple[list[Payout], list[tuple[Payout, str]]]:
    """Mark each of ``selected`` paid on ``paid_on`` through the ledger; returns those marked and those refused,
    with why (already paid, or a date before the decision)."""
    done, refused = [], []
    for payout in Payout.objects.select_related("application").filter(pk__in=[p.pk for p in selected]):
        decided = payout.application.decided_at
        if decided is not None and paid_on < local_date(decided):
            refused.append((payout, _("De betaaldatum ligt vóór de toekenning.")))
            continue
        try:
            done.append(services.mark_paid(payout, paid_on=paid_on, by=by))
        except services.ImpulsRefused as exc:
            refused.append((payout, exc.message))
    return done, refused
