"""MAEX Impuls as its people live it, in a real Chromium against a real server (docs/decisions/0026-impuls-applicant-
side.md, 0027): the owner of an eligible initiative signs in, sees the checklist of an open round, applies (a
wrong amount first, then a right one, with JavaScript off), and sees the split per funder; a fund manager approves
in the review queue; the owner sees the award and its payout date, and the public round page lists it."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import dateformat, translation
from django_tenants.utils import schema_context
from playwright.sync_api import expect
from wagtail.models import ModelLogEntry

from accounts.services import delete_account
from accounts.sign_on import sync_sign_on_clients
from impuls.models import Application, Commitment, Funder, LedgerEntry, Payout, Round
from initiatives.models import Initiative
from national_index import projector
from national_index.models import ImpulsAward
from tests.browser.steps import check_accessibility, staff_sign_in
from tests.impuls.builders import make_round
from tests.impuls.conftest import eligible_initiative
from tests.live import WebServer
from tests.support import make_user, mfa_ready, with_role

pytestmark = pytest.mark.browser
PASSWORD = "een-lang-wachtwoord-123"
NATIONAL, ZEELAND = "maex.localhost", "zeeland.localhost"
NAME = "Buurtkeuken Impuls in de browser"
SLUG = "browserronde"


@pytest.fixture
def impuls_server(django_db_setup, django_db_blocker):
    """A server with threads for the back channel of one sign-in to itself, and every portal's client registered
    on its port (docs/decisions/0022-one-sign-in-across-portals.md)."""
    with django_db_blocker.unblock():
        server = WebServer(threads=4)
        with override_settings(LINK_PORT=server.port):
            sync_sign_on_clients()
    yield server
    server.stop()
    with django_db_blocker.unblock():
        sync_sign_on_clients()


def _world():
    """An open round in Zeeland with two funders, the owner of an eligible initiative, and a fund manager with an
    authenticator app."""
    from tenants.models import Portal

    zeeland = Portal.objects.get(schema_name="zeeland")
    with schema_context("zeeland"):
        round = make_round(500_000, 300_000, slug=SLUG, title="Browserronde", purpose="Versterking van de organisatie.")
        funders = set(round.commitments.values_list("funder__name", flat=True))
    owner = make_user(password=PASSWORD)
    initiative, _portal = eligible_initiative(owner, name=NAME)
    manager = with_role(make_user(password=PASSWORD), zeeland, "fund_manager")
    return round, funders, owner, initiative, manager, mfa_ready(manager)


def _remove_world() -> None:
    """Everything the test made, found by the round's slug and the initiative's name (so that a world half made
    goes too), including the ledger rows the database otherwise refuses to delete (``session_replication_role =
    replica`` skips that trigger; tests/impuls/test_races.py does the same)."""
    with schema_context("zeeland"), connection.cursor() as cursor:
        initiatives = Initiative.objects.filter(name=NAME)
        people = {o.user for i in initiatives for o in i.ownerships.all()}
        uuids = list(initiatives.values_list("uuid", flat=True))
        cursor.execute("SET session_replication_role = replica")
        try:
            rounds = list(Round.objects.filter(slug=SLUG).values_list("pk", flat=True))
            applications = [str(pk) for pk in Application.objects.filter(round__in=rounds).values_list("pk", flat=True)]
            funders = list(Commitment.objects.filter(round__in=rounds).values_list("funder_id", flat=True))
            LedgerEntry.objects.filter(round__in=rounds).delete()
            Payout.objects.filter(application__in=applications).delete()
            ModelLogEntry.objects.filter(content_type__app_label="impuls", object_id__in=applications).delete()
            Application.objects.filter(pk__in=applications).delete()
            ImpulsAward.objects.filter(portal__schema_name="zeeland", application_id__in=applications).delete()
            Commitment.objects.filter(round__in=rounds).delete()
            Round.objects.filter(pk__in=rounds).delete()
            Funder.objects.filter(pk__in=funders).delete()
            ModelLogEntry.objects.filter(
                object_id__in=[str(pk) for pk in initiatives.values_list("pk", flat=True)]
            ).delete()
            initiatives.delete()
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")
    for one in uuids:
        projector.forget(one)
    for person in people:
        delete_account(person)


def _sign_in_at_national(page, person) -> None:
    page.wait_for_url(f"**{NATIONAL}:*/account/login/**")
    page.fill("input[name=login]", person.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Inloggen", exact=True).click()


def _due_on(round):
    with schema_context("zeeland"):
        return Payout.objects.get(application__round=round).due_on


def _euros(text: str) -> int:
    """'€ 781,25' as cents."""
    digits = re.sub(r"[^\d,]", "", text)
    whole, _, part = digits.partition(",")
    return int(whole) * 100 + int((part or "0").ljust(2, "0"))


def test_an_owner_applies_a_fund_manager_approves_and_the_award_is_public(browser, impuls_server, committed):
    server = impuls_server
    committed.cleanup(_remove_world)
    round, funders, owner, initiative, manager, secret = committed(_world)
    committed.cleanup(delete_account, manager)
    context = browser.new_context()
    context.set_default_timeout(10_000)
    page = context.new_page()

    # Given the owner of an eligible initiative on Zeeland's Impuls page
    page.goto(server.url(ZEELAND, "/impuls/"))
    page.get_by_role("main").get_by_role("link", name="Browserronde").click()
    page.wait_for_url(server.url(ZEELAND, f"/impuls/{SLUG}/"))

    # When they sign in from the round page
    page.get_by_role("main").get_by_role("link", name="Log in", exact=True).click()
    _sign_in_at_national(page, owner)

    # Then they are back on the round page, and their initiative's checklist is all green
    page.wait_for_url(server.url(ZEELAND, f"/impuls/{SLUG}/"))
    checklist = page.locator(f".impuls-checklist[data-uuid='{initiative.uuid}']")
    assert checklist.get_attribute("data-eligible") == "ja"
    checks = checklist.locator("[data-check]")
    assert checks.count() > 3
    assert set(checks.evaluate_all("els => els.map(e => e.dataset.passed)")) == {"ja"}
    check_accessibility(page)

    # When they apply with an amount outside the round's range
    checklist.get_by_role("link", name="Aanvragen").click()
    page.wait_for_url(f"**/impuls/{SLUG}/aanvragen/{initiative.uuid}/")
    form = page.locator("main form")
    form.get_by_label("Gevraagd bedrag in euro").fill("5000")
    form.get_by_label("Wat versterkt dit bedrag aan uw organisatie?").fill("Een training voor onze vrijwilligers.")
    form.get_by_label("Kostenraming").fill("Trainer 900, zaal 350.")
    form.get_by_label("Ja", exact=True).check()
    form.get_by_label("IBAN").fill("NL91 ABNA 0417 1643 00")
    form.get_by_label("Tenaamstelling van de rekening").fill("Stichting Buurtkeuken")
    form.get_by_role("button", name="Aanvraag indienen").click()

    # Then the form comes back with a Dutch message at the field, what they typed kept, and a summary on top whose
    # link leads to the field
    message = "Vraag een bedrag van € 500 tot en met € 2.500."
    field_error = page.locator("#id_amount_error")
    expect(field_error).to_have_text(message)
    amount = page.get_by_label("Gevraagd bedrag in euro")
    assert amount.input_value() == "5000"
    assert page.get_by_label("Kostenraming").input_value() == "Trainer 900, zaal 350."
    assert field_error.get_attribute("id") in (amount.get_attribute("aria-describedby") or "").split()
    assert amount.get_attribute("aria-invalid") == "true"
    summary = page.get_by_role("alert")
    link = summary.get_by_role("link", name=message)
    assert link.get_attribute("href") == f"#{amount.get_attribute('id')}"
    # and the keyboard follows that link to the field
    link.focus()
    link.press("Enter")
    page.wait_for_url(f"**#{amount.get_attribute('id')}")
    check_accessibility(page)

    # When they correct the amount and send the form again, now in a browser without JavaScript
    quiet = browser.new_context(java_script_enabled=False, storage_state=context.storage_state())
    quiet.set_default_timeout(10_000)
    plain = quiet.new_page()
    plain.goto(page.url.split("#")[0])
    form = plain.locator("main form")
    form.get_by_label("Gevraagd bedrag in euro").fill("1.250")
    form.get_by_label("Wat versterkt dit bedrag aan uw organisatie?").fill("Een training voor onze vrijwilligers.")
    form.get_by_label("Kostenraming").fill("Trainer 900, zaal 350.")
    form.get_by_label("Ja", exact=True).check()
    form.get_by_label("IBAN").fill("NL91 ABNA 0417 1643 00")
    form.get_by_label("Tenaamstelling van de rekening").fill("Stichting Buurtkeuken")
    form.get_by_role("button", name="Aanvraag indienen").click()

    # Then they land on their own application page, with the amount reserved per funder
    plain.wait_for_url(f"**/impuls/{SLUG}/aanvraag/1/")
    assert "Uw aanvraag is ingediend" in plain.get_by_role("status").inner_text()
    assert plain.locator("[data-state]").inner_text() == "Ingediend"
    rows = plain.locator("table.impuls-split tbody tr")
    assert rows.count() == 2
    split = dict(rows.evaluate_all("rs => rs.map(r => [r.cells[0].innerText, r.cells[1].innerText])"))
    assert set(split) == funders
    assert sum(_euros(v) for v in split.values()) == 125_000
    page.goto(plain.url)  # the same session, with JavaScript for axe
    check_accessibility(page)

    # When a fund manager signs in to Zeeland's admin (password and authenticator code) and opens the queue
    admin = staff_sign_in(browser, server, ZEELAND, "/beheer/impuls/aanvragen/", manager.email, PASSWORD, secret)

    # Then the application is in it; they open it and approve the amount asked
    admin.get_by_role("main").get_by_role("link", name=re.compile("Browserronde")).first.click()
    admin.wait_for_url("**/beheer/impuls/aanvragen/**")
    approve = admin.locator("form", has=admin.locator("input[name=action][value=approve]"))
    assert approve.get_by_label("Toe te kennen bedrag (euro)").input_value() == "1250"
    approve.get_by_role("button", name="Toekennen").click()
    expect(admin.locator(".messages")).to_contain_text("Toegekend: € 1.250")
    assert admin.locator("[data-state]").first.inner_text() == "Toegekend"

    # Then the owner's page says so, with the date the payout is due at the latest
    plain.reload()
    assert plain.locator("[data-state]").inner_text() == "Toegekend"
    assert _euros(plain.locator("[data-awarded]").inner_text()) == 125_000
    with translation.override("nl"):
        due_on = dateformat.format(committed(_due_on, round), "j F Y")
    assert plain.get_by_text(f"Uiterlijk op {due_on}.").is_visible()

    # And a visitor sees the award on the public round page
    visitor = browser.new_context(java_script_enabled=False).new_page()
    visitor.goto(server.url(ZEELAND, f"/impuls/{SLUG}/"))
    awards = visitor.locator("section[aria-labelledby=toekenningen] tbody tr")
    assert awards.count() == 1
    assert NAME in awards.inner_text() and "1.250" in awards.inner_text()
