"""Staff reach the Wagtail admin only with a second factor (docs/decisions/0015-staff-sign-in-with-a-second-factor.md).

Every test signs in through allauth's real views (password, then the TOTP code computed from the secret with
allauth's own TOTP functions), on a real portal host."""

import io

import pytest
from django.test import Client

from tests.support import make_user, mfa_ready, totp_code, with_role

PASSWORD = "een-lang-wachtwoord-123"
ADMIN_HOME = "Dashboard"  # on Wagtail's admin home page, for anyone let in


def browser(portal) -> Client:
    return Client(HTTP_HOST=portal.primary_host)


def sign_in_with_password(client, user, next_url="/beheer/"):
    return client.post("/account/login/", {"login": user.email, "password": PASSWORD, "next": next_url})


def test_a_portal_admin_signs_in_with_password_and_totp_code_and_reaches_the_admin(zeeland):
    # Given a portal admin of Zeeland with an authenticator app
    admin = with_role(make_user(), zeeland, "portal_admin")
    secret = mfa_ready(admin)
    client = browser(zeeland)
    # When they sign in with their password
    response = sign_in_with_password(client, admin)
    # Then they are not signed in yet but asked for the code
    assert response["Location"] == "/account/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    assert "Uw account is beveiligd met tweestapsverificatie" in client.get(response["Location"]).content.decode()
    # When they give a wrong code, they stay out
    wrong = client.post("/account/2fa/authenticate/", {"code": "000000" if totp_code(secret) != "000000" else "111111"})
    assert "_auth_user_id" not in client.session and wrong.status_code == 200
    # When they give the code their app shows
    response = client.post("/account/2fa/authenticate/", {"code": totp_code(secret)})
    # Then they reach the admin
    assert response["Location"] == "/beheer/"
    page = client.get("/beheer/")
    assert page.status_code == 200 and ADMIN_HOME in page.content.decode()
    # And the site's menu leads staff to it
    assert 'href="/beheer/"' in client.get("/initiatieven/").content.decode()


def test_a_staff_member_without_an_authenticator_sets_one_up_before_the_admin(zeeland):
    # Given an editor who signed in with only a password (no authenticator yet)
    editor = with_role(make_user(), zeeland, "editor")
    client = browser(zeeland)
    assert sign_in_with_password(client, editor)["Location"] == "/beheer/"
    # When they open the admin
    response = client.get("/beheer/pages/")
    # Then they are sent to set up a second factor, told why in Dutch
    assert response["Location"] == "/account/tweede-factor/?next=%2Fbeheer%2Fpages%2F"
    explanation = client.get(response["Location"]).content.decode()
    assert "U heeft een beheerrol op dit portaal" in explanation
    assert 'href="/account/2fa/totp/activate/"' in explanation
    # When they set up an authenticator app through allauth's page (confirming their password first, then
    # scanning its secret)
    confirm = client.get("/account/2fa/totp/activate/")
    assert confirm["Location"] == "/account/reauthenticate/?next=%2Faccount%2F2fa%2Ftotp%2Factivate%2F"
    client.post(confirm["Location"], {"password": PASSWORD})
    assert client.get("/account/2fa/totp/activate/").status_code == 200
    secret = client.session["mfa.totp.secret"]
    activated = client.post("/account/2fa/totp/activate/", {"code": totp_code(secret)})
    assert activated["Location"] == "/account/2fa/recovery-codes/"
    # Then the admin asks once for a code from the new app, and lets them in after it
    asked = client.get("/beheer/pages/")
    assert asked["Location"] == "/account/2fa/reauthenticate/?next=%2Fbeheer%2Fpages%2F"
    confirmed = client.post(asked["Location"], {"code": totp_code(secret)})
    assert confirmed["Location"] == "/beheer/pages/"
    assert client.get("/beheer/pages/").status_code == 200


def test_a_session_without_the_second_factor_is_asked_for_it(zeeland):
    # Given a portal admin with an authenticator whose session was opened without it (as after a password
    # reset that signs the person in, or any sign-in that skipped allauth's second step)
    admin = with_role(make_user(), zeeland, "portal_admin")
    secret = mfa_ready(admin)
    client = browser(zeeland)
    client.force_login(admin)
    # When they open the admin, they are refused and asked for the code
    response = client.get("/beheer/")
    assert response["Location"] == "/account/2fa/reauthenticate/?next=%2Fbeheer%2F"
    # And a wrong code does not let them in
    client.post("/account/2fa/reauthenticate/?next=%2Fbeheer%2F", {"code": "12345"})
    assert client.get("/beheer/")["Location"].startswith("/account/2fa/reauthenticate/")
    # When they give the right code, they reach the admin
    confirmed = client.post("/account/2fa/reauthenticate/?next=%2Fbeheer%2F", {"code": totp_code(secret)})
    assert confirmed["Location"] == "/beheer/"
    assert ADMIN_HOME in client.get("/beheer/").content.decode()


@pytest.mark.parametrize("role", ["fund_manager", "author"])
def test_every_role_with_admin_access_needs_the_second_factor(zeeland, role):
    person = with_role(make_user(), zeeland, role)
    client = browser(zeeland)
    client.force_login(person)
    assert client.get("/beheer/")["Location"] == "/account/tweede-factor/?next=%2Fbeheer%2F"


@pytest.mark.parametrize("role", ["national_admin", "national_analyst"])
def test_national_roles_need_the_second_factor(national, role):
    person = with_role(make_user(), national, role)
    client = browser(national)
    client.force_login(person)
    assert client.get("/beheer/")["Location"] == "/account/tweede-factor/?next=%2Fbeheer%2F"


def test_platform_staff_need_the_second_factor_on_every_portal(zeeland, rotterdam):
    staff = make_user(superuser=True)
    for portal in (zeeland, rotterdam):
        client = browser(portal)
        client.force_login(staff)
        assert client.get("/beheer/")["Location"] == "/account/tweede-factor/?next=%2Fbeheer%2F"


def test_a_role_on_another_portal_asks_nothing_here_and_gives_no_admin(zeeland, rotterdam):
    # Given an editor of Rotterdam, signed in on Zeeland
    editor = with_role(make_user(), rotterdam, "editor")
    client = browser(zeeland)
    sign_in_with_password(client, editor)
    # When they open Zeeland's admin, they are not asked for a second factor but refused, clearly
    response = client.get("/beheer/", follow=True)
    assert response.status_code == 403
    assert "geen beheerrol" in response.content.decode()


def test_an_owner_without_a_staff_role_is_not_forced_but_may_turn_it_on(zeeland):
    # Given an initiative owner without any role, signed in with only a password
    owner = make_user()
    client = browser(zeeland)
    assert sign_in_with_password(client, owner, next_url="/initiatieven/")["Location"] == "/initiatieven/"
    # Then their pages work without a second factor, and the menu offers it but no admin
    menu = client.get("/initiatieven/").content.decode()
    assert 'href="/account/2fa/"' in menu and 'href="/beheer/"' not in menu
    # And they can turn one on in their account pages
    assert client.get("/account/2fa/").status_code == 200
    client.post("/account/reauthenticate/", {"password": PASSWORD})
    client.get("/account/2fa/totp/activate/")
    secret = client.session["mfa.totp.secret"]
    client.post("/account/2fa/totp/activate/", {"code": totp_code(secret)})
    # After which their next sign-in asks for it
    client.logout()
    assert sign_in_with_password(client, owner)["Location"] == "/account/2fa/authenticate/"


def test_the_admin_login_is_allauths(zeeland):
    # Wagtail's own login form would skip the second factor: its address hands over to allauth's login
    response = browser(zeeland).get("/beheer/login/?next=/beheer/pages/")
    assert response["Location"] == "/account/login/?next=%2Fbeheer%2Fpages%2F"
    anonymous = browser(zeeland).get("/beheer/pages/", follow=True)
    assert anonymous.request["PATH_INFO"] == "/account/login/"


def test_a_totp_code_used_on_one_portal_is_refused_on_another(zeeland, rotterdam):
    # Given a platform staff member who signs in on Zeeland with a code
    staff = make_user(superuser=True)
    secret = mfa_ready(staff)
    code = totp_code(secret)
    first = browser(zeeland)
    sign_in_with_password(first, staff)
    assert first.post("/account/2fa/authenticate/", {"code": code})["Location"] == "/beheer/"
    # When someone replays the same code on Rotterdam within its 30 seconds
    second = browser(rotterdam)
    sign_in_with_password(second, staff)
    second.post("/account/2fa/authenticate/", {"code": code})
    # Then it is refused
    assert "_auth_user_id" not in second.session


def test_passkeys_are_bound_to_the_portals_canonical_host(zeeland, settings):
    # Given Zeeland served on its canonical host with the configured link port (other spellings redirect there)
    person = make_user()
    client = Client(HTTP_HOST=f"zeeland.localhost:{settings.LINK_PORT}")
    sign_in_with_password(client, person, next_url="/")
    # When they add a security key there
    client.post("/account/reauthenticate/", {"password": PASSWORD})
    response = client.get("/account/2fa/webauthn/add/")
    # Then the key is registered for the portal's host without the port, named after the portal
    rp = response.context["js_data"]["creation_options"]["publicKey"]["rp"]
    assert rp == {"id": "zeeland.localhost", "name": "MAEX Zeeland"}


def _code_at(secret, when):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(when) // 30))


def test_platform_staff_reset_a_lost_second_factor_and_the_admin_asks_for_a_new_one(zeeland, client_for):
    from allauth.mfa.models import Authenticator
    from django.core.management import call_command

    # Given a portal admin who lost their phone
    admin = with_role(make_user(), zeeland, "portal_admin")
    client = client_for(zeeland, admin)
    assert Authenticator.objects.filter(user=admin).exists()
    # When platform staff reset their second factor
    call_command("reset_second_factor", admin.email, stdout=io.StringIO())
    # Then the authenticators are gone and the admin sends them to set up a new one
    assert not Authenticator.objects.filter(user=admin).exists()
    assert client.get("/beheer/")["Location"] == "/account/tweede-factor/?next=%2Fbeheer%2F"
