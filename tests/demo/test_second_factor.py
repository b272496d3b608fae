"""The demo staff's published second factor (docs/decisions/0015-staff-sign-in-with-a-second-factor.md)."""

import io
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from demo.management.commands.seed_demo import Command as SeedDemo
from demo.second_factor import DEMO_TOTP_SECRET, ensure_demo_authenticator
from tests.accounts.test_staff_second_factor import _code_at, browser, sign_in_with_password
from tests.support import make_user, mfa_ready, totp_code, with_role


def test_demo_staff_get_the_documented_demo_code_in_development_only(zeeland, settings):
    # Given a demo editor given the demo authenticator by seed_demo (development: DEBUG on)
    settings.DEBUG = True
    editor = with_role(make_user(), zeeland, "editor")
    SeedDemo(stdout=io.StringIO())._second_factor([editor])
    assert not ensure_demo_authenticator(editor)  # it has one already: a second run adds nothing
    # When the code is printed with manage.py demo_totp
    out = io.StringIO()
    call_command("demo_totp", editor.email, stdout=out)
    # Then it is the code an app with the README's secret shows, and it signs the editor in
    code = out.getvalue().strip()
    assert code in {totp_code(DEMO_TOTP_SECRET), _code_at(DEMO_TOTP_SECRET, time.time() - 30)}
    client = browser(zeeland)
    sign_in_with_password(client, editor)
    assert client.post("/account/2fa/authenticate/", {"code": code})["Location"] == "/beheer/"
    # And a real person's second factor is never printed
    person = with_role(make_user(), zeeland, "editor")
    mfa_ready(person)
    with pytest.raises(CommandError):
        call_command("demo_totp", person.email, stdout=io.StringIO())
    # And outside development the command refuses
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("demo_totp", editor.email, stdout=io.StringIO())
