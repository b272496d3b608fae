"""The account pages (allauth's) wear the portal's design and speak its language: formal Dutch ("u"), or
English when chosen; "Inloggen" is signing in, never "Aanmelden" (registering an initiative). The verification
mail greets from the portal by name (issue 10, point 9)."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from tests.support import make_user

# (Sign-up is at the national portal: a portal's /account/signup/ sends there, tests/accounts/test_sign_on_flow.py.)
ANONYMOUS = ["/account/login/", "/account/password/reset/", "/account/confirm-email/"]
SIGNED_IN = [
    "/account/email/",
    "/account/password/change/",
    "/account/2fa/",
    "/account/logout/",
    "/account/reauthenticate/",
    "/account/password/reset/",
]
INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jezelf)\b", re.IGNORECASE)


def _main(html: str) -> str:
    """The visible text of <main>."""
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    main = re.sub(r"<script.*?</script>", " ", main, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main.split(">", 1)[1]))


def _pages(zeeland, client_for):
    anonymous, person = client_for(zeeland), client_for(zeeland, make_user())
    return [(path, anonymous.get(path)) for path in ANONYMOUS] + [(path, person.get(path)) for path in SIGNED_IN]


def test_every_account_page_is_in_the_portals_layout_and_formal_dutch(zeeland, client_for):
    for path, response in _pages(zeeland, client_for):
        html = response.content.decode()
        assert response.status_code == 200, path
        assert '<header class="site-header">' in html and "MAEX Zeeland" in html, path  # the portal's own layout
        assert '<main id="inhoud" class="container account"' in html, path
        text = _main(html)
        assert not INFORMAL.search(text), (path, INFORMAL.search(text).group(0), text)
        assert "aanmeld" not in text.lower(), (path, text)  # signing in is "Inloggen"
        for english in ("Sign In", "Sign Up", "Password", "Email", "Remember", "Forgot"):
            assert english not in text, (path, english)


def test_forms_use_the_platforms_fields_and_buttons(zeeland, client_for):
    html = client_for(zeeland).get("/account/login/").content.decode()
    main = html.split("<main", 1)[1]
    assert re.search(r"<h1>\s*Inloggen\s*</h1>", main)
    assert '<div class="field">' in main and '<label for="id_login">E-mailadres' in main
    assert re.search(r'<button class="button" type="submit">\s*Inloggen\s*</button>', main)
    assert "<p><label" not in main  # not allauth's bare form.as_p
    # and the page's main menu says "Inloggen" for signing in, "Initiatief aanmelden" for registering one
    menu = html.split('aria-label="Hoofdmenu"', 1)[1].split("</nav>", 1)[0]
    assert ">Inloggen</a>" in menu and ">Initiatief aanmelden</a>" in menu


def test_a_wrong_password_is_told_formally_in_dutch(zeeland, client_for):
    person = make_user()
    response = client_for(zeeland).post("/account/login/", {"login": person.email, "password": "fout-fout-fout"})
    text = _main(response.content.decode())
    assert "Het e-mailadres en/of wachtwoord dat u heeft opgegeven, klopt niet." in text
    assert 'class="error-summary"' in response.content.decode()


def test_the_account_pages_in_english(zeeland, client_for):
    browser = client_for(zeeland)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = _main(browser.get("/account/login/").content.decode())
    assert "Sign In" in text and "Password" in text
    assert "Inloggen" not in text and "Wachtwoord" not in text


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_verification_mail_greets_from_the_portal_by_name(zeeland, language):
    browser = Client(HTTP_HOST=zeeland.primary_host)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    password = "een-lang-wachtwoord-123"
    response = browser.post(
        "/account/signup/", {"email": f"nieuw-{language}@example.org", "password1": password, "password2": password}
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    first_line = message.body.splitlines()[0]
    assert message.subject.startswith("[MAEX Zeeland] ")
    assert "MAEX Zeeland" in first_line and "localhost" not in first_line and "8000" not in message.subject
    assert f"{zeeland.absolute_url('/account/confirm-email/')}" in message.body  # the link on the canonical host
    if language == "nl":
        assert first_line == "Goedendag, namens MAEX Zeeland."
        assert message.subject == "[MAEX Zeeland] Bevestig uw e-mailadres"
        assert not INFORMAL.search(message.body)
    else:
        assert first_line == "Hello from MAEX Zeeland."
        assert message.subject == "[MAEX Zeeland] Please Confirm Your Email Address"


def test_messages_are_a_list_inside_a_status_region(zeeland):
    # Given a person who just signed in (allauth says so in a message on the next page)
    person = make_user()
    client = Client(HTTP_HOST=zeeland.primary_host)
    client.post("/account/login/", {"login": person.email, "password": "een-lang-wachtwoord-123"})
    # When the next page shows the message
    html = client.get("/initiatieven/").content.decode()
    # Then it is an item of a list (its role not taken by the live region, which wraps it: axe's "listitem" rule)
    assert re.search(r'<div role="status"><ul class="messages"><li>[^<]*ingelogd', html), html[:3000]
