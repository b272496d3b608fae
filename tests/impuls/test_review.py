"""The review queue of Impuls applications in a portal's admin: who sees which application, and the decisions
(approve, possibly lower; reject with a reason; ask a question), each mailed to the applicant and on the
application's audit trail (docs/decisions/0027)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from impuls import review
from impuls.models import Application, FunderReviewer, LedgerEntry, Payout
from impuls.selectors import reconcile
from tests.impuls.builders import make_round
from tests.impuls.conftest import APPLICATIONS, PAYOUTS, REPORT
from tests.impuls.review_builders import apply
from tests.support import make_user, with_role

AMS = ZoneInfo("Europe/Amsterdam")


def _url(application) -> str:
    return f"{APPLICATIONS}{application.pk}/"


def test_the_queue_lists_applications_in_arrival_order_and_filters_by_round_and_state(
    zeeland, manager_client, applicant_user
):
    # Given two rounds in Zeeland, the first with three applications, one of which got a question
    with schema_context("zeeland"):
        first, second = make_round(1_000_000), make_round(1_000_000)
        a1 = apply(first, applicant_user, name="Eerste Aanvrager")
        a2 = apply(first, applicant_user, name="Tweede Aanvrager")
        a3 = apply(first, applicant_user, name="Derde Aanvrager")
        other = apply(second, applicant_user, name="Andere Ronde")
        review.ask(a2, text="Wat kost de trainer?", portal=zeeland, by=None)
    # When the fund manager opens the queue of the first round
    page = manager_client.get(APPLICATIONS, {"round": first.pk}).content.decode()
    # Then the first round's applications are listed in the order they arrived, and not the other round's
    positions = [page.index(name) for name in ("Eerste Aanvrager", "Tweede Aanvrager", "Derde Aanvrager")]
    assert positions == sorted(positions)
    assert "Andere Ronde" not in page
    # And the state filter narrows it to the application with a question
    page = manager_client.get(APPLICATIONS, {"round": first.pk, "state": "question"}).content.decode()
    assert "Tweede Aanvrager" in page and "Eerste Aanvrager" not in page
    # And a filter that makes no sense shows the queue, not an error
    assert manager_client.get(APPLICATIONS, {"round": "abc", "state": "zzz"}).status_code == 200
    # And every application links to its page
    assert _url(a1) in manager_client.get(APPLICATIONS).content.decode()
    assert (a1.number, a2.number, a3.number, other.number) == (1, 2, 3, 1)


def test_the_application_page_shows_profile_eligibility_handprint_split_and_audit_trail(
    zeeland, manager_client, applicant_user
):
    # Given an application of 1,000 euros, split over two funders of a round
    with schema_context("zeeland"):
        round = make_round(300_000, 100_000)
        application = apply(round, applicant_user, 100_000, name="Wijkkeuken Het Anker", social_value="48000.00")
    # When the fund manager opens it
    page = manager_client.get(_url(application)).content.decode()
    # Then it shows the frozen profile, the eligibility then, the handprint, the split and who submitted when
    assert "Wijkkeuken Het Anker" in page and "Vlissingen" in page
    assert "Actief in Vlissingen." in page
    assert "€ 48.000" in page and "SDG 11" in page and "€ 7.500" in page
    assert "€ 750" in page and "€ 250" in page  # pro rata to what each commitment has left: 3 : 1
    assert 'data-action="maex.impuls.submit"' in page
    # And the three decision forms
    assert page.count('name="action"') == 3


def test_approving_a_lower_amount_mails_the_applicant_with_the_split_and_due_date(
    zeeland, manager_client, applicant_user, sent
):
    with schema_context("zeeland"):
        round = make_round(300_000, 100_000, payout_working_days=10)
        application = apply(round, applicant_user, 200_000, name="Repair Café De Zeester")
    mail.outbox.clear()
    # When the fund manager approves 1.500 euros instead of the 2.000 asked
    with sent():
        response = manager_client.post(_url(application), {"action": "approve", "approve-amount": "1.500"})
    assert response.status_code == 302
    # Then the application is approved for 1,500 euros, with a payout due ten working days after today
    with schema_context("zeeland"):
        application.refresh_from_db()
        payout = Payout.objects.get(application=application)
        assert (application.state, application.awarded_cents, payout.amount_cents) == ("approved", 150_000, 150_000)
        assert payout.due_on == review.payout_due_on(round, application.decided_at)
        assert application.decided_by_id is not None
        assert reconcile(round) == []
    # And the applicant has a mail with the amount, the split per funder and the due date
    [message] = mail.outbox
    assert message.to == [applicant_user.email]
    assert "Toegekend" in message.subject
    assert "€ 1.500" in message.body and "€ 2.000" in message.body
    names = [c.funder.name for c in round.commitments.order_by("id")]
    assert f"{names[0]}: € 1.125" in message.body and f"{names[1]}: € 375" in message.body
    assert str(payout.due_on.year) in message.body
    assert zeeland.absolute_url("/") in message.body  # a link on the portal's own address
    # And the audit trail says who approved
    page = manager_client.get(_url(application)).content.decode()
    assert 'data-action="maex.impuls.approve"' in page


def test_the_decision_mail_is_in_the_applicants_language(zeeland, manager_client, sent):
    english = make_user()
    english.__class__.objects.filter(pk=english.pk).update(language="en")
    english.refresh_from_db()
    with schema_context("zeeland"):
        round = make_round(500_000)
        application = apply(round, english, 100_000)
    mail.outbox.clear()
    with sent():
        manager_client.post(_url(application), {"action": "approve", "approve-amount": "1000"})
    [message] = mail.outbox
    assert "Approved" in message.subject, message.subject


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("veel", "Geef een bedrag in euro"),
        ("2.500", "ten hoogste het gevraagde bedrag (€ 1.000)"),
        ("0", "Ken meer dan € 0 toe"),
        ("", "Geef het bedrag dat u toekent."),
    ],
)
def test_a_wrong_amount_gets_a_dutch_message_and_keeps_what_was_typed(
    zeeland, manager_client, applicant_user, typed, message
):
    with schema_context("zeeland"):
        round = make_round(500_000)
        application = apply(round, applicant_user, 100_000)
    mail.outbox.clear()
    response = manager_client.post(_url(application), {"action": "approve", "approve-amount": typed})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert f'value="{typed}"' in page or not typed
    assert mail.outbox == []
    with schema_context("zeeland"):
        assert Application.objects.get(pk=application.pk).state == "submitted"


def test_rejecting_needs_a_reason_and_mails_it(zeeland, manager_client, applicant_user, sent):
    with schema_context("zeeland"):
        round = make_round(500_000)
        application = apply(round, applicant_user, 100_000)
    mail.outbox.clear()
    # When the reason is missing, or "anders" without explanation
    response = manager_client.post(_url(application), {"action": "reject", "reject-reason_code": ""})
    assert response.status_code == 200 and "Kies een reden uit de lijst." in response.content.decode()
    response = manager_client.post(
        _url(application), {"action": "reject", "reject-reason_code": "anders", "reject-reason_text": " "}
    )
    assert "Bij de reden" in response.content.decode()
    assert mail.outbox == []
    # When rejected because it is for running costs
    with sent():
        response = manager_client.post(
            _url(application),
            {
                "action": "reject",
                "reject-reason_code": "versterking",
                "reject-reason_text": "Huur van de zaal is een vaste last.",
            },
        )
    assert response.status_code == 302
    # Then the reservation is released and the applicant reads the reason and the explanation
    with schema_context("zeeland"):
        application.refresh_from_db()
        assert (application.state, application.reason_code) == ("rejected", "versterking")
        assert round.commitments.get().reserved_cents == 0
        assert reconcile(round) == []
    [message] = mail.outbox
    assert "Niet voor versterking van de organisatie" in message.body
    assert "Huur van de zaal is een vaste last." in message.body


def test_asking_a_question_keeps_the_reservation_and_mails_the_question(zeeland, manager_client, applicant_user, sent):
    with schema_context("zeeland"):
        round = make_round(500_000)
        application = apply(round, applicant_user, 100_000)
    mail.outbox.clear()
    response = manager_client.post(_url(application), {"action": "question", "question-text": "   "})
    assert response.status_code == 200 and "Schrijf de vraag" in response.content.decode()
    with sent():
        response = manager_client.post(
            _url(application), {"action": "question", "question-text": "Wie geeft de training?"}
        )
    assert response.status_code == 302
    with schema_context("zeeland"):
        application.refresh_from_db()
        assert application.state == "question"
        assert round.commitments.get().reserved_cents == 100_000
    [message] = mail.outbox
    assert "Wie geeft de training?" in message.body
    assert "Wie geeft de training?" in manager_client.get(_url(application)).content.decode()


def test_a_decision_on_a_decided_application_gets_a_message_not_an_error(zeeland, manager_client, applicant_user):
    with schema_context("zeeland"):
        round = make_round(500_000)
        application = apply(round, applicant_user, 100_000)
        stale = Application.objects.get(pk=application.pk)
        review.reject(application, reason_code="budget", portal=zeeland, by=None)
    mail.outbox.clear()
    # The page no longer offers decisions; a POST from a page opened earlier gets a message
    assert 'name="action"' not in manager_client.get(_url(stale)).content.decode()
    response = manager_client.post(_url(stale), {"action": "approve", "approve-amount": "1000"})
    assert response.status_code == 200
    assert "Over deze aanvraag is al beslist" in response.content.decode()
    assert mail.outbox == []
    response = manager_client.post(_url(stale), {"action": "iets"})
    assert response.status_code == 302


# --- due dates ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("decided_at", "term", "due_on"),
    [
        # Friday before King's Day 2027 (Tuesday 27 April): Monday 26 is day 1, Wednesday 28 is day 2
        (datetime(2027, 4, 23, 16, 0, tzinfo=AMS), 2, date(2027, 4, 28)),
        # 00:30 on Christmas Eve in Amsterdam is still 23 December in UTC: counted from the 24th, Friday 25 and
        # Saturday 26 December 2026 are no working days, so Monday 28 is day 1
        (datetime(2026, 12, 24, 0, 30, tzinfo=AMS), 1, date(2026, 12, 28)),
        # Ten working days from 18 December 2026 skip Christmas (25, 26) and New Year's Day (Friday 1 January)
        (datetime(2026, 12, 18, 12, 0, tzinfo=AMS), 10, date(2027, 1, 5)),
    ],
)
def test_the_payout_is_due_the_rounds_term_in_working_days_after_the_dutch_decision_date(
    zeeland, applicant_user, decided_at, term, due_on
):
    with schema_context("zeeland"):
        round = make_round(500_000, payout_working_days=term)
        application = apply(round, applicant_user, 100_000)
        payout = review.approve(application, amount_cents=100_000, portal=zeeland, by=None, at=decided_at)
        assert payout.due_on == due_on


# --- who sees what -------------------------------------------------------------------------------------------------
def test_fund_managers_see_and_change_nothing_of_another_portals_rounds(
    zeeland, rotterdam, manager, manager_client, applicant_user, client_for
):
    # Given an application in Rotterdam and one in Zeeland
    with schema_context("rotterdam"):
        rotterdam_round = make_round(500_000)
        theirs = apply(rotterdam_round, applicant_user, 100_000, name="Rotterdams Initiatief")
    with schema_context("zeeland"):
        ours = apply(make_round(500_000), applicant_user, 100_000, name="Zeeuws Initiatief")
    # When Zeeland's fund manager looks at the queue and at Rotterdam's application's address in Zeeland's admin
    page = manager_client.get(APPLICATIONS).content.decode()
    assert "Zeeuws Initiatief" in page and "Rotterdams Initiatief" not in page
    if theirs.pk != ours.pk:
        assert manager_client.get(_url(theirs)).status_code == 404
        response = manager_client.post(_url(theirs), {"action": "approve", "approve-amount": "1000"})
        assert response.status_code == 404
    # And on Rotterdam's host, where they have no role, nothing
    on_rotterdam = client_for(rotterdam, manager)
    for url in (APPLICATIONS, _url(theirs), PAYOUTS, REPORT):
        assert on_rotterdam.get(url).status_code in (302, 403), url
    response = on_rotterdam.post(_url(theirs), {"action": "approve", "approve-amount": "1000"})
    assert response.status_code in (302, 403)
    # Then Rotterdam's application is untouched
    with schema_context("rotterdam"):
        assert Application.objects.get(pk=theirs.pk).state == "submitted"
        assert not LedgerEntry.objects.filter(application_id=theirs.pk, kind="award").exists()


def test_a_funder_reviewer_sees_and_decides_only_the_rounds_of_their_funders(zeeland, applicant_user, client_for):
    # Given two rounds, the first with a commitment of the reviewer's funder, the second without
    with schema_context("zeeland"):
        funded, other_round = make_round(500_000, 500_000), make_round(500_000)
        funder = funded.commitments.order_by("id").first().funder
        mine = apply(funded, applicant_user, 100_000, name="Gefinancierd Initiatief")
        not_mine = apply(other_round, applicant_user, 100_000, name="Ander Initiatief")
        person = with_role(make_user(), zeeland, "funder_reviewer")
        review.link_reviewer(FunderReviewer(user=person), [funder])
    client = client_for(zeeland, person)
    # Then the queue lists only the application of the funded round, and the round filter offers only it
    page = client.get(APPLICATIONS).content.decode()
    assert "Gefinancierd Initiatief" in page and "Ander Initiatief" not in page
    assert other_round.title not in page
    # And the other round's application is not found, also not for a decision
    assert client.get(_url(not_mine)).status_code == 404
    response = client.post(_url(not_mine), {"action": "reject", "reject-reason_code": "budget"})
    assert response.status_code == 404
    with schema_context("zeeland"):
        assert Application.objects.get(pk=not_mine.pk).state == "submitted"
    # And on their own round they decide (decision 0027)
    response = client.post(_url(mine), {"action": "question", "question-text": "Hoeveel deelnemers?"})
    assert response.status_code == 302
    # And they reach neither the payouts nor the rounds' settings, and the report shows only their funder
    assert client.get(PAYOUTS).status_code in (302, 403)
    assert client.get("/beheer/impuls/rondes/").status_code in (302, 403)
    report = client.get(REPORT).content.decode()
    assert funder.name in report
    assert other_round.commitments.get().funder.name not in report
    # And without a funder they see nothing
    with schema_context("zeeland"):
        FunderReviewer.objects.get(user=person).funders.clear()
    assert "Gefinancierd Initiatief" not in client.get(APPLICATIONS).content.decode()
    assert client.get(_url(mine)).status_code == 404


@pytest.mark.parametrize("role", [None, "editor"])
def test_applicants_and_editors_do_not_reach_the_review(zeeland, applicant_user, client_for, role):
    with schema_context("zeeland"):
        application = apply(make_round(500_000), applicant_user, 100_000)
    if role:
        with_role(applicant_user, zeeland, role)
    client = client_for(zeeland, applicant_user)
    for url in (APPLICATIONS, _url(application), PAYOUTS, REPORT, f"{REPORT}csv/", f"{REPORT}afdrukken/"):
        assert client.get(url).status_code in (302, 403), url
    response = client.post(_url(application), {"action": "approve", "approve-amount": "1000"})
    assert response.status_code in (302, 403)
    with schema_context("zeeland"):
        assert Application.objects.get(pk=application.pk).state == "submitted"


def test_fund_managers_add_a_funder_reviewer_by_email(zeeland, manager_client):
    with schema_context("zeeland"):
        round = make_round(500_000)
        funder = round.commitments.get().funder
    person = make_user()
    url = "/beheer/impuls/financierbeoordelaars/new/"
    # An unknown address gets a message and keeps what was typed
    response = manager_client.post(url, {"email": "niemand@example.org", "funders": [funder.pk]})
    assert response.status_code == 200
    assert "Er is geen account met dit e-mailadres" in response.content.decode()
    assert "niemand@example.org" in response.content.decode()
    # A known one becomes a funder reviewer of that funder, with the role
    response = manager_client.post(url, {"email": person.email.upper(), "funders": [funder.pk]})
    assert response.status_code == 302, response.content.decode()[:2000]
    with schema_context("zeeland"):
        reviewer = FunderReviewer.objects.get(user=person)
        assert list(reviewer.funders.all()) == [funder]
        assert review.visible_rounds(person.__class__.objects.get(pk=person.pk)).get() == round
    listing = manager_client.get("/beheer/impuls/financierbeoordelaars/").content.decode()
    assert person.email in listing and funder.name in listing


def test_removing_a_funder_reviewer_takes_the_role_away(zeeland, manager_client, applicant_user, client_for):
    with schema_context("zeeland"):
        round = make_round(500_000)
        apply(round, applicant_user, 100_000, name="Zichtbaar Initiatief")
        person = with_role(make_user(), zeeland, "funder_reviewer")
        reviewer = review.link_reviewer(FunderReviewer(user=person), [round.commitments.get().funder])
    assert "Zichtbaar Initiatief" in client_for(zeeland, person).get(APPLICATIONS).content.decode()
    response = manager_client.post(f"/beheer/impuls/financierbeoordelaars/delete/{reviewer.pk}/")
    assert response.status_code == 302
    with schema_context("zeeland"):
        assert not FunderReviewer.objects.filter(user=person).exists()
        assert not person.__class__.objects.get(pk=person.pk).has_perm("impuls.view_application")
