"""Plausible figures for a profile about to be written: the pure rule of ``valuation/plausibility.py`` applied to
the profile's scale and activities, with the current price list and the national index, and its findings as
sentences in the reader's language (docs/decisions/0019-plausible-figures.md).

``initiatives.services`` calls ``check`` before it writes anything, so the registration form, the edit form and
every other caller of the services (the demo loader, the bench, a crafted POST) meet the same rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from national_index.selectors import value_percentiles
from valuation import plausibility as rule
from valuation.engine import ActivityLine, value
from valuation.selectors import current_price_list, price_book

SCALE_FIELDS = ("people_reached", "volunteers", "paid_staff", "paid_fte")


@dataclass(frozen=True)
class Problem:
    code: str | None  # the activity's price-list code; None: the declaration as a whole
    message: str
    finding: rule.Finding


class ImplausibleDeclaration(Exception):
    """Declared figures an initiative of this size cannot deliver; ``problems`` says which and why."""

    def __init__(self, problems: list[Problem]):
        super().__init__(" ".join(p.message for p in problems))
        self.problems = problems


def _n(d, decimals: int | None = None) -> str:
    d = Decimal(d)
    if decimals is None:
        decimals = 0 if d == d.to_integral_value() else 2
    return number_format(d, decimal_pos=decimals, force_grouping=True)


def _message(f: rule.Finding, scale: rule.Scale, names: dict[str, str]) -> str:
    args = {
        "activity": names.get(f.code or "", f.code or ""),
        "quantity": _n(f.quantity),
        "limit": _n(f.limit, 0),
        "people": _n(scale.people_reached, 0),
        "volunteers": _n(scale.volunteers, 0),
        "fte": _n(scale.paid_fte),
    }
    if f.reason == "hours":
        args |= {"total": _n(f.total), "volunteer_hours": _n(rule.VOLUNTEER_HOURS), "fte_hours": _n(rule.FTE_HOURS)}
        together = (
            _("Samen met uw andere activiteiten per uur is dat %(total)s uur.") % args if f.total != f.quantity else ""
        )
        return " ".join(
            s
            for s in (
                _("%(activity)s: %(quantity)s uur per jaar is niet aannemelijk.") % args,
                together,
                _(
                    "Met %(volunteers)s vrijwilligers (elk hoogstens %(volunteer_hours)s uur per jaar) en %(fte)s fte "
                    "betaalde medewerkers (%(fte_hours)s uur per fte) kan het initiatief hoogstens %(limit)s uur "
                    "per jaar werken."
                )
                % args,
            )
            if s
        )
    if f.reason == "per_person":
        args["frequency"] = _n(rule.PER_PERSON[f.unit])
        return (
            _(
                "%(activity)s: %(quantity)s per jaar is niet aannemelijk. Bij %(people)s bereikte mensen is hoogstens "
                "%(limit)s per jaar mogelijk (%(frequency)s per bereikte persoon per jaar)."
            )
            % args
        )
    if f.reason == "items":
        args |= {"per_hour": _n(rule.ITEMS_PER_HOUR)}
        return (
            _(
                "%(activity)s: %(quantity)s stuks per jaar is niet aannemelijk. Elk stuk kost minstens een "
                "kwartier werk; met %(volunteers)s vrijwilligers en %(fte)s fte zijn hoogstens %(limit)s stuks per "
                "jaar mogelijk."
            )
            % args
        )
    if f.reason == "events":
        args["team"] = rule.EVENT_TEAM
        return (
            _(
                "%(activity)s: %(quantity)s evenementen per jaar is niet aannemelijk. Hoogstens één evenement per dag "
                "voor elke %(team)s mensen die er werken (vrijwilligers en betaalde medewerkers): %(limit)s per jaar."
            )
            % args
        )
    if f.reason == "years":
        return (
            _(
                "%(activity)s: %(quantity)s per jaar is niet aannemelijk. Hoogstens één per vrijwilliger of betaalde "
                "medewerker: %(limit)s per jaar."
            )
            % args
        )
    return _(
        "De activiteiten samen geven een maatschappelijke waarde van € %(quantity)s per jaar. Dat is veel meer dan "
        "vergelijkbare initiatieven in de landelijke index opgeven: bij %(people)s bereikte mensen en "
        "%(volunteers)s vrijwilligers is hoogstens € %(limit)s per jaar aannemelijk. Controleer de aantallen per jaar."
    ) % (args | {"quantity": _n(f.quantity, 0)})


def scale_of(fields: dict, initiative=None) -> rule.Scale:
    """The scale from the profile's fields, with the stored initiative's for fields the profile leaves out."""

    def get(name):
        return fields[name] if name in fields else getattr(initiative, name, 0)

    return rule.Scale(
        people_reached=int(get("people_reached") or 0),
        volunteers=int(get("volunteers") or 0),
        paid_staff=int(get("paid_staff") or 0),
        paid_fte=Decimal(get("paid_fte") or 0),
    )


def check(fields: dict, activities: list[dict], initiative=None) -> None:
    """Raise ``ImplausibleDeclaration`` when the activities exceed what an initiative of this scale can deliver.
    Nothing to check while no price list is published (nothing is valued then either)."""
    price_list = current_price_list()
    if price_list is None or not activities:
        return
    book = price_book(price_list)
    scale = scale_of(fields, initiative)
    lines = [ActivityLine(a["item_code"], Decimal(a["quantity"])) for a in activities]
    findings = rule.check_activities(book, scale, lines)
    if not findings:
        index = value_percentiles(rule.PERCENTILE)
        bounds = rule.bounds_from(index.per_person, index.per_volunteer, index.entries)
        findings = rule.check_total(bounds, scale, value(book, lines).total)
    if findings:
        names = {item.code: item.activity for item in price_list.items.all()}
        raise ImplausibleDeclaration([Problem(f.code, _message(f, scale, names), f) for f in findings])
