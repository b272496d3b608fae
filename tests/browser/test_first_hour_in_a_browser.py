"""The first hour, as a new person lives it (issue 10), in a real Chromium against a real server with the silent
check of one sign-in on (docs/decisions/0022-one-sign-in-across-portals.md): sign up, verify the address from the
real mail, register on Zeeland for a municipality Rotterdam covers, be signed in on Rotterdam after one automatic
redirect, see the review state, an editor of Rotterdam publishes, the owner gets the mail and edits within and
beyond the threshold (docs/decisions/0021-held-changes.md)."""

from __future__ import annotations

import email
import email.policy
import re
import uuid
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django_tenants.utils import schema_context
from wagtail.models import ModelLogEntry

from accounts.services import delete_account
from accounts.sign_on import sync_sign_on_clients
from initiatives.models import Initiative
from national_index import projector
from tenants.models import Portal
from tests.browser.steps import check_accessibility, staff_sign_in
from tests.live import WebServer
from tests.support import form_data, make_user, mfa_ready, with_role

pytestmark = pytest.mark.browser
PASSWORD = "een-lang-wachtwoord-123"
NATIONAL, ZEELAND, ROTTERDAM = "maex.localhost", "zeeland.localhost", "rotterdam.localhost"


class Mailbox:
    """The mail the server process wrote into its folder (``MAEX_TEST_MAIL_DIR``, maex/settings/test.py): one
    file per message sent, Django's file-based backend."""

    def __init__(self, folder: Path):
        self.folder = folder

    def messages(self, to: str) -> list[email.message.EmailMessage]:
        found = []
        for path in sorted(self.folder.glob("*.log")):
            for raw in path.read_text().split("-" * 79):
                if raw.strip():
                    message = email.message_from_string(raw.strip() + "\n", policy=email.policy.default)
                    if to in message.get("To", ""):
                        found.append(message)
        return found

    def text(self, message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()


@pytest.fixture
def first_hour_server(django_db_setup, django_db_blocker, tmp_path):
    with django_db_blocker.unblock():
        server = WebServer(threads=4, MAEX_SIGN_ON_SILENT_CHECK="true", MAEX_TEST_MAIL_DIR=str(tmp_path))
        with override_settings(LINK_PORT=server.port):
            sync_sign_on_clients()
    yield server, Mailbox(tmp_path)
    server.stop()
    with django_db_blocker.unblock():
        sync_sign_on_clients()


NAME = "Buurtmoestuin Eerste Uur"


def fill_profile(page, data: dict) -> None:
    """Fill the registration or edit form as a person would, field by field (the formsets' management fields
    are the form's own)."""
    form = page.locator("main form").last
    for name, value in data.items():
        if name.endswith(("TOTAL_FORMS", "INITIAL_FORMS")) or name == "municipality":
            continue
        for one in value if isinstance(value, list) else [value]:
            field = form.locator(f"[name='{name}']")
            kind = field.first.evaluate("e => e.tagName.toLowerCase() + ':' + (e.type || '')")
            if kind.startswith("select"):
                field.select_option(one)
            elif kind.endswith(("checkbox", "radio")):
                form.locator(f"[name='{name}'][value='{one}']").check()
            else:
                field.fill(one)
    form.get_by_label("Gemeente").select_option(label="Rotterdam")


def _remove_person(address):
    """The person, the initiatives they own on any portal (with their index entries) and their account."""
    person = get_user_model().objects.filter(email=address).first()
    if person is None:
        return
    for schema in ("zeeland", "rotterdam"):
        with schema_context(schema):
            initiatives = Initiative.objects.filter(ownerships__user=person)
            owned = list(initiatives.values_list("uuid", flat=True))
            # their audit trail too: a later test's initiative with the same id must find its portal's log clean
            ModelLogEntry.objects.filter(
                object_id__in=[str(pk) for pk in initiatives.values_list("pk", flat=True)]
            ).delete()
            Initiative.objects.filter(uuid__in=owned).delete()
        for one in owned:
            projector.forget(one)
    delete_account(person)


def _editor_of_rotterdam():
    editor = with_role(make_user(password=PASSWORD), Portal.objects.get(schema_name="rotterdam"), "editor")
    return editor, mfa_ready(editor)


def _menu(page):
    return page.get_by_role("navigation", name="Hoofdmenu")


def _signed_in(page) -> bool:
    return _menu(page).get_by_role("link", name="Uitloggen").count() == 1


def test_the_first_hour(browser, first_hour_server, committed):
    server, mailbox = first_hour_server
    address = f"nieuw-persoon-{uuid.uuid4().hex[:8]}@example.org"
    committed.cleanup(_remove_person, address)
    editor, secret = committed(_editor_of_rotterdam)
    committed.cleanup(delete_account, editor)
    page = browser.new_context().new_page()
    national_visits = []
    page.on(
        "request",
        lambda request: (
            request.is_navigation_request() and f"{NATIONAL}:" in request.url and national_visits.append(request.url)
        ),
    )

    # Given a visitor of Zeeland, without an account, who wants to register an initiative
    page.goto(server.url(ZEELAND, "/"))
    _menu(page).get_by_role("link", name="Initiatief aanmelden").click()
    page.wait_for_url(f"**{ZEELAND}:*/account/login/?next=/aanmelden/")

    # When they follow the sign-up link, and sign up at the national portal
    page.get_by_role("main").get_by_role("link", name="Maak er eerst een aan").click()
    page.wait_for_url(f"**{NATIONAL}:*/account/signup/**")
    page.fill("input[name=email]", address)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Registreren").click()

    # Then they are asked to confirm their address, and the mail to do so has come
    page.wait_for_url(f"**{NATIONAL}:*/account/confirm-email/")
    (verification,) = mailbox.messages(address)
    link = re.search(r"http://\S+/account/confirm-email/\S+/", mailbox.text(verification)).group(0)
    assert link.startswith(server.url(NATIONAL, "/"))

    # When they open the link in the mail and confirm
    page.goto(link)
    page.get_by_role("main").get_by_role("button", name="Bevestigen").click()

    # Then they are signed in, back on Zeeland's registration form, without giving their password again
    page.wait_for_url(server.url(ZEELAND, "/aanmelden/"))
    assert _signed_in(page)
    check_accessibility(page)

    # When they register an initiative in Rotterdam, a municipality of another portal
    fill_profile(page, form_data(0, name=NAME, contact_email=address))
    page.get_by_role("main").get_by_role("button", name="Aanmelden").click()

    # Then a page on Zeeland says it was received, waits for review, and lives on MAEX Rotterdam
    page.wait_for_url(f"**{ZEELAND}:*/aanmelden/ontvangen/*/")
    registration = page.locator(".registered-initiative")
    assert registration.get_by_role("heading", name=NAME).is_visible()
    assert registration.locator("[data-status]").inner_text() == "Ingediend, wacht op beoordeling"
    check_accessibility(page)
    # and a mail confirms it
    assert "ontvangen" in mailbox.messages(address)[-1]["Subject"]

    # When they follow the link to their registration on Rotterdam
    national_visits.clear()
    page.get_by_role("link", name="Bekijk uw aanmelding op MAEX Rotterdam").click()

    # Then they are signed in there after one automatic trip to the national portal, and see its state
    page.wait_for_url(f"**{ROTTERDAM}:*/aanmelden/ontvangen/*/")
    assert len(national_visits) <= 1, national_visits
    assert _signed_in(page)
    assert page.locator(".registered-initiative [data-status]").inner_text() == "Ingediend, wacht op beoordeling"
    # and in Mijn MAEX
    _menu(page).get_by_role("link", name="Mijn MAEX").click()
    page.wait_for_url(server.url(ROTTERDAM, "/mijn-maex/"))
    mine = page.locator(".owned-initiative", has_text=NAME)
    assert mine.locator("[data-status]").inner_text() == "Ingediend, wacht op beoordeling"
    check_accessibility(page)

    # When an editor of Rotterdam signs in to its admin (password and authenticator code) and publishes it
    admin = staff_sign_in(browser, server, ROTTERDAM, "/beheer/", editor.email, PASSWORD, secret)
    admin.goto(server.url(ROTTERDAM, "/beheer/aanmeldingen/"))
    admin.get_by_role("link", name=NAME, exact=True).click()
    admin.get_by_role("button", name="Publiceren").click()
    admin.wait_for_url(server.url(ROTTERDAM, "/beheer/aanmeldingen/"))

    # Then the owner gets a mail whose link goes to the initiative on Rotterdam's canonical host
    published = mailbox.messages(address)[-1]
    assert published["Subject"] == f"Gepubliceerd: {NAME}"
    public_url = re.search(rf"{re.escape(server.url(ROTTERDAM, '/initiatieven/'))}\S+/", mailbox.text(published))
    assert public_url, mailbox.text(published)

    # When the owner opens it, and changes a headline figure within the portal's threshold (250 -> 300 people)
    page.goto(public_url.group(0))
    assert _people_reached(page) == "250"
    check_accessibility(page)
    page.get_by_role("link", name="Profiel bewerken").click()
    page.wait_for_url("**/bewerken/")
    page.get_by_label("Bereikte mensen per jaar", exact=False).fill("300")
    page.get_by_role("main").get_by_role("button", name="Opslaan").click()

    # Then the public page shows the new figure at once
    page.wait_for_url(public_url.group(0))
    assert page.get_by_role("status").inner_text() == "Het profiel is opgeslagen."
    assert _people_reached(page) == "300"

    # When they change it beyond the threshold (300 -> 1000 people)
    page.get_by_role("link", name="Profiel bewerken").click()
    page.wait_for_url("**/bewerken/")
    page.get_by_label("Bereikte mensen per jaar", exact=False).fill("1000")
    page.get_by_role("main").get_by_role("button", name="Opslaan").click()

    # Then the page keeps the published figure and says the change waits for review
    page.wait_for_url(public_url.group(0))
    assert "wacht op beoordeling" in page.get_by_role("status").inner_text()
    assert _people_reached(page) == "300"
    # and so do Mijn MAEX and the edit page
    _menu(page).get_by_role("link", name="Mijn MAEX").click()
    page.wait_for_url(server.url(ROTTERDAM, "/mijn-maex/"))
    assert page.locator(".owned-initiative", has_text=NAME).locator("[data-pending-change]").is_visible()
    page.goto(public_url.group(0) + "bewerken/")
    assert "wacht op beoordeling" in page.locator("[data-pending-change]").inner_text()
    check_accessibility(page)

    # And the editor finds the change in the review queue
    admin.goto(server.url(ROTTERDAM, "/beheer/aanmeldingen/"))
    assert admin.locator("[data-held-changes]").get_by_role("link", name=NAME, exact=True).is_visible()


def _people_reached(page) -> str:
    return page.locator("li", has_text="mensen bereikt per jaar").locator("strong").inner_text()
