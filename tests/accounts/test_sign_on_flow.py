"""Signed in once, signed in everywhere: a portal signs in through the national portal (OpenID Connect,
authorization code with PKCE), as the same account (docs/decisions/0022-one-sign-in-across-portals.md)."""

import re
from urllib.parse import parse_qs, urlsplit

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from allauth.socialaccount.models import SocialAccount

from accounts.models import SignOn, User
from accounts.sign_on import is_portal_url, sign_in_url
from tests.sign_on import Browser, host_of, route_back_channel, sign_in_at_national
from tests.support import make_user, mfa_ready, totp_code, with_role


def test_signed_in_at_the_national_portal_a_portal_signs_in_the_same_account_without_a_password(
    national, zeeland, monkeypatch
):
    # Given a person signed in at the national portal
    route_back_channel(monkeypatch)
    person = make_user()
    browser = Browser()
    sign_in_at_national(browser, national, person)
    users = User.objects.count()
    # When they follow Zeeland's sign-in link
    final, chain = browser.go(sign_in_url("/initiatieven/"), host=host_of(zeeland))
    # Then the national portal answers with a code, and Zeeland signs in the same account and returns to the page
    hosts = [host for host, _ in chain]
    assert hosts == [host_of(zeeland), host_of(national), host_of(zeeland), host_of(zeeland)], chain
    authorize = urlsplit(chain[1][1])
    query = parse_qs(authorize.query)
    assert authorize.path == "/identity/o/authorize" and query["code_challenge_method"] == ["S256"]
    assert chain[-1][1] == "/initiatieven/"
    assert browser.on(host_of(zeeland)).session["_auth_user_id"] == str(person.pk)
    assert User.objects.count() == users  # no second account
    assert SocialAccount.objects.get(user=person).uid == str(person.pk)
    assert SignOn.objects.filter(session_key=browser.on(host_of(zeeland)).session.session_key).count() == 1


def test_a_person_not_signed_in_at_the_national_portal_signs_in_there_once_and_comes_back(
    national, rotterdam, monkeypatch
):
    # Given a visitor of Rotterdam who is signed in nowhere
    route_back_channel(monkeypatch)
    person = make_user()
    browser = Browser()
    # When they follow Rotterdam's sign-in link
    login_page, chain = browser.go(sign_in_url("/initiatieven/"), host=host_of(rotterdam))
    # Then the national portal's login page asks for the password, with the way back kept
    assert login_page.host == host_of(national) and login_page.status_code == 200
    assert urlsplit(chain[-1][1]).path == "/account/login/"
    next_url = parse_qs(urlsplit(chain[-1][1]).query)["next"][0]
    assert next_url.startswith("/identity/o/authorize?")
    # When they sign in there
    signed_in = browser.on(host_of(national)).post(
        "/account/login/", {"login": person.email, "password": "een-lang-wachtwoord-123", "next": next_url}
    )
    final, back = browser.go(signed_in["Location"], host=host_of(national))
    # Then they are back on Rotterdam's page, signed in on both portals
    assert back[-1] == (host_of(rotterdam), "/initiatieven/") and final.status_code == 200
    assert browser.on(host_of(rotterdam)).session["_auth_user_id"] == str(person.pk)
    assert browser.on(host_of(national)).session["_auth_user_id"] == str(person.pk)


def test_a_portal_admin_still_gives_their_second_factor_on_the_portal(national, zeeland, monkeypatch):
    # Given a portal admin of Zeeland with an authenticator app, signed in at the national portal with password
    # and code
    route_back_channel(monkeypatch)
    admin = with_role(make_user(), zeeland, "portal_admin")
    secret = mfa_ready(admin)
    browser = Browser()
    national_browser = browser.on(host_of(national))
    assert sign_in_at_national(browser, national, admin)["Location"] == "/account/2fa/authenticate/"
    assert national_browser.post("/account/2fa/authenticate/", {"code": totp_code(secret)}).status_code == 302
    # When they follow Zeeland's sign-in
    final, chain = browser.go(sign_in_url("/beheer/"), host=host_of(zeeland))
    # Then no password is asked, but Zeeland asks for the code before it signs them in (allauth's MFA stage)
    zeeland_browser = browser.on(host_of(zeeland))
    assert chain[-1] == (host_of(zeeland), "/account/2fa/authenticate/"), chain
    assert "_auth_user_id" not in zeeland_browser.session
    # And with a fresh code (the one used nationally is spent everywhere, ADR 0015) the admin opens
    response = zeeland_browser.post("/account/2fa/authenticate/", {"code": _next_totp_code(secret)})
    assert response["Location"] == "/beheer/" and zeeland_browser.session["_auth_user_id"] == str(admin.pk)
    assert zeeland_browser.get("/beheer/").status_code == 200


def _next_totp_code(secret: str) -> str:
    """The code an authenticator app shows in the next period (accepted: one period of tolerance)."""
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[-1]))


def test_an_account_the_national_portal_no_longer_has_is_not_made_again_on_a_portal(national, zeeland, monkeypatch):
    # Given a person signed in at the national portal whose account is then switched off
    route_back_channel(monkeypatch)
    person = make_user()
    browser = Browser()
    sign_in_at_national(browser, national, person)
    users = User.objects.count()
    User.objects.filter(pk=person.pk).update(is_active=False)
    # When Zeeland's sign-in is followed
    browser.go(sign_in_url("/"), host=host_of(zeeland))
    # Then Zeeland has no one signed in and no new account
    assert "_auth_user_id" not in browser.on(host_of(zeeland)).session
    assert User.objects.count() == users


def test_a_portals_menu_signs_in_through_the_national_portal(national, zeeland):
    html = Browser().on(host_of(zeeland)).get("/initiatieven/").content.decode()
    assert 'href="/account/oidc/maex/login/?process=login&amp;next=/initiatieven/"' in html
    assert 'href="/account/login/"' in Browser().on(host_of(national)).get("/initiatieven/").content.decode()


def test_when_the_national_portal_cannot_be_reached_a_portal_says_so_and_offers_its_own_sign_in(
    zeeland, settings, monkeypatch
):
    # Given a national portal that does not answer (nothing listens where the portal sends its back channel)
    route_back_channel(monkeypatch, down=True)
    browser = Browser()
    # When a visitor follows the sign-in link
    response = browser.on(host_of(zeeland)).get(sign_in_url("/initiatieven/"))
    # Then they are told in Dutch, with the portal's own password sign-in
    assert response.status_code == 503
    html = response.content.decode()
    assert "Inloggen lukt nu niet" in html and 'href="/account/login/?next=%2Finitiatieven%2F"' in html
    # And the silent check just shows the page asked for
    settings.SIGN_ON_SILENT_CHECK = True
    page, chain = Browser().go("/initiatieven/", host=host_of(zeeland))
    assert chain[-1] == (host_of(zeeland), "/initiatieven/") and page.status_code == 200


def test_sign_up_is_at_the_national_portal_and_comes_back_through_the_portals_sign_in(national, rotterdam):
    # When a visitor of Rotterdam opens the sign-up page
    response = Browser().on(host_of(rotterdam)).get("/account/signup/", {"next": "/mijn-maex/"})
    # Then they are sent to the national portal's sign-up, with the way back through Rotterdam's sign-in
    target = urlsplit(response["Location"])
    assert response.status_code == 302 and (target.netloc, target.path) == (host_of(national), "/account/signup/")
    back = parse_qs(target.query)["next"][0]
    assert back == rotterdam.absolute_url(sign_in_url("/mijn-maex/"))
    # And the national sign-up page is there, formal Dutch, in the national portal's layout
    page = Browser().on(host_of(national)).get(f"{target.path}?{target.query}")
    html = page.content.decode()
    assert page.status_code == 200 and "<h1>" in html and " je " not in html
    assert f'value="{back}"' in html or back.replace("&", "&amp;") in html  # allauth keeps the way back


def test_sign_up_never_sends_back_to_another_site(rotterdam):
    response = Browser().on(host_of(rotterdam)).get("/account/signup/", {"next": "https://evil.example/"})
    back = parse_qs(urlsplit(response["Location"]).query)["next"][0]
    assert back == rotterdam.absolute_url(sign_in_url("/"))


def test_a_portals_login_page_offers_signing_in_on_every_portal_at_once(national, zeeland):
    # The portal's own password form stays (the fallback when the national portal is down); above it, the way
    # to sign in on every portal, keeping where the visitor was going
    html = Browser().on(host_of(zeeland)).get("/account/login/", {"next": "/mijn-maex/"}).content.decode()
    assert "Op alle MAEX-portalen tegelijk inloggen" in html
    assert 'href="/account/oidc/maex/login/?process=login&amp;next=%2Fmijn-maex%2F"' in html, html
    assert "Op alle MAEX-portalen" not in Browser().on(host_of(national)).get("/account/login/").content.decode()


def test_after_signing_up_and_opening_the_verification_link_a_person_is_back_on_the_portal_signed_in(
    national, rotterdam, monkeypatch, mailoutbox
):
    # Given a visitor of Rotterdam sent to the national sign-up on the way to registering an initiative
    route_back_channel(monkeypatch)
    browser = Browser()
    signup = urlsplit(browser.on(host_of(rotterdam)).get("/account/signup/", {"next": "/aanmelden/"})["Location"])
    back = parse_qs(signup.query)["next"][0]
    password = "een-lang-wachtwoord-123"
    form = {"email": "nieuw.lid@example.org", "password1": password, "password2": password, "next": back}
    browser.on(host_of(national)).post(signup.path, form)

    # When they open the link in the verification mail in the same browser and confirm
    link = re.search(r"https?://(\S+?)(/account/confirm-email/\S+/)", mailoutbox[-1].body)
    assert link.group(1) == host_of(national)
    confirmed = browser.on(host_of(national)).post(link.group(2))

    # Then they are signed in, and back on Rotterdam's sign-in, which leads to the page they were going to
    assert confirmed.status_code == 302 and confirmed["Location"] == back
    person = User.objects.get(email="nieuw.lid@example.org")
    assert browser.on(host_of(national)).session["_auth_user_id"] == str(person.pk)
    final, chain = browser.go(back)
    assert chain[-1] == (host_of(rotterdam), "/aanmelden/") and final.status_code == 200
    assert browser.on(host_of(rotterdam)).session["_auth_user_id"] == str(person.pk)


def test_a_verification_link_opened_in_another_browser_confirms_but_signs_nobody_in(national, mailoutbox):
    # Given a person who signed up in one browser
    password = "een-lang-wachtwoord-123"
    form = {"email": "nieuw.lid@example.org", "password1": password, "password2": password}
    Browser().on(host_of(national)).post("/account/signup/", form)
    link = re.search(r"https?://\S+?(/account/confirm-email/\S+/)", mailoutbox[-1].body).group(1)
    # When the link is opened in another browser
    other = Browser()
    other.on(host_of(national)).post(link)
    # Then the address is confirmed, and that browser is not signed in (it must give the password)
    assert "_auth_user_id" not in other.on(host_of(national)).session
    assert User.objects.get(email="nieuw.lid@example.org").emailaddress_set.get().verified


def test_a_way_back_is_safe_only_on_a_registered_portals_own_origin(zeeland):
    assert is_portal_url(zeeland.absolute_url("/aanmelden/"))
    assert not is_portal_url("http://evil.example:8000/aanmelden/")
    assert not is_portal_url(f"http://{host_of(zeeland)}.evil.example/")
    assert not is_portal_url(f"https://{host_of(zeeland)}/")  # another scheme: another origin
