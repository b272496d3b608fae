"""The applicant's side of MAEX Impuls: the public round pages, the checklist, the short application with every
refusal keeping what was typed, the applicant's own application page, and isolation between portals and people."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from impuls import services
from impuls.forms import parse_cents
from impuls.models import Application, Commitment, Round
from impuls.selectors import award_history, held_by_commitment, profile_snapshot, round_budget
from tests.impuls.builders import TEXTS, commitment_ids, make_round
from tests.impuls.conftest import eligible_initiative
from tests.support import ROTTERDAM, count_queries, make_user

IBAN = "NL91ABNA0417164300"
IBAN_SHOWN = "NL91 ABNA 0417 1643 00"  # to the owners, in groups of four


def form(**overrides) -> dict:
    return {
        "amount": "1.250,50",
        "strengthens": "Een training in fondsenwerving voor onze zes vrijwilligers.",
        "cost_estimate": "Trainer 900 euro, zaalhuur 250, materiaal 100.",
        "covers_all": "ja",
        "coverage_plan": "",
        "iban": "nl91 abna 0417 1643 00",
        "account_holder": "Stichting Buurtmoestuin",
        **overrides,
    }


def apply_url(round, initiative) -> str:
    return f"/impuls/{round.slug}/aanvragen/{initiative.uuid}/"


def submit(round, initiative, owner, amount=100_000):
    with schema_context("zeeland"):
        return services.submit_application(
            round,
            initiative,
            owner,
            amount,
            **TEXTS,
            frozen_profile={"name": initiative.name},
            eligible_commitment_ids=commitment_ids(round),
            iban=IBAN,
            account_holder="Stichting",
        )


# --- amounts ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "cents"),
    [("1250", 125_000), ("1.250", 125_000), ("1.250,50", 125_050), ("1250,5", 125_050), ("€ 1250.05", 125_005)],
)
def test_an_amount_as_typed_in_dutch_becomes_integer_cents(typed, cents):
    assert parse_cents(typed) == cents


@pytest.mark.parametrize("typed", ["", "abc", "12,345", "-5", "0", "1e3", "1250,505", "NaN"])
def test_an_amount_that_is_not_one_is_refused(typed):
    with pytest.raises(ValueError):
        parse_cents(typed)


# --- public pages -------------------------------------------------------------------------------------------


def test_the_impuls_page_lists_open_upcoming_and_closed_rounds_with_the_budget_left_and_vol(
    zeeland, client_for, open_round
):
    # Given an open round, an upcoming one, and a closed one, plus an open round whose budget is used up
    now = timezone.now()
    with schema_context("zeeland"):
        make_round(400_000, title="Najaarsronde", opens_at=now + timedelta(days=30), closes_at=now + timedelta(days=37))
        make_round(400_000, title="Winterronde", opens_at=now - timedelta(days=60), closes_at=now - timedelta(days=53))
        full = make_round(60_000, title="Kleine ronde")
    owner = make_user()
    initiative, _ = eligible_initiative(owner)
    submit(full, initiative, owner, 50_000)  # € 100 left, less than the minimum of € 500
    # When anyone opens /impuls/
    response = client_for(zeeland).get("/impuls/")
    # Then each round is in its section, the budget left is text and a bar, and the used-up round says "vol"
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Voorjaarsronde") < html.index("Najaarsronde") < html.index("Winterronde")
    assert "Nog € 8.000 van € 8.000 beschikbaar (100%)" in html
    assert '<progress max="800000" value="800000"' in html
    assert "Nog € 100 van € 600 beschikbaar" in html
    assert ">vol</span>" in html and "het budget is op" in html


def test_the_impuls_page_makes_the_same_number_of_queries_for_one_round_or_many(zeeland, client_for, open_round):
    client = client_for(zeeland)
    client.get("/impuls/")  # the portal's settings and menu, cached after the first page
    few, _ = count_queries(client, "/impuls/")
    with schema_context("zeeland"):
        for _k in range(4):
            make_round(100_000, 200_000)
    many, _ = count_queries(client, "/impuls/")
    assert many == few
    assert few <= 12


def test_the_round_page_shows_criteria_funders_and_the_awards_made_with_the_median_days_to_payout(
    zeeland, client_for, open_round
):
    # Given two awards in the round, one of them paid out
    owner = make_user()
    first, _ = eligible_initiative(owner)
    second, _ = eligible_initiative(owner)
    a = submit(open_round, first, owner, 200_000)
    b = submit(open_round, second, owner, 100_000)
    with schema_context("zeeland"):
        payout = services.approve(a, amount_cents=150_000, due_on=date(2026, 12, 31))
        services.approve(b, amount_cents=100_000, due_on=date(2026, 12, 31))
        services.mark_paid(payout, paid_on=timezone.localdate() + timedelta(days=9))
        Commitment.objects.filter(round=open_round).update(sdgs=[11])  # a funder's own criterion
    # When anyone opens the round's page
    client = client_for(zeeland)
    client.get(f"/impuls/{open_round.slug}/")  # the portal's settings and menu, cached after the first page
    queries, response = count_queries(client, f"/impuls/{open_round.slug}/")
    html = response.content.decode()
    # Then it shows the purpose, the criteria in words, the funders with their own criteria, the awards (linked,
    # amount, funders) and the median days; never an IBAN
    assert "Versterking van de organisatie." in html
    assert "ten minste in de doorgroeifase" in html
    assert "alleen SDG 11" in html
    assert f'href="{first.absolute_url(zeeland)}"' in html
    assert "€ 1.500" in html and "€ 1.000" in html
    assert "Fonds" in html
    assert "(mediaan) 9 dagen" in html
    assert "NL91" not in html
    # And the count of queries does not grow with the number of awards
    third, _ = eligible_initiative(owner)
    with schema_context("zeeland"):
        services.approve(submit(open_round, third, owner, 50_000), amount_cents=50_000, due_on=date(2026, 12, 31))
    assert count_queries(client, f"/impuls/{open_round.slug}/")[0] == queries
    assert queries <= 15


def test_a_visitor_is_asked_to_sign_in_in_one_sentence_with_the_link_in_it_in_dutch_and_in_english(
    zeeland, client_for, open_round
):
    # (one sentence to translate: the link's words belong to it)
    visitor = client_for(zeeland)
    html = visitor.get(f"/impuls/{open_round.slug}/").content.decode()
    link = f"?process=login&amp;next=/impuls/{open_round.slug}/"
    assert f'{link}">Log in</a> om te zien of uw initiatief mee kan doen.' in html
    visitor.cookies["django_language"] = "en"
    html = visitor.get(f"/impuls/{open_round.slug}/").content.decode()
    assert f'{link}">Sign in</a> to see whether your initiative can take part.' in html


def test_a_round_of_another_portal_is_not_reachable(zeeland, rotterdam, client_for, open_round, applicant):
    owner, initiative = applicant
    application = submit(open_round, initiative, owner)
    elsewhere = client_for(rotterdam, owner)  # even for the applicant, on another portal's host
    assert elsewhere.get(f"/impuls/{open_round.slug}/").status_code == 404
    assert open_round.title not in elsewhere.get("/impuls/").content.decode()
    assert elsewhere.get(apply_url(open_round, initiative)).status_code == 404
    assert elsewhere.get(f"/impuls/{open_round.slug}/aanvraag/{application.number}/").status_code == 404


# --- the checklist ------------------------------------------------------------------------------------------


def test_a_signed_in_owner_sees_per_initiative_what_passes_and_what_fails_with_a_link_to_fix_it(
    zeeland, client_for, open_round, applicant
):
    owner, initiative = applicant
    early, _ = eligible_initiative(owner, phase="start")
    response = client_for(zeeland, owner).get(f"/impuls/{open_round.slug}/")
    html = response.content.decode()
    ready = html[html.index(f'data-uuid="{initiative.uuid}"') :]
    ready = ready[: ready.index("</article>")]
    assert 'data-eligible="ja"' in ready and 'data-passed="nee"' not in ready
    assert apply_url(open_round, initiative) in ready
    not_yet = html[html.index(f'data-uuid="{early.uuid}"') :]
    not_yet = not_yet[: not_yet.index("</article>")]
    assert 'data-eligible="nee"' in not_yet
    assert 'data-check="phase" data-passed="nee"' in not_yet
    assert "Startfase" in not_yet or "startfase" in not_yet
    assert early.absolute_url(zeeland, "bewerken/") in not_yet
    assert apply_url(open_round, early) not in html


def test_the_round_page_makes_as_many_queries_for_an_owner_of_many_initiatives_as_for_one(
    zeeland, client_for, open_round, applicant
):
    # Given an owner of one eligible initiative, who has seen the round page once
    owner, _initiative = applicant
    client = client_for(zeeland, owner)
    client.get(f"/impuls/{open_round.slug}/")
    one, _ = count_queries(client, f"/impuls/{open_round.slug}/")
    # When they own four more (one of them without a money need)
    for n in range(3):
        eligible_initiative(owner, name=f"Nog een initiatief {n}")
    eligible_initiative(owner, phase="start", name="Een jong initiatief")
    many, response = count_queries(client, f"/impuls/{open_round.slug}/")
    # Then the page shows five checklists with the same number of queries
    assert response.content.decode().count('data-eligible="') == 5
    assert many == one, f"{one} queries with one initiative, {many} with five"


def test_an_initiative_without_needs_is_told_what_to_fill_in_on_the_round_page_and_the_form(
    zeeland, client_for, open_round, owner
):
    # Given an initiative whose profile lacks its needs (a label translated lazily)
    initiative, _ = eligible_initiative(owner)
    with schema_context("zeeland"):
        initiative.needs.all().delete()
    client = client_for(zeeland, owner)
    # Then the round page and the form say what is missing, instead of failing
    for url in (f"/impuls/{open_round.slug}/", apply_url(open_round, initiative)):
        response = client.get(url)
        assert response.status_code == 200
        assert "Uw profiel is nog niet volledig. Vul nog in: wat het initiatief nodig heeft." in (
            response.content.decode()
        )


def test_the_profile_snapshot_and_the_award_history_read_the_profile_and_this_portals_awards(
    zeeland, open_round, applicant
):
    owner, initiative = applicant
    with schema_context("zeeland"):
        snapshot = profile_snapshot(initiative)
    assert snapshot.phase == "doorgroei" and "geld" in snapshot.need_kinds
    assert snapshot.municipality_code == "GM0718" and snapshot.has_handprint and not snapshot.missing
    assert not snapshot.has_kvk_number  # and the KvK number is not counted as missing: the ID check covers it
    application = submit(open_round, initiative, owner)
    with schema_context("zeeland"):
        assert award_history(initiative.uuid) == []
        payout = services.approve(application, amount_cents=100_000, due_on=date(2026, 12, 31))
        services.mark_paid(payout, paid_on=date(2026, 12, 20))
        (award,) = award_history(initiative.uuid)
    assert award.fund == "zeeland" and award.round_title == "Voorjaarsronde"
    assert award.accountability_due_on == date(2027, 4, 20) and award.accounted_on is None


# --- the application ----------------------------------------------------------------------------------------


def test_an_owner_applies_the_profile_is_frozen_and_the_amount_reserved_at_once(
    zeeland, client_for, open_round, applicant
):
    owner, initiative = applicant
    with schema_context("zeeland"):
        open_round.application_questions = [{"label": "Hoeveel vrijwilligers doen mee?", "required": True}]
        open_round.save()
    client = client_for(zeeland, owner)
    assert client.get(apply_url(open_round, initiative)).status_code == 200
    response = client.post(apply_url(open_round, initiative), form(question_0="Zes."))
    assert response.status_code == 302, response.content.decode()[:3000]
    with schema_context("zeeland"):
        application = Application.objects.get(round=open_round, initiative_uuid=initiative.uuid)
        held = held_by_commitment(application)
        budget = round_budget(open_round)
    assert response["Location"] == f"/impuls/{open_round.slug}/aanvraag/{application.number}/"
    assert application.requested_cents == 125_050 and application.applicant == owner
    assert application.iban == IBAN and application.account_holder == "Stichting Buurtmoestuin"
    assert application.answers == {"Hoeveel vrijwilligers doen mee?": "Zes."}
    assert application.frozen_profile["name"] == initiative.name
    assert application.frozen_profile["phase"] == "doorgroei"
    assert application.frozen_profile["municipality"]["code"] == "GM0718"
    assert application.frozen_profile["valuation"]["handprint_sdgs"]
    assert application.eligibility["eligible"] is True
    assert sum(held.values()) == 125_050 and budget.reserved_cents == 125_050
    # And the application page shows it, with the split per funder
    page = client.get(response["Location"]).content.decode()
    assert "Ingediend" in page and "€ 1.250,50" in page and "Fonds" in page and IBAN_SHOWN in page


def _refused(client, url, data, status=400) -> str:
    response = client.post(url, data)
    assert response.status_code == status, response.content.decode()[:2000]
    html = response.content.decode()
    # what was typed stays
    assert "Een training in fondsenwerving voor onze zes vrijwilligers." in html
    assert 'value="Stichting Buurtmoestuin"' in html
    return html


def test_an_amount_outside_the_round_range_is_refused_with_the_range_and_keeps_the_input(
    zeeland, client_for, open_round, applicant
):
    owner, initiative = applicant
    html = _refused(client_for(zeeland, owner), apply_url(open_round, initiative), form(amount="3000"))
    assert "Vraag een bedrag van € 500 tot en met € 2.500." in html
    assert 'value="3000"' in html
    assert not Application.objects.exists()


def test_the_summary_of_a_refused_form_links_each_message_to_its_field_and_each_field_names_its_message(
    zeeland, client_for, open_round, applicant
):
    owner, initiative = applicant
    html = _refused(client_for(zeeland, owner), apply_url(open_round, initiative), form(amount="3000", covers_all=""))
    summary = html[html.index('id="form-errors"') : html.index("<form", html.index('id="form-errors"'))]
    assert '<a href="#id_amount">Vraag een bedrag van € 500 tot en met € 2.500.</a>' in summary
    assert '<a href="#id_covers_all_0">' in summary  # the first of the radio buttons: no single input to name
    # the amount's field says its message and the round's range to a screen reader; the radio group its message
    assert 'aria-describedby="id_amount_helptext id_amount_error"' in html
    assert 'id="id_amount_helptext">Van € 500 tot en met € 2.500.' in html
    assert '<fieldset aria-describedby="id_covers_all_error">' in html
    assert 'id="id_covers_all_error"' in html


def test_an_amount_that_is_not_a_number_is_refused(zeeland, client_for, open_round, applicant):
    owner, initiative = applicant
    html = _refused(client_for(zeeland, owner), apply_url(open_round, initiative), form(amount="veel"))
    assert "Vul een bedrag in euro in" in html


def test_too_many_words_a_missing_coverage_plan_and_a_wrong_iban_are_refused_next_to_their_fields(
    zeeland, client_for, open_round, applicant
):
    owner, initiative = applicant
    long = " ".join(["woord"] * 151)
    html = _refused(
        client_for(zeeland, owner),
        apply_url(open_round, initiative),
        form(cost_estimate=long, covers_all="nee", iban="NL91ABNA0417164301"),
    )
    assert "ten hoogste 150 woorden; u gebruikt er nu 151" in html
    assert "beschrijf hoe u de rest betaalt" in html
    assert "Dit IBAN klopt niet" in html
    with schema_context("zeeland"):
        assert not Application.objects.filter(round=open_round).exists()


def test_a_second_application_of_the_same_initiative_is_refused_with_a_link_to_the_first(
    zeeland, client_for, open_round, applicant
):
    owner, initiative = applicant
    first = submit(open_round, initiative, owner)
    html = _refused(client_for(zeeland, owner), apply_url(open_round, initiative), form())
    assert "Dit initiatief heeft al een aanvraag in deze ronde." in html
    assert f"/impuls/{open_round.slug}/aanvraag/{first.number}/" in html


def test_a_round_that_closed_meanwhile_refuses_and_keeps_the_input(zeeland, client_for, open_round, applicant):
    owner, initiative = applicant
    with schema_context("zeeland"):
        Round.objects.filter(pk=open_round.pk).update(
            opens_at=timezone.now() - timedelta(days=8), closes_at=timezone.now() - timedelta(minutes=1)
        )
    html = _refused(client_for(zeeland, owner), apply_url(open_round, initiative), form())
    assert "Deze ronde is gesloten" in html


def test_a_full_round_refuses_says_vol_and_keeps_the_input(zeeland, client_for, applicant):
    owner, initiative = applicant
    with schema_context("zeeland"):
        small = make_round(150_000)
    other, _ = eligible_initiative()
    with schema_context("zeeland"):
        services.submit_application(
            small,
            other,
            None,
            100_000,
            **TEXTS,
            frozen_profile={"name": other.name},
            eligible_commitment_ids=commitment_ids(small),
        )
    client = client_for(zeeland, owner)
    html = _refused(client, apply_url(small, initiative), form(amount="1000"))
    assert "Deze ronde is vol: er is niet genoeg budget meer voor dit bedrag." in html
    # And with the cap reached, the round says "vol" and the form is not offered
    with schema_context("zeeland"):
        Round.objects.filter(pk=small.pk).update(max_applications=1)
    page = client.get(f"/impuls/{small.slug}/").content.decode()
    assert "het maximum van 1 aanvraag is bereikt" in page
    assert apply_url(small, initiative) not in page
    assert "data-full" in client.get(apply_url(small, initiative)).content.decode()


def test_an_initiative_that_does_not_meet_the_criteria_is_refused_with_the_reasons(
    zeeland, client_for, open_round, owner
):
    early, _ = eligible_initiative(owner, phase="start")
    client = client_for(zeeland, owner)
    page = client.get(apply_url(open_round, early)).content.decode()
    assert '<form method="post" novalidate>' not in page and "fase" in page
    html = _refused(client, apply_url(open_round, early), form())
    assert "Dit initiatief voldoet niet aan de voorwaarden van deze ronde:" in html
    assert "Startfase" in html or "startfase" in html
    assert not Application.objects.exists()


def test_the_form_is_protected_by_csrf(zeeland, open_round, applicant):
    from django.test import Client

    owner, initiative = applicant
    client = Client(HTTP_HOST=zeeland.primary_host, enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.post(apply_url(open_round, initiative), form()).status_code == 403


def test_a_person_cannot_apply_for_an_initiative_they_do_not_own(zeeland, client_for, open_round, applicant):
    _owner, initiative = applicant
    stranger = client_for(zeeland, make_user())
    assert stranger.get(apply_url(open_round, initiative)).status_code == 404
    assert stranger.post(apply_url(open_round, initiative), form()).status_code == 404
    assert not Application.objects.exists()


def test_an_initiative_of_another_portal_cannot_apply_to_a_regional_round(zeeland, client_for, open_round, owner):
    elsewhere, _portal = eligible_initiative(owner, code=ROTTERDAM)
    client = client_for(zeeland, owner)
    assert client.get(apply_url(open_round, elsewhere)).status_code == 404


def test_on_the_national_portal_an_initiative_of_any_portal_applies_to_a_national_round(
    national, client_for, applicant
):
    owner, initiative = applicant  # lives in Zeeland
    with schema_context("landelijk"):
        national_round = make_round(500_000, title="Landelijke ronde")
    client = client_for(national, owner)
    page = client.get(f"/impuls/{national_round.slug}/").content.decode()
    assert apply_url(national_round, initiative) in page
    response = client.post(apply_url(national_round, initiative), form())
    assert response.status_code == 302, response.content.decode()[:3000]
    with schema_context("landelijk"):
        application = Application.objects.get(round=national_round)
    assert application.frozen_profile["portal"] == "zeeland"
    with schema_context("zeeland"):
        assert not Application.objects.exists()


# --- the applicant's own application ------------------------------------------------------------------------


def test_another_person_gets_404_for_an_application_and_never_sees_its_iban(zeeland, client_for, open_round, applicant):
    owner, initiative = applicant
    application = submit(open_round, initiative, owner)
    url = f"/impuls/{open_round.slug}/aanvraag/{application.number}/"
    stranger = client_for(zeeland, make_user())
    assert stranger.get(url).status_code == 404
    assert stranger.post(url + "intrekken/").status_code == 404
    assert client_for(zeeland).get(url).status_code == 302  # to sign in
    assert IBAN_SHOWN in client_for(zeeland, owner).get(url).content.decode()
    assert "NL91" not in client_for(zeeland, owner).get(f"/impuls/{open_round.slug}/").content.decode()


def test_the_applicant_answers_a_question_and_withdraws_which_releases_the_reservation(
    zeeland, client_for, open_round, applicant
):
    owner, initiative = applicant
    application = submit(open_round, initiative, owner)
    with schema_context("zeeland"):
        question = services.ask_question(application, text="Wie geeft de training?")
    client = client_for(zeeland, owner)
    url = f"/impuls/{open_round.slug}/aanvraag/{application.number}/"
    page = client.get(url).content.decode()
    assert "Vraag gesteld" in page and "Wie geeft de training?" in page
    # An empty answer is refused on the page
    assert client.post(f"{url}vragen/{question.pk}/", {"answer": ""}).status_code == 400
    response = client.post(f"{url}vragen/{question.pk}/", {"answer": "Een trainer van de vrijwilligerscentrale."})
    assert response.status_code == 302
    with schema_context("zeeland"):
        application.refresh_from_db()
        assert application.state == Application.State.SUBMITTED
    assert "Een trainer van de vrijwilligerscentrale." in client.get(url).content.decode()
    assert client.post(f"{url}intrekken/").status_code == 302
    with schema_context("zeeland"):
        application.refresh_from_db()
        assert application.state == Application.State.WITHDRAWN
        assert round_budget(open_round).reserved_cents == 0
    # Withdrawing twice says so, without a 500
    assert client.post(f"{url}intrekken/", follow=True).status_code == 200


def test_mijn_maex_lists_the_persons_applications_in_this_portal(zeeland, rotterdam, client_for, open_round, applicant):
    owner, initiative = applicant
    application = submit(open_round, initiative, owner)
    html = client_for(zeeland, owner).get("/mijn-maex/").content.decode()
    assert f"/impuls/{open_round.slug}/aanvraag/{application.number}/" in html and "Ingediend" in html
    assert "Impuls-aanvragen" not in client_for(rotterdam, owner).get("/mijn-maex/").content.decode()


def test_a_funders_logo_comes_from_its_partner_page_with_a_bounded_number_of_queries(
    zeeland, client_for, open_round, settings, tmp_path
):
    import io

    from django.core.files.images import ImageFile
    from PIL import Image
    from wagtail.images import get_image_model

    from tests.cms.conftest import Pages

    settings.MEDIA_ROOT = tmp_path
    pages = Pages()
    index = pages.partner_index(zeeland)
    with schema_context("zeeland"):
        buffer = io.BytesIO()
        Image.new("RGB", (40, 20), "#336699").save(buffer, format="PNG")
        logo = get_image_model().objects.create(title="Logo", file=ImageFile(buffer, name="logo.png"))
    partner = pages.partner(zeeland, "VSBfonds", index, role="impuls", logo=logo)
    with schema_context("zeeland"):
        funder = open_round.commitments.order_by("id").first().funder
        funder.partner_page = partner
        funder.save()
    client = client_for(zeeland)
    client.get("/impuls/")  # the portal's settings, the menu and the logo's rendition, made once
    one, response = count_queries(client, "/impuls/")
    html = response.content.decode()
    assert f'alt="{funder.name}"' in html and "<img" in html
    assert '/partners/vsbfonds/"' in html
    with schema_context("zeeland"):
        for _k in range(3):
            other = make_round(100_000)
            first = other.commitments.first()
            first.funder.partner_page = partner
            first.funder.save()
    client.get("/impuls/")
    assert count_queries(client, "/impuls/")[0] == one
    assert f'alt="{funder.name}"' in client.get(f"/impuls/{open_round.slug}/").content.decode()


def test_a_round_in_kind_asks_a_quantity_of_its_unit_and_no_bank_account(zeeland, client_for, applicant):
    owner, initiative = applicant
    with schema_context("zeeland"):
        hours = make_round(4_000, kind="natura", unit="uren deskundige", min_cents=500, max_cents=2_000)
    client = client_for(zeeland, owner)
    page = client.get(apply_url(hours, initiative)).content.decode()
    assert "Gevraagde hoeveelheid (uren deskundige)" in page and 'name="iban"' not in page
    response = client.post(apply_url(hours, initiative), form(amount="12,5", iban="", account_holder=""))
    assert response.status_code == 302, response.content.decode()[:3000]
    with schema_context("zeeland"):
        application = Application.objects.get(round=hours)
    assert application.requested_cents == 1_250 and application.iban == ""
    assert "12,5 uren deskundige" in client.get(response["Location"]).content.decode()
    assert "Nog 27,5 uren deskundige van 40 uren deskundige beschikbaar" in client.get("/impuls/").content.decode()


def test_submitting_is_rate_limited_per_person(zeeland, client_for, open_round, applicant):
    owner, initiative = applicant
    client = client_for(zeeland, owner)
    for _k in range(20):
        assert client.post(apply_url(open_round, initiative), form(amount="veel")).status_code == 400
    assert client.post(apply_url(open_round, initiative), form()).status_code == 429
    assert not Application.objects.exists()


def test_an_upcoming_round_shows_when_it_opens_and_offers_no_form(zeeland, client_for, applicant):
    owner, initiative = applicant
    now = timezone.now()
    with schema_context("zeeland"):
        later = make_round(400_000, opens_at=now + timedelta(days=3), closes_at=now + timedelta(days=10))
    client = client_for(zeeland, owner)
    page = client.get(f"/impuls/{later.slug}/").content.decode()
    assert "Opent op" in page and "Deze ronde is nog niet open." in page
    assert apply_url(later, initiative) not in page
    assert "Deze ronde is niet open" in client.get(apply_url(later, initiative)).content.decode()
    html = _refused(client, apply_url(later, initiative), form())
    assert "Deze ronde is gesloten" in html or "niet open" in html
