"""Who may apply to an Impuls round: the checklist an owner sees before writing a word (docs/decisions/0025).

Pure: plain dataclasses in, a checklist out; no database, no request. The caller (``impuls`` services and
selectors) builds a ``ProfileSnapshot`` from the initiative, the ``Award`` history from the national index (the
history is platform-wide) and ``RoundCriteria`` from the round and its commitments, and passes "today" in
Europe/Amsterdam. Every check has a Dutch reason (formal "u", translated by Django i18n) and a ``fix`` key naming
the part of the profile to change (``FIXES``), or ``""`` when the owner cannot fix it on the profile.

The rules, in the order of the checklist:

1. **Gebied**: the initiative's municipality is one of the round's (no municipalities: the whole area).
2. **Fase**: the initiative's phase is the round's minimum or later (idee < start < doorgroei < volwassen); an
   initiative without a phase on its profile does not pass: unknown is never taken for "far enough".
3. **SDG's**: value on at least one of the round's SDGs according to the Social Handprint (the value the
   activities deliver per SDG), not only ticked (no SDGs on the round: any).
4. **Geldbehoefte**: when the round asks for it, "geld" among the initiative's needs.
5. **Volledig profiel**: no empty field of the uniform profile and activities valued (a Social Handprint).
6. **Eerdere Impuls**: no award from the same fund in the 12 months before today: an award on 15 March 2025
   blocks up to and including 14 March 2026; on 15 March 2026 the initiative may apply again (after an award
   on 29 February, on 28 February of the next year).
7. **Verantwoording**: no earlier award (from any fund, on any portal) whose accountability was due before today
   and has not been given. Due today is still on time; an award not yet paid out has no due date yet.
8. **KvK of identiteit**: with a KvK number on the profile it passes; without one it also passes when the
   round accepts an ID check instead (``id_check_without_kvk``), and the result says an ID check is needed.
9. **Financiers**: at least one commitment whose own criteria (SDGs by handprint, municipalities, legal forms)
   the initiative meets; the result lists which (room on a commitment is the split's business, not this one's).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from initiatives.models import LegalForm, NeedKind, Phase

from .workdays import add_months

YEAR_BLOCK_MONTHS = 12  # no second award from the same fund within this many months

# The parts of a profile a failed check points at; the caller turns each into a link (the edit form's section).
FIXES = (
    "municipality",
    "phase",
    "activities",
    "sdgs",
    "needs",
    "profile",
    "kvk_number",
    "accountability",
)


@dataclass(frozen=True)
class ProfileSnapshot:
    """What the rules read of an initiative's profile, as plain values."""

    municipality_code: str  # CBS code, e.g. "GM0718"
    phase: str  # an ``initiatives.Phase`` value, or "" (not stated)
    handprint_sdgs: frozenset[int]  # SDGs with value according to the Social Handprint (value_by_sdg > 0)
    declared_sdgs: frozenset[int]  # SDGs the initiative ticked
    need_kinds: frozenset[str]  # ``initiatives.NeedKind`` values
    legal_form: str
    has_kvk_number: bool
    # Labels of the empty profile parts (``initiatives.selectors.missing_for_profile``), without the KvK number
    # when the round accepts an ID check instead (the identity line covers it).
    missing: tuple[str, ...] = ()
    has_handprint: bool = True  # activities valued: a Social Handprint exists
    municipality_name: str = ""


def handprint_sdgs(value_by_sdg: Mapping[str, object]) -> frozenset[int]:
    """The SDGs with value in a Social Handprint (``Initiative.value_by_sdg``: SDG number as text to an amount)."""
    return frozenset(int(sdg) for sdg, amount in value_by_sdg.items() if Decimal(str(amount)) > 0)


@dataclass(frozen=True)
class Award:
    """An earlier Impuls of this initiative, from any portal (``national_index``)."""

    fund: str  # which fund gave it: a portal's Impuls fund (its schema name) or a national one
    round_title: str
    awarded_on: date
    accountability_due_on: date | None = None  # None: not paid out yet, so not due
    accounted_on: date | None = None
    funders: tuple[str, ...] = ()


@dataclass(frozen=True)
class CommitmentCriteria:
    """A funder's commitment to a round and its own criteria (empty: no restriction)."""

    id: int
    funder: str
    sdgs: frozenset[int] = frozenset()
    municipality_codes: frozenset[str] = frozenset()
    legal_forms: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RoundCriteria:
    fund: str  # the fund this round belongs to (see ``Award.fund``)
    municipality_codes: frozenset[str] = frozenset()  # empty: the round's whole area
    sdgs: frozenset[int] = frozenset()  # empty: any
    min_phase: str = Phase.GROWTH
    needs_money_need: bool = True
    id_check_without_kvk: bool = True  # without a KvK number an ID check is needed (False: KvK not asked)
    commitments: tuple[CommitmentCriteria, ...] = ()


@dataclass(frozen=True)
class Check:
    key: str  # "area", "phase", "sdgs", "money_need", "complete", "earlier_award", "accountability", "identity",
    # "funders"
    passed: bool
    reason: str
    fix: str = ""  # one of FIXES, or "" when there is nothing to change on the profile


@dataclass(frozen=True)
class CommitmentResult:
    id: int
    funder: str
    eligible: bool
    reasons: tuple[str, ...] = ()  # why not, when not


@dataclass(frozen=True)
class Eligibility:
    checks: tuple[Check, ...]
    commitments: tuple[CommitmentResult, ...] = ()
    id_check_needed: bool = False

    @property
    def eligible(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def eligible_commitment_ids(self) -> tuple[int, ...]:
        return tuple(c.id for c in self.commitments if c.eligible)

    @property
    def failed(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.passed)

    def as_json(self) -> dict:
        """Plain JSON, as an application keeps it (the result when it was submitted)."""
        return {
            "eligible": self.eligible,
            "id_check_needed": self.id_check_needed,
            "checks": [{"key": c.key, "passed": c.passed, "reason": c.reason, "fix": c.fix} for c in self.checks],
            "commitments": [
                {"id": c.id, "funder": c.funder, "eligible": c.eligible, "reasons": list(c.reasons)}
                for c in self.commitments
            ],
        }


def check(
    profile: ProfileSnapshot,
    history: Iterable[Award],
    criteria: RoundCriteria,
    today: date,
    names: Mapping[str, str] | None = None,
) -> Eligibility:
    """The checklist of ``profile`` for a round with ``criteria`` on ``today`` (a date in Europe/Amsterdam).
    ``names`` maps CBS codes to municipality names for the reasons (a code without a name shows as the code)."""
    names = names or {}
    history = list(history)
    checks = [
        _area(profile, criteria, names),
        _phase(profile, criteria),
        _sdgs(profile, criteria),
    ]
    if criteria.needs_money_need:
        checks.append(_money_need(profile))
    checks += [_complete(profile), _earlier_award(history, criteria, today), _accountability(history, today)]
    id_check_needed = criteria.id_check_without_kvk and not profile.has_kvk_number
    if criteria.id_check_without_kvk:
        checks.append(_identity(profile))
    commitments = tuple(_commitment(profile, c, names) for c in criteria.commitments)
    if commitments:
        checks.append(_funders(commitments))
    return Eligibility(checks=tuple(checks), commitments=commitments, id_check_needed=id_check_needed)


def _name(code: str, names: Mapping[str, str]) -> str:
    return names.get(code) or code


def _listed(items: Iterable[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s en %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def _sdg_list(sdgs: Iterable[int]) -> str:
    return _listed([str(n) for n in sorted(sdgs)])


def _phase_label(value: str) -> str:
    return str(Phase(value).label) if value in Phase.values else value


def _area(profile: ProfileSnapshot, criteria: RoundCriteria, names) -> Check:
    here = profile.municipality_name or _name(profile.municipality_code, names)
    if not criteria.municipality_codes:
        return Check(
            "area",
            True,
            _("Deze ronde staat open voor het hele gebied; uw initiatief is actief in %(here)s.") % {"here": here},
        )
    if profile.municipality_code in criteria.municipality_codes:
        return Check(
            "area", True, _("Uw initiatief is actief in %(here)s, een gemeente van deze ronde.") % {"here": here}
        )
    allowed = _listed(sorted(_name(c, names) for c in criteria.municipality_codes))
    return Check(
        "area",
        False,
        _("Uw initiatief is actief in %(here)s; deze ronde is alleen voor %(allowed)s.")
        % {"here": here, "allowed": allowed},
        "municipality",
    )


def _phase(profile: ProfileSnapshot, criteria: RoundCriteria) -> Check:
    minimum = _phase_label(criteria.min_phase)
    if not profile.phase:
        return Check(
            "phase",
            False,
            _("Uw profiel vermeldt nog niet in welke fase uw initiatief is; deze ronde vraagt minstens: %(min)s.")
            % {"min": minimum},
            "phase",
        )
    ok = Phase.rank(profile.phase) >= Phase.rank(criteria.min_phase)
    params = {"phase": _phase_label(profile.phase), "min": minimum}
    if ok:
        return Check(
            "phase", True, _("Uw initiatief is in de fase %(phase)s; deze ronde vraagt minstens: %(min)s.") % params
        )
    return Check(
        "phase",
        False,
        _("Uw initiatief is in de fase %(phase)s; deze ronde vraagt minstens: %(min)s.") % params,
        "phase",
    )


def _sdgs(profile: ProfileSnapshot, criteria: RoundCriteria) -> Check:
    if not criteria.sdgs:
        return Check("sdgs", True, _("Deze ronde staat open voor alle SDG's."))
    hit = profile.handprint_sdgs & criteria.sdgs
    if hit:
        return Check(
            "sdgs",
            True,
            ngettext(
                "Uw activiteiten leveren waarde op SDG %(sdgs)s, een doel van deze ronde.",
                "Uw activiteiten leveren waarde op SDG %(sdgs)s, doelen van deze ronde.",
                len(hit),
            )
            % {"sdgs": _sdg_list(hit)},
        )
    ticked = profile.declared_sdgs & criteria.sdgs
    if ticked:
        return Check(
            "sdgs",
            False,
            _(
                "U hebt SDG %(ticked)s aangevinkt, maar volgens de prijslijst leveren uw activiteiten daar geen "
                "waarde op. Deze ronde vraagt waarde op SDG %(round)s: voeg de activiteiten toe die daaraan bijdragen."
            )
            % {"ticked": _sdg_list(ticked), "round": _sdg_list(criteria.sdgs)},
            "activities",
        )
    return Check(
        "sdgs",
        False,
        _(
            "Deze ronde vraagt waarde op SDG %(round)s; volgens de prijslijst leveren uw activiteiten daar geen "
            "waarde op."
        )
        % {"round": _sdg_list(criteria.sdgs)},
        "activities",
    )


def _money_need(profile: ProfileSnapshot) -> Check:
    if NeedKind.MONEY in profile.need_kinds:
        return Check("money_need", True, _("Uw profiel vermeldt dat uw initiatief geld nodig heeft."))
    return Check(
        "money_need",
        False,
        _(
            "Deze ronde vraagt een geldbehoefte op uw profiel. Vul bij ‘Wat het initiatief nodig heeft’ in "
            "waar u geld voor nodig hebt."
        ),
        "needs",
    )


def _complete(profile: ProfileSnapshot) -> Check:
    if not profile.has_handprint:
        return Check(
            "complete",
            False,
            _("Uw profiel heeft nog geen Social Handprint: voeg de activiteiten van uw initiatief toe."),
            "activities",
        )
    if profile.missing:
        return Check(
            "complete",
            False,
            _("Uw profiel is nog niet volledig. Vul nog in: %(missing)s.") % {"missing": ", ".join(profile.missing)},
            "profile",
        )
    return Check("complete", True, _("Uw profiel is volledig en heeft een Social Handprint."))


def _earlier_award(history: list[Award], criteria: RoundCriteria, today: date) -> Check:
    # Blocked from the award day up to the same day 12 months later, that day itself free again.
    recent = sorted(
        (
            a
            for a in history
            if a.fund == criteria.fund and a.awarded_on <= today < add_months(a.awarded_on, YEAR_BLOCK_MONTHS)
        ),
        key=lambda a: a.awarded_on,
    )
    if not recent:
        return Check("earlier_award", True, _("Uw initiatief kreeg de afgelopen 12 maanden geen Impuls uit dit fonds."))
    last = recent[-1]
    again = add_months(last.awarded_on, YEAR_BLOCK_MONTHS)
    return Check(
        "earlier_award",
        False,
        _(
            "Uw initiatief kreeg op %(on)s een Impuls uit dit fonds (%(round)s). U kunt weer een aanvraag doen "
            "vanaf %(again)s."
        )
        % {"on": _day(last.awarded_on), "round": last.round_title, "again": _day(again)},
    )


def _accountability(history: list[Award], today: date) -> Check:
    overdue = sorted(
        (a for a in history if a.accounted_on is None and a.accountability_due_on and a.accountability_due_on < today),
        key=lambda a: a.accountability_due_on,
    )
    if not overdue:
        return Check(
            "accountability",
            True,
            _("Uw initiatief heeft geen verantwoording openstaan waarvan de termijn voorbij is."),
        )
    first = overdue[0]
    return Check(
        "accountability",
        False,
        _(
            "De verantwoording van uw Impuls uit %(round)s had uiterlijk %(due)s binnen moeten zijn. Vul die eerst "
            "in; daarna kunt u een nieuwe aanvraag doen."
        )
        % {"round": first.round_title, "due": _day(first.accountability_due_on)},
        "accountability",
    )


def _identity(profile: ProfileSnapshot) -> Check:
    if profile.has_kvk_number:
        return Check("identity", True, _("Uw profiel vermeldt een KvK-nummer."))
    return Check(
        "identity",
        True,
        _(
            "Uw profiel vermeldt geen KvK-nummer. U kunt toch aanvragen; wij vragen u dan om een "
            "identiteitscontrole voordat wij uitbetalen."
        ),
        "kvk_number",
    )


def _commitment(profile: ProfileSnapshot, c: CommitmentCriteria, names) -> CommitmentResult:
    reasons = []
    if c.sdgs and not (profile.handprint_sdgs & c.sdgs):
        reasons.append(_("%(funder)s vraagt waarde op SDG %(sdgs)s.") % {"funder": c.funder, "sdgs": _sdg_list(c.sdgs)})
    if c.municipality_codes and profile.municipality_code not in c.municipality_codes:
        reasons.append(
            _("%(funder)s geeft alleen in %(places)s.")
            % {"funder": c.funder, "places": _listed(sorted(_name(m, names) for m in c.municipality_codes))}
        )
    if c.legal_forms and profile.legal_form not in c.legal_forms:
        forms = _listed(sorted(str(LegalForm(f).label).lower() if f in LegalForm.values else f for f in c.legal_forms))
        reasons.append(
            _("%(funder)s geeft alleen aan deze rechtsvormen: %(forms)s.") % {"funder": c.funder, "forms": forms}
        )
    return CommitmentResult(c.id, c.funder, not reasons, tuple(reasons))


def _funders(commitments: tuple[CommitmentResult, ...]) -> Check:
    eligible = [c.funder for c in commitments if c.eligible]
    if eligible:
        return Check(
            "funders",
            True,
            _("Uw initiatief past bij de voorwaarden van %(funders)s.") % {"funders": _listed(eligible)},
        )
    return Check(
        "funders",
        False,
        _("Uw initiatief past bij geen van de financiers van deze ronde: %(why)s")
        % {"why": " ".join(r for c in commitments for r in c.reasons)},
    )


def _day(d: date) -> str:
    return date_format(d, "j F Y")  # "15 maart 2026", in the active language


# --- a round whose criteria contradict themselves ------------------------------------------------------------


@dataclass(frozen=True)
class Contradiction:
    commitment_id: int | None
    field: str  # "sdgs", "municipality_codes", "legal_forms", "min_phase"
    message: str


def contradictions(criteria: RoundCriteria, names: Mapping[str, str] | None = None) -> list[Contradiction]:
    """What in ``criteria`` can never be met or is dead letter: a commitment asking an SDG or a municipality
    the round itself excludes, an unknown legal form or phase. Empty: the criteria are consistent. A fund
    manager's form shows these as errors; a round with contradictions is not opened."""
    names = names or {}
    found = []
    if criteria.min_phase not in Phase.values:
        found.append(Contradiction(None, "min_phase", _("Kies een bestaande fase als minimum.")))
    for c in criteria.commitments:
        if criteria.sdgs and c.sdgs - criteria.sdgs:
            found.append(
                Contradiction(
                    c.id,
                    "sdgs",
                    _("%(funder)s vraagt SDG %(outside)s, maar de ronde staat alleen SDG %(round)s toe.")
                    % {
                        "funder": c.funder,
                        "outside": _sdg_list(c.sdgs - criteria.sdgs),
                        "round": _sdg_list(criteria.sdgs),
                    },
                )
            )
        if criteria.municipality_codes and c.municipality_codes - criteria.municipality_codes:
            outside = _listed(sorted(_name(m, names) for m in c.municipality_codes - criteria.municipality_codes))
            found.append(
                Contradiction(
                    c.id,
                    "municipality_codes",
                    _("%(funder)s vraagt %(outside)s, maar die gemeenten vallen buiten de ronde.")
                    % {"funder": c.funder, "outside": outside},
                )
            )
        unknown = sorted(f for f in c.legal_forms if f not in LegalForm.values)
        if unknown:
            found.append(
                Contradiction(
                    c.id,
                    "legal_forms",
                    _("%(funder)s vraagt een onbekende rechtsvorm: %(forms)s.")
                    % {"funder": c.funder, "forms": _listed(unknown)},
                )
            )
    return found
