"""Who may apply to an Impuls round (docs/decisions/0025): every criterion passes and fails, the 12-month rule
on its exact boundary, overdue accountability, funders' own criteria and contradicting criteria."""

from dataclasses import replace
from datetime import date

import pytest
from django.utils import translation

from impuls.eligibility import (
    FIXES,
    Award,
    CommitmentCriteria,
    ProfileSnapshot,
    RoundCriteria,
    check,
    contradictions,
    handprint_sdgs,
)

VLISSINGEN, MIDDELBURG, VEERE = "GM0718", "GM0687", "GM0717"
NAMES = {VLISSINGEN: "Vlissingen", MIDDELBURG: "Middelburg", VEERE: "Veere"}
TODAY = date(2026, 3, 15)

PROFILE = ProfileSnapshot(
    municipality_code=VLISSINGEN,
    municipality_name="Vlissingen",
    phase="doorgroei",
    handprint_sdgs=frozenset({3, 11}),
    declared_sdgs=frozenset({3, 11, 15}),
    need_kinds=frozenset({"geld", "vrijwilligers"}),
    legal_form="stichting",
    has_kvk_number=True,
)
VSB = CommitmentCriteria(id=1, funder="VSBfonds")
BANK = CommitmentCriteria(id=2, funder="Rabobank", sdgs=frozenset({11}), municipality_codes=frozenset({VLISSINGEN}))
ROUND = RoundCriteria(
    fund="zeeland",
    municipality_codes=frozenset({VLISSINGEN, MIDDELBURG}),
    sdgs=frozenset({3, 11}),
    min_phase="doorgroei",
    needs_money_need=True,
    id_check_without_kvk=True,
    commitments=(VSB, BANK),
)


def _award(**kw) -> Award:
    return Award(
        **{
            "fund": "zeeland",
            "round_title": "Impuls voorjaar 2025",
            "awarded_on": date(2025, 1, 10),
            "accountability_due_on": date(2025, 6, 1),
            "accounted_on": date(2025, 5, 20),
            **kw,
        }
    )


def _result(profile=PROFILE, history=(), criteria=ROUND, today=TODAY):
    with translation.override("nl"):
        return check(profile, history, criteria, today, NAMES)


def _check(result, key):
    return next(c for c in result.checks if c.key == key)


def test_an_initiative_meeting_every_criterion_is_eligible_for_every_matching_funder():
    # Given a complete profile in Vlissingen, phase doorgroei, value on SDG 3 and 11, a money need, a KvK number
    result = _result(history=[_award()])
    # Then every check passes and both funders match
    assert result.eligible
    assert [c.key for c in result.checks] == [
        "area",
        "phase",
        "sdgs",
        "money_need",
        "complete",
        "earlier_award",
        "accountability",
        "identity",
        "funders",
    ]
    assert result.eligible_commitment_ids == (1, 2)
    assert not result.id_check_needed
    assert all(c.reason for c in result.checks)
    assert result.as_json()["eligible"] is True


def test_outside_the_rounds_municipalities_fails_with_the_names():
    result = _result(replace(PROFILE, municipality_code=VEERE, municipality_name="Veere"))
    area = _check(result, "area")
    assert not result.eligible and not area.passed
    assert area.reason == "Uw initiatief is actief in Veere; deze ronde is alleen voor Middelburg en Vlissingen."
    assert area.fix == "municipality"


def test_a_round_without_municipalities_is_open_to_the_whole_area():
    result = _result(replace(PROFILE, municipality_code=VEERE), criteria=replace(ROUND, municipality_codes=frozenset()))
    assert _check(result, "area").passed


@pytest.mark.parametrize(
    ("phase", "passed"), [("idee", False), ("start", False), ("doorgroei", True), ("volwassen", True)]
)
def test_the_phase_must_be_the_minimum_or_later(phase, passed):
    check_ = _check(_result(replace(PROFILE, phase=phase)), "phase")
    assert check_.passed is passed
    assert check_.fix == ("" if passed else "phase")


def test_an_unknown_phase_does_not_count_as_far_enough():
    # Given an initiative registered before the phase was asked
    check_ = _check(_result(replace(PROFILE, phase="")), "phase")
    # Then it fails with a reason that asks for the phase, not one that says it is too early
    assert not check_.passed
    assert "vermeldt nog niet in welke fase" in check_.reason
    assert "Doorgroeifase" in check_.reason
    assert check_.fix == "phase"


def test_a_lower_minimum_phase_lets_a_starting_initiative_in():
    assert _check(_result(replace(PROFILE, phase="start"), criteria=replace(ROUND, min_phase="start")), "phase").passed


def test_sdgs_count_by_the_social_handprint_not_by_ticking():
    # Given an initiative that ticked SDG 3 but whose activities deliver value only on SDG 15
    profile = replace(PROFILE, handprint_sdgs=frozenset({15}), declared_sdgs=frozenset({3, 15}))
    sdgs = _check(_result(profile), "sdgs")
    # Then the SDG check fails and says why, pointing at the activities
    assert not sdgs.passed
    assert "U hebt SDG 3 aangevinkt" in sdgs.reason
    assert sdgs.fix == "activities"


def test_no_value_and_nothing_ticked_on_the_rounds_sdgs_fails():
    profile = replace(PROFILE, handprint_sdgs=frozenset({15}), declared_sdgs=frozenset({15}))
    sdgs = _check(_result(profile), "sdgs")
    assert not sdgs.passed
    assert "SDG 3 en 11" in sdgs.reason


def test_a_round_without_sdgs_is_open_to_any():
    profile = replace(PROFILE, handprint_sdgs=frozenset())
    assert _check(_result(profile, criteria=replace(ROUND, sdgs=frozenset())), "sdgs").passed


def test_a_money_need_is_required_when_the_round_asks_for_it():
    profile = replace(PROFILE, need_kinds=frozenset({"vrijwilligers"}))
    need = _check(_result(profile), "money_need")
    assert not need.passed and need.fix == "needs"
    # And a round that does not ask has no such line
    result = _result(profile, criteria=replace(ROUND, needs_money_need=False))
    assert "money_need" not in [c.key for c in result.checks]
    assert result.eligible


def test_an_incomplete_profile_fails_and_names_what_is_missing():
    complete = _check(_result(replace(PROFILE, missing=("website", "telefoonnummer contactpersoon"))), "complete")
    assert not complete.passed
    assert complete.reason == "Uw profiel is nog niet volledig. Vul nog in: website, telefoonnummer contactpersoon."
    assert complete.fix == "profile"


def test_a_profile_without_a_social_handprint_fails():
    complete = _check(_result(replace(PROFILE, has_handprint=False)), "complete")
    assert not complete.passed and complete.fix == "activities"
    assert "Social Handprint" in complete.reason


def test_the_twelve_month_rule_on_its_exact_boundary():
    # Given an award from this fund on 15 March 2025
    history = [_award(awarded_on=date(2025, 3, 15))]
    # Then on 14 March 2026 the initiative may not apply, and the reason says from when it may
    day_before = _check(_result(history=history, today=date(2026, 3, 14)), "earlier_award")
    assert not day_before.passed
    assert "15 maart 2025" in day_before.reason and "vanaf 15 maart 2026" in day_before.reason
    assert day_before.fix == ""
    # And on 15 March 2026 it may
    assert _check(_result(history=history, today=date(2026, 3, 15)), "earlier_award").passed


def test_the_twelve_month_rule_from_29_february():
    # Given an award on 29 February 2028: blocked up to and including 28 February 2029
    history = [_award(awarded_on=date(2028, 2, 29))]
    assert not _check(_result(history=history, today=date(2029, 2, 27)), "earlier_award").passed
    assert _check(_result(history=history, today=date(2029, 2, 28)), "earlier_award").passed


def test_an_award_from_another_fund_does_not_block():
    history = [_award(fund="rotterdam", awarded_on=date(2026, 3, 1))]
    assert _check(_result(history=history), "earlier_award").passed


def test_overdue_accountability_blocks_whatever_the_fund():
    # Given an award from another portal's fund whose accountability was due yesterday and is not in
    history = [_award(fund="rotterdam", accountability_due_on=date(2026, 3, 14), accounted_on=None)]
    result = _result(history=history)
    accountability = _check(result, "accountability")
    # Then the initiative may not apply until it accounts for it
    assert not result.eligible and not accountability.passed
    assert "14 maart 2026" in accountability.reason
    assert accountability.fix == "accountability"


def test_accountability_due_today_or_not_yet_paid_out_is_not_overdue():
    due_today = [_award(fund="rotterdam", accountability_due_on=TODAY, accounted_on=None)]
    not_paid = [_award(fund="rotterdam", accountability_due_on=None, accounted_on=None)]
    accounted_late = [_award(fund="rotterdam", accountability_due_on=date(2026, 1, 1), accounted_on=date(2026, 2, 1))]
    for history in (due_today, not_paid, accounted_late):
        assert _check(_result(history=history), "accountability").passed


def test_without_a_kvk_number_an_id_check_is_needed_but_it_does_not_block():
    result = _result(replace(PROFILE, has_kvk_number=False))
    identity = _check(result, "identity")
    assert result.eligible and result.id_check_needed
    assert identity.passed and identity.fix == "kvk_number"
    assert "identiteitscontrole" in identity.reason
    # And a round that does not ask has no such line and needs no check
    result = _result(replace(PROFILE, has_kvk_number=False), criteria=replace(ROUND, id_check_without_kvk=False))
    assert "identity" not in [c.key for c in result.checks] and not result.id_check_needed


def test_a_funder_with_own_criteria_that_do_not_match_drops_out():
    # Given an initiative in Middelburg (in the round, not in Rabobank's municipalities)
    result = _result(replace(PROFILE, municipality_code=MIDDELBURG, municipality_name="Middelburg"))
    # Then it is eligible, only for VSBfonds, and Rabobank says why not
    assert result.eligible
    assert result.eligible_commitment_ids == (1,)
    bank = next(c for c in result.commitments if c.id == 2)
    assert bank.reasons == ("Rabobank geeft alleen in Vlissingen.",)


def test_funders_legal_form_and_sdg_criteria():
    foundations_only = CommitmentCriteria(id=3, funder="Provincie", legal_forms=frozenset({"stichting"}))
    sdg_11_only = CommitmentCriteria(id=4, funder="Bouwbedrijf", sdgs=frozenset({11}))
    criteria = replace(ROUND, commitments=(foundations_only, sdg_11_only))
    association = replace(PROFILE, legal_form="vereniging", handprint_sdgs=frozenset({3}))
    result = _result(association, criteria=criteria)
    # Then neither funder matches, so the initiative is not eligible, with both reasons
    funders = _check(result, "funders")
    assert not result.eligible and not funders.passed
    assert "Provincie geeft alleen aan deze rechtsvormen: stichting." in funders.reason
    assert "Bouwbedrijf vraagt waarde op SDG 11." in funders.reason


def test_every_failed_check_points_at_a_known_fix():
    profile = replace(
        PROFILE,
        municipality_code=VEERE,
        phase="",
        handprint_sdgs=frozenset(),
        need_kinds=frozenset(),
        missing=("website",),
    )
    result = _result(
        profile,
        history=[_award(awarded_on=date(2026, 1, 1), accountability_due_on=date(2026, 2, 1), accounted_on=None)],
    )
    assert len(result.failed) == 7
    assert {c.fix for c in result.checks} <= {*FIXES, ""}


def test_the_reasons_are_translated():
    with translation.override("en"):
        result = check(replace(PROFILE, phase=""), [], ROUND, TODAY, NAMES)
    # The English catalogue has every reason; the Dutch one is the source text
    assert "fase" not in _check(result, "phase").reason


def test_consistent_criteria_have_no_contradictions():
    assert contradictions(ROUND, NAMES) == []


def test_a_commitment_asking_an_sdg_the_round_excludes_contradicts_it():
    criteria = replace(ROUND, sdgs=frozenset({3}), commitments=(replace(BANK, municipality_codes=frozenset()),))
    with translation.override("nl"):
        found = contradictions(criteria, NAMES)
    assert [(c.commitment_id, c.field) for c in found] == [(2, "sdgs")]
    assert found[0].message == "Rabobank vraagt SDG 11, maar de ronde staat alleen SDG 3 toe."


def test_a_commitment_asking_municipalities_outside_the_round_contradicts_it():
    commitment = replace(VSB, municipality_codes=frozenset({VEERE, VLISSINGEN}))
    with translation.override("nl"):
        found = contradictions(replace(ROUND, commitments=(commitment,)), NAMES)
    assert [(c.commitment_id, c.field) for c in found] == [(1, "municipality_codes")]
    assert "Veere" in found[0].message and "Vlissingen" not in found[0].message


def test_unknown_legal_forms_and_phases_are_contradictions():
    commitment = replace(VSB, legal_forms=frozenset({"stichting", "nv"}))
    found = contradictions(replace(ROUND, min_phase="groot", commitments=(commitment,)))
    assert [(c.commitment_id, c.field) for c in found] == [(None, "min_phase"), (1, "legal_forms")]


def test_a_round_open_to_everything_never_contradicts_a_funder():
    criteria = replace(ROUND, sdgs=frozenset(), municipality_codes=frozenset())
    assert contradictions(criteria) == []


def test_handprint_sdgs_are_those_with_value():
    assert handprint_sdgs({"3": "1200.50", "11": "0", "15": "0.00", "4": 10}) == frozenset({3, 4})
