"""Signed in once, signed in everywhere: a portal signs in through the national portal (OpenID Connect,
authorization code with PKCE), as the same account (docs/decisions/0022-one-sign-in-across-portals.md)."""

from urllib.parse import parse_qs, urlsplit

from allauth.socialaccount.models import SocialAccount

from accounts.models import SignOn, User
from accounts.sign_on import sign_in_url
from tests.sign_on import Browser, host_of, route_back_channel, sign_in_at_national
from tests.support import make_user


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
