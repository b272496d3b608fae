"""After an award: the spend window, the accountability (verantwoording) and its reminders
(docs/decisions/0028-impuls-accountability-projection-reminders.md).

The spend window starts at payout and ends ``spend_window_end(paid_on, round.spend_months)``; the accountability
is due on that day (on time when given that day). An owner of the initiative answers the round's
``accountability_questions`` and publishes a news item on the initiative's public page; ``submit_accountability``
records both and updates the national projection in one transaction, so the initiative's history on every portal
shows it at once. ``send_reminders`` mails the owners of paid, unaccounted awards whose window ends within
``REMIND_DAYS`` days, and once more when it is overdue, each kind once per application (a ``Reminder`` row).

Plain arguments, never a request; a refusal raises ``AccountabilityRefused`` with a Dutch message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from accounts.audit import record
from initiatives import services as initiatives
from initiatives.models import Initiative, Ownership, initiative_url
from initiatives.services import language_of
from maex.mail import send_templated_mail
from national_index.selectors import locate
from tenants.models import Portal

from .models import Accountability, Application, Reminder
from .projection import current_portal, project_award
from .services import ImpulsRefused, WrongState
from .workdays import local_date, spend_window_end

REMIND_DAYS = 14  # the first reminder goes out this many days (or fewer) before the spend window ends
NEWS_TITLE_MAX = 150
ANSWER_MAX = 4000


class AccountabilityRefused(ImpulsRefused):
    code = "accountability"


@dataclass(frozen=True)
class Window:
    paid_on: date
    ends_on: date  # the last day to spend and to account; the accountability is due on this day

    def days_left(self, today: date) -> int:
        return (self.ends_on - today).days

    def is_overdue(self, today: date) -> bool:
        return today > self.ends_on


def spend_window(application: Application) -> Window | None:
    """The spend window of an approved application, once it is paid; None before payout."""
    payout = getattr(application, "payout", None)
    if payout is None or payout.paid_on is None:
        return None
    return Window(payout.paid_on, spend_window_end(payout.paid_on, application.round.spend_months))


def questions(round) -> list[dict]:
    """The round's accountability questions as ``{"label", "required"}``, whatever shape the admin stored."""
    result = []
    for question in round.accountability_questions or []:
        if isinstance(question, str):
            question = {"label": question, "required": True}
        label = str(question.get("label", "")).strip()
        if label:
            result.append({"label": label, "required": bool(question.get("required", True))})
    return result


# --- who may account, and where the initiative lives ---------------------------------------------------------


def home_of(application: Application) -> Portal | None:
    """The portal whose schema holds the application's initiative now (a national round's applicant lives in a
    regional schema; an initiative may have moved since)."""
    locator = locate(application.initiative_uuid)
    return locator.portal if locator is not None else None


def _initiative_in(home: Portal, uuid) -> Initiative | None:
    with schema_context(home.schema_name):
        return Initiative.objects.filter(uuid=uuid).first()


def is_owner(user, application: Application) -> bool:
    """Whether ``user`` is an owner of the application's initiative (in the initiative's own schema)."""
    if not getattr(user, "is_authenticated", False):
        return False
    home = home_of(application)
    if home is None:
        return False
    with schema_context(home.schema_name):
        return Ownership.objects.filter(initiative__uuid=application.initiative_uuid, user=user).exists()


def owners_of(application: Application) -> tuple[Initiative | None, Portal | None, list]:
    home = home_of(application)
    if home is None:
        return None, None, []
    with schema_context(home.schema_name):
        initiative = Initiative.objects.filter(uuid=application.initiative_uuid).first()
        if initiative is None:
            return None, home, []
        users = [o.user for o in initiative.ownerships.select_related("user").order_by("created_at")]
    return initiative, home, users


# --- the accountability ------------------------------------------------------------------------------------


def check_can_account(application: Application) -> Window:
    """The window of an application that may be accounted for now, or the refusal that says why not."""
    if application.state != Application.State.APPROVED:
        raise WrongState(_("Alleen een toegekende Impuls wordt verantwoord."))
    if Accountability.objects.filter(application=application).exists():
        raise WrongState(_("Deze Impuls is al verantwoord."))
    window = spend_window(application)
    if window is None:
        raise WrongState(_("Deze Impuls is nog niet uitbetaald; de bestedingstermijn begint bij de uitbetaling."))
    return window


@transaction.atomic
def submit_accountability(
    application: Application,
    *,
    answers: dict[str, str],
    news_title: str,
    news_text: str,
    by,
    at: datetime | None = None,
) -> Accountability:
    """An owner accounts for a paid Impuls: the answers to the round's questions and a news item, published on the
    initiative's public page at once. Records both, updates the national projection (the initiative's history on
    every portal), all in one transaction. Refused (nothing written): not approved or not paid yet, already
    accounted for, ``by`` not an owner, a required answer missing, an empty or too long news item or answer."""
    at = at or timezone.now()
    locked = (
        Application.objects.select_for_update(of=("self",)).select_related("round", "payout").get(pk=application.pk)
    )
    check_can_account(locked)
    if not is_owner(by, locked):
        raise AccountabilityRefused(_("Alleen een eigenaar van het initiatief kan deze Impuls verantwoorden."))
    given = {}
    for question in questions(locked.round):
        answer = str(answers.get(question["label"], "")).strip()
        if question["required"] and not answer:
            raise AccountabilityRefused(_("Beantwoord de vraag “%(question)s”.") % {"question": question["label"]})
        if len(answer) > ANSWER_MAX:
            raise AccountabilityRefused(
                _("Het antwoord op “%(question)s” is langer dan %(max)d tekens.")
                % {"question": question["label"], "max": ANSWER_MAX}
            )
        given[question["label"]] = answer
    news_title, news_text = news_title.strip(), news_text.strip()
    if not news_title or not news_text:
        raise AccountabilityRefused(_("Geef het nieuwsbericht een titel en een tekst."))
    if len(news_title) > NEWS_TITLE_MAX or len(news_text) > ANSWER_MAX:
        raise AccountabilityRefused(
            _(
                "Het nieuwsbericht is te lang: een titel van ten hoogste %(title)d en een tekst van ten hoogste "
                "%(text)d tekens."
            )
            % {"title": NEWS_TITLE_MAX, "text": ANSWER_MAX}
        )
    home = home_of(locked)
    initiative = _initiative_in(home, locked.initiative_uuid) if home else None
    if initiative is None:
        raise AccountabilityRefused(_("Het initiatief van deze aanvraag bestaat niet meer op het platform."))
    with schema_context(home.schema_name):
        item = initiatives.publish_news(initiative=initiative, title=news_title, text=news_text, by=by, at=at)
    try:
        with transaction.atomic():
            accountability = Accountability.objects.create(
                application=locked,
                answers=given,
                news_uuid=item.uuid,
                news_title=item.title,
                submitted_at=at,
                submitted_by=by,
            )
    except IntegrityError:  # a second submission that raced past the check: the first one counts
        raise WrongState(_("Deze Impuls is al verantwoord.")) from None
    record(locked, "maex.impuls.accountability", by=by, data={"news": str(item.uuid), "on": local_date(at).isoformat()})
    project_award(Application.objects.select_related("round", "payout", "accountability").get(pk=locked.pk))
    return accountability


# --- reminders -----------------------------------------------------------------------------------------------


def reminder_kind(window: Window, today: date) -> str | None:
    """Which reminder an unaccounted, paid award is due for today: overdue after the window, "due soon" within
    ``REMIND_DAYS`` days of its end (the end day included), else none."""
    if window.is_overdue(today):
        return Reminder.Kind.OVERDUE
    if window.days_left(today) <= REMIND_DAYS:
        return Reminder.Kind.DUE_SOON
    return None


def accountability_path(application: Application) -> str:
    return reverse("impuls_accountability:form", args=[application.pk])


def send_reminders(portal: Portal | None = None, today: date | None = None) -> int:
    """Mail the owners of this portal's paid, unaccounted awards that are due for a reminder today (in the
    portal's schema). Each kind goes once per application: the ``Reminder`` row is written with the mail, in one
    transaction, and a second run finds it and sends nothing. Returns how many reminders it sent."""
    portal = portal or current_portal()
    today = today or local_date(timezone.now())
    candidates = (
        Application.objects.filter(
            state=Application.State.APPROVED, payout__paid_on__isnull=False, accountability__isnull=True
        )
        .select_related("round", "payout")
        .order_by("pk")
    )
    sent = 0
    for application in candidates:
        window = spend_window(application)
        kind = reminder_kind(window, today) if window else None
        if kind is None:
            continue
        with transaction.atomic():
            if not Reminder.objects.filter(application=application, kind=kind).exists():
                try:
                    with transaction.atomic():
                        Reminder.objects.create(application=application, kind=kind, sent_at=timezone.now())
                except IntegrityError:  # another run took it at the same moment
                    continue
                sent += _mail_reminder(portal, application, window, kind, today)
    return sent


def _mail_reminder(portal: Portal, application: Application, window: Window, kind: str, today: date) -> int:
    initiative, home, owners = owners_of(application)
    if initiative is None or not owners:
        return 0
    context = {
        "initiative_name": initiative.name,
        "initiative_link": initiative_url(home, initiative.slug),
        "round_title": application.round.title,
        "ends_on": window.ends_on,
        "days_left": window.days_left(today),
        "link": portal.absolute_url(accountability_path(application)),
    }
    for owner in owners:
        send_templated_mail(
            portal, f"mail/impuls_accountability_{kind}", context, [owner.email], language=language_of(owner)
        )
    record(application, "maex.impuls.reminder", data={"kind": kind, "owners": len(owners)})
    return 1
