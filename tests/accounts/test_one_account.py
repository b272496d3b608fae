"""One account for every portal: sign up on one portal, verify by e-mail, log in on another."""

import re

from django.core import mail

from accounts.models import User
from tests.support import make_user, with_role


def test_sign_up_on_one_portal_verify_by_mail_and_log_in_on_another(zeeland, rotterdam, client_for):
    # Given a visitor on the Zeeland portal who signs up
    zeeland_browser = client_for(zeeland)
    response = zeeland_browser.post(
        "/account/signup/",
        {
            "email": "Nieuw.Lid@Example.org",
            "password1": "een-sterk-wachtwoord-42",
            "password2": "een-sterk-wachtwoord-42",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nieuw.lid@example.org")
    # Then a verification mail is sent with a link on the portal where they signed up
    assert len(mail.outbox) == 1
    link = re.search(r"https?://(\S+?)(/account/confirm-email/\S+/)", mail.outbox[0].body)
    assert link and link.group(1).startswith("zeeland.localhost")
    # And without verification they cannot log in yet
    rotterdam_browser = client_for(rotterdam)
    blocked = rotterdam_browser.post(
        "/account/login/", {"login": "nieuw.lid@example.org", "password": "een-sterk-wachtwoord-42"}
    )
    assert "_auth_user_id" not in rotterdam_browser.session
    # (allauth sends them to the page that asks them to confirm their address)
    assert blocked.status_code == 302 and blocked["Location"] == "/account/confirm-email/"
    # When they confirm the address
    zeeland_browser.post(link.group(2))
    # Then the same account logs in on the Rotterdam portal
    response = rotterdam_browser.post(
        "/account/login/", {"login": "nieuw.lid@example.org", "password": "een-sterk-wachtwoord-42"}
    )
    assert response.status_code == 302
    assert rotterdam_browser.session["_auth_user_id"] == str(user.pk)


def test_account_pages_use_the_portal_layout(zeeland, client_for):
    html = client_for(zeeland).get("/account/login/").content.decode()
    assert "MAEX Zeeland" in html
    assert 'href="#inhoud"' in html  # the skip link of the portal layout


def test_wagtails_account_page_changes_neither_password_nor_email(zeeland, client_for):
    # Given an editor in Zeeland's admin (signed in with their second factor)
    editor = with_role(make_user(), zeeland, "editor")
    client = client_for(zeeland, editor)
    old_password = editor.password

    # When they open Wagtail's own account page and post a new email address and password there
    page = client.get("/beheer/account/")
    client.post(
        "/beheer/account/",
        {
            "name_email-first_name": "Nieuw",
            "name_email-last_name": "Naam",
            "name_email-email": "overgenomen@example.org",
            "password-old_password": "een-lang-wachtwoord-123",
            "password-new_password1": "nog-een-lang-wachtwoord-456",
            "password-new_password2": "nog-een-lang-wachtwoord-456",
        },
    )

    # Then the page offers neither (allauth's verified, rate-limited pages do that) and nothing changed
    assert 'name="name_email-email"' not in page.text and 'name="password-new_password1"' not in page.text
    editor.refresh_from_db()
    assert editor.email != "overgenomen@example.org" and editor.password == old_password
