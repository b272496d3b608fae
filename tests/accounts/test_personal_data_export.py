"""A person downloads everything the platform holds about them, across every portal, as one JSON file."""

import json

from allauth.account.models import EmailAddress, EmailConfirmation
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django_tenants.utils import schema_context

from initiatives import services
from initiatives.models import Invitation
from tests.support import ROTTERDAM, VLISSINGEN, make_user, register, with_role


def _keys(value):
    """Every key anywhere in the exported structure."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item)


def test_the_download_holds_every_portal_and_no_secret_and_nothing_of_anyone_else(zeeland, rotterdam, client_for):
    # Given a person with a role in Zeeland, initiatives in Zeeland and Rotterdam (with the contact they typed),
    # a second address waiting for confirmation, and a co-owner invitation sent to them
    person = make_user("piet.persoon@example.org", full_name="Piet Persoon")
    with_role(person, zeeland, "editor")
    in_zeeland, _ = register(person, VLISSINGEN, contact_name="Piet Persoon", contact_email="piet@stichting.example")
    in_rotterdam, _ = register(person, ROTTERDAM, contact_phone="0611122233")
    second = EmailAddress.objects.create(user=person, email="piet.werk@example.org", verified=False, primary=False)
    confirmation = EmailConfirmation.create(second)
    # And someone else, with their own initiative, who invites the person to it
    other = make_user("anna.ander@example.org", full_name="Anna Ander")
    others, _ = register(other, VLISSINGEN, contact_name="Anna Ander", contact_email="anna@ander.example")
    with schema_context("zeeland"):
        invitation = services.invite_co_owner(
            initiative=others, portal=zeeland, email="piet.werk@example.org", invited_by=other
        )

    # When the person downloads their data on Zeeland's account pages
    response = client_for(zeeland, person).post("/account/mijn-gegevens/download/")

    # Then it is a JSON attachment
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="maex-mijn-gegevens-')
    raw = response.content.decode()
    data = json.loads(raw)
    # with a readme in Dutch and English, and the shared account with both addresses
    assert set(data["readme"]) == {"nl", "en"}
    assert data["account"]["email"] == "piet.persoon@example.org"
    assert data["account"]["full_name"] == "Piet Persoon"
    assert {a["email"] for a in data["account"]["email_addresses"]} == {
        "piet.persoon@example.org",
        "piet.werk@example.org",
    }
    # And both portals, each with the initiatives the person owns, contact details included
    assert set(data["portals"]) == {"zeeland", "rotterdam"}
    [zeeland_initiative] = data["portals"]["zeeland"]["initiatives_owned"]
    assert (zeeland_initiative["name"], zeeland_initiative["contact_email"]) == (
        in_zeeland.name,
        "piet@stichting.example",
    )
    assert data["portals"]["rotterdam"]["initiatives_owned"][0]["contact_phone"] == "0611122233"
    assert data["portals"]["rotterdam"]["initiatives_owned"][0]["uuid"] == str(in_rotterdam.uuid)
    # their role, the invitation they received, and the audit log entries of what they did
    zeeland_records = data["portals"]["zeeland"]["records"]
    assert len(zeeland_records["roles.membership"]) == 1
    assert data["portals"]["zeeland"]["invitations_received"][0]["initiative"] == others.name
    assert {e["action"] for e in zeeland_records["wagtailcore.modellogentry"]} >= {"maex.initiative.register"}
    # And no secret: no password hash, invitation token or confirmation key, nor a field that could hold one
    person.refresh_from_db()
    for secret in (person.password, invitation.token, confirmation.key):
        assert secret not in raw
    assert not {"password", "token", "key", "secret"} & set(_keys(data))
    # And nothing of the other person: not their address, name, contact details or initiative's profile
    for theirs in ("anna.ander@example.org", "Anna Ander", "anna@ander.example", others.short_description):
        assert theirs not in raw
    with schema_context("zeeland"):
        assert Invitation.objects.filter(pk=invitation.pk).exists()  # reading changed nothing


@override_settings(ACCOUNT_RATE_LIMITS={"export_personal_data": "1/h/user"})
def test_the_download_is_rate_limited_across_portals(zeeland, rotterdam, client_for):
    cache.clear()
    person = make_user()
    assert client_for(zeeland, person).post("/account/mijn-gegevens/download/").status_code == 200
    response = client_for(rotterdam, person).post("/account/mijn-gegevens/download/")
    assert response.status_code == 429
    assert "te vaak geprobeerd" in response.content.decode()


def test_the_account_page_offers_the_download_and_deletion_and_needs_a_login(zeeland, client_for):
    person = make_user()
    page = client_for(zeeland, person).get("/account/mijn-gegevens/").content.decode()
    assert 'action="/account/mijn-gegevens/download/"' in page
    assert 'href="/account/verwijderen/"' in page
    anonymous = client_for(zeeland).post("/account/mijn-gegevens/download/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/account/login/")


def test_staff_export_a_written_request_with_a_command(zeeland, tmp_path):
    person = make_user("verzoek@example.org")
    initiative, _ = register(person, VLISSINGEN)
    target = tmp_path / "verzoek.json"

    call_command("export_personal_data", "verzoek@example.org", output=str(target))

    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["account"]["email"] == "verzoek@example.org"
    assert data["portals"]["zeeland"]["initiatives_owned"][0]["uuid"] == str(initiative.uuid)
