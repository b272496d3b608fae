"""A new editor sets up an authenticator app and reaches the admin, in a real Chromium against a real server
(docs/decisions/0015-staff-sign-in-with-a-second-factor.md)."""

import re

import pytest

from accounts.services import delete_account
from tests.support import make_user, totp_code, with_role

pytestmark = pytest.mark.browser
PASSWORD = "een-lang-wachtwoord-123"


def _new_editor(portal_schema):
    from tenants.models import Portal

    return with_role(make_user(password=PASSWORD), Portal.objects.get(schema_name=portal_schema), "editor")


def test_an_editor_sets_up_an_authenticator_app_and_reaches_the_admin(browser, web_server, committed):
    editor = committed(_new_editor, "zeeland")
    committed.cleanup(delete_account, editor)
    page = browser.new_context().new_page()

    # Given an editor without a second factor who signs in with their password, on the way to the admin
    page.goto(web_server.url("zeeland.localhost", "/beheer/"))
    page.fill("input[name=login]", editor.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()

    # Then the admin does not open: a Dutch page explains why a second factor is needed
    page.wait_for_url("**/account/tweede-factor/**")
    assert page.get_by_role("heading", name="Tweestapsverificatie instellen").is_visible()

    # When they choose the authenticator app, confirm their password, and enter the code the app shows
    page.get_by_role("link", name="Authenticator-app instellen").click()
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/account/2fa/totp/activate/$"))  # not a sign-in page with it as its next
    secret = page.input_value("#authenticator_secret")
    page.fill("input[name=code]", totp_code(secret))
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/account/2fa/recovery-codes/$"))

    # And open the admin, which asks once for a code of the new app
    page.goto(web_server.url("zeeland.localhost", "/beheer/"))
    page.wait_for_url("**/account/2fa/reauthenticate/**")
    page.fill("input[name=code]", totp_code(secret))
    page.locator("form button[type=submit]").last.click()

    # Then they are in the admin of their portal
    page.wait_for_url(web_server.url("zeeland.localhost", "/beheer/"))
    assert page.title().startswith("Dashboard")
