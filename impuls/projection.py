"""The national projection of this portal's Impuls awards (``national_index.ImpulsAward``), written in the same
transaction as the approval, payout or accountability it reflects (docs/decisions/0002 and
docs/decisions/0028-impuls-accountability-projection-reminders.md).

``impuls.services.approve`` and ``mark_paid`` and ``impuls.accountability.submit_accountability`` call
``project_award``; it reads what it needs from this portal's schema and hands plain values to the index's one
writer. Only public facts go: the round, the amount, the funders' parts, the dates. No IBAN, no answers, no person.
"""

from __future__ import annotations

from django.db import connection

from initiatives.models import initiative_url
from national_index import projector
from national_index.selectors import locate
from tenants.models import Portal

from .models import Application, LedgerEntry
from .workdays import local_date, spend_window_end


def current_portal() -> Portal:
    return Portal.objects.prefetch_related("domains").get(schema_name=connection.schema_name)


def funder_parts(application: Application) -> dict[str, int]:
    """Funder name -> cents it pays of the award (the ledger's award entries of the application)."""
    parts: dict[str, int] = {}
    rows = LedgerEntry.objects.filter(application=application, kind=LedgerEntry.Kind.AWARD).values_list(
        "commitment__funder__name", "amount_cents"
    )
    for name, cents in rows:
        parts[name] = parts.get(name, 0) + cents
    return parts


def news_url(initiative_uuid) -> str:
    """The initiative's page (where its news item is), wherever it lives now; "" when the platform lost it."""
    locator = locate(initiative_uuid)
    return initiative_url(locator.portal, locator.slug) + "#nieuws" if locator else ""


def project_award(application: Application, portal: Portal | None = None) -> None:
    """Bring the national row of an approved application in line with this schema (idempotent)."""
    if application.state != Application.State.APPROVED or application.awarded_cents is None:
        return
    portal = portal or current_portal()
    round = application.round
    payout = getattr(application, "payout", None)
    paid_on = payout.paid_on if payout is not None else None
    accountability = getattr(application, "accountability", None)
    projector.project_award(
        portal,
        application_id=application.pk,
        initiative_uuid=application.initiative_uuid,
        round_slug=round.slug,
        round_title=round.title,
        kind=round.kind,
        unit=round.unit,
        amount_cents=application.awarded_cents,
        awarded_on=local_date(application.decided_at),
        funders=funder_parts(application),
        paid_on=paid_on,
        accountability_due_on=spend_window_end(paid_on, round.spend_months) if paid_on else None,
        accounted_on=local_date(accountability.submitted_at) if accountability is not None else None,
        news_url=news_url(application.initiative_uuid) if accountability is not None else "",
    )


def project_application(application_id: int) -> None:
    """``project_award`` of an application by id, read fresh (the services' explicit call)."""
    application = (
        Application.objects.select_related("round", "payout", "accountability").filter(pk=application_id).first()
    )
    if application is not None:
        project_award(application)
