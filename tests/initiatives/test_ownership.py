"""Who may edit an initiative: its owners, on its home portal; co-owners join by invitation."""

import re

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from initiatives.models import Invitation, Ownership
from national_index.models import IndexEntry
from tests.support import ROTTERDAM, VLISSINGEN, edits_go_live, form_data, make_user, municipality, register, with_role


@pytest.fixture
def owned(zeeland):
    owner = make_user()
    initiative, _ = register(owner, VLISSINGEN)
    return owner, initiative


def _edit_data(initiative, **overrides):
    return form_data(municipality(VLISSINGEN).pk, name=initiative.name, **overrides)


def test_the_owner_edits_on_the_home_portal(owned, zeeland, client_for):
    edits_go_live(zeeland)
    owner, initiative = owned
    client = client_for(zeeland, owner)
    url = f"/initiatieven/{initiative.slug}/bewerken/"
    assert client.get(url).status_code == 200
    response = client.post(url, _edit_data(initiative, people_reached="777", short_description="Nieuw verhaal."))
    assert response.status_code == 302
    assert response["Location"] == f"/initiatieven/{initiative.slug}/"
    row = IndexEntry.objects.get(uuid=initiative.uuid)
    assert (row.people_reached, row.short_description) == (777, "Nieuw verhaal.")


def test_the_edit_form_shows_errors_and_changes_nothing(owned, zeeland, client_for):
    owner, initiative = owned
    response = client_for(zeeland, owner).post(
        f"/initiatieven/{initiative.slug}/bewerken/", _edit_data(initiative, income_other="50", people_reached="1")
    )
    assert response.status_code == 400
    assert "De inkomstenmix moet samen precies 100% zijn" in response.content.decode()
    assert IndexEntry.objects.get(uuid=initiative.uuid).people_reached == initiative.people_reached


def test_moving_to_a_municipality_of_another_portal_is_refused_on_edit(owned, zeeland, client_for):
    owner, initiative = owned
    response = client_for(zeeland, owner).post(
        f"/initiatieven/{initiative.slug}/bewerken/",
        form_data(municipality(ROTTERDAM).pk, name=initiative.name),
    )
    assert response.status_code == 400
    assert "Deze gemeente valt onder een ander portaal." in response.content.decode()
    assert IndexEntry.objects.get(uuid=initiative.uuid).municipality.cbs_code == VLISSINGEN


def test_someone_else_gets_403(owned, zeeland, rotterdam, client_for):
    _owner, initiative = owned
    url = f"/initiatieven/{initiative.slug}/bewerken/"
    stranger = make_user()
    assert client_for(zeeland, stranger).get(url).status_code == 403
    assert client_for(zeeland, stranger).post(url, _edit_data(initiative, people_reached="1")).status_code == 403
    # An editor of another portal is a stranger here too
    rotterdam_editor = with_role(make_user(), rotterdam, "editor")
    assert client_for(zeeland, rotterdam_editor).get(url).status_code == 403
    assert IndexEntry.objects.get(uuid=initiative.uuid).people_reached == initiative.people_reached
    # Zeeland's own editor may edit
    assert client_for(zeeland, with_role(make_user(), zeeland, "editor")).get(url).status_code == 200


def test_a_visitor_is_asked_to_sign_in(owned, zeeland, client_for):
    _owner, initiative = owned
    response = client_for(zeeland).get(f"/initiatieven/{initiative.slug}/bewerken/")
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_the_initiative_is_not_editable_on_another_portal(owned, rotterdam, client_for):
    owner, initiative = owned
    url = f"/initiatieven/{initiative.slug}/bewerken/"
    assert client_for(rotterdam, owner).get(url).status_code == 404
    assert client_for(rotterdam, owner).post(url, _edit_data(initiative, people_reached="1")).status_code == 404
    assert IndexEntry.objects.get(uuid=initiative.uuid).people_reached == initiative.people_reached


def _invite(client, initiative, email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/initiatieven/{initiative.slug}/mede-eigenaar/", {"email": email})
    assert response.status_code == 302
    return response


def _token_from(message) -> str:
    match = re.search(r"/uitnodiging/([^/\s]+)/", message.body)
    assert match, message.body
    return match.group(1)


def test_a_co_owner_is_invited_by_email_and_can_edit_after_accepting(
    owned, zeeland, client_for, django_capture_on_commit_callbacks
):
    edits_go_live(zeeland)
    owner, initiative = owned
    # When the owner invites a co-owner
    _invite(client_for(zeeland, owner), initiative, "Mede.Eigenaar@Example.org", django_capture_on_commit_callbacks)
    # Then an email goes to that address with a link on the home portal
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["mede.eigenaar@example.org"]
    assert initiative.name in message.subject
    token = _token_from(message)
    assert zeeland.absolute_url(f"/uitnodiging/{token}/") in message.body
    # The invitee cannot edit yet
    invitee = make_user("mede.eigenaar@example.org")
    client = client_for(zeeland, invitee)
    edit_url = f"/initiatieven/{initiative.slug}/bewerken/"
    assert client.get(edit_url).status_code == 403
    # When they accept while signed in
    assert client.get(f"/uitnodiging/{token}/").status_code == 200
    response = client.post(f"/uitnodiging/{token}/")
    assert response.status_code == 302 and response["Location"] == f"/initiatieven/{initiative.slug}/"
    # Then they are co-owner and can edit
    with schema_context("zeeland"):
        assert set(Ownership.objects.filter(initiative=initiative).values_list("user_id", flat=True)) == {
            owner.pk,
            invitee.pk,
        }
    assert client.get(edit_url).status_code == 200
    assert client.post(edit_url, _edit_data(initiative, volunteers="42")).status_code == 302
    assert IndexEntry.objects.get(uuid=initiative.uuid).volunteers == 42
    # and the invitation cannot be used a second time
    again = client_for(zeeland, make_user()).post(f"/uitnodiging/{token}/")
    assert again.status_code == 400
    assert "Deze uitnodiging is ongeldig of al gebruikt." in again.content.decode()


def test_an_invitation_for_another_email_address_is_refused_with_a_message(
    owned, zeeland, client_for, django_capture_on_commit_callbacks
):
    owner, initiative = owned
    _invite(client_for(zeeland, owner), initiative, "bedoeld@example.org", django_capture_on_commit_callbacks)
    token = _token_from(mail.outbox[0])
    intruder = make_user("iemand.anders@example.org")
    client = client_for(zeeland, intruder)
    response = client.post(f"/uitnodiging/{token}/")
    assert response.status_code == 400
    assert "Deze uitnodiging is voor een ander e-mailadres." in response.content.decode()
    assert client.get(f"/initiatieven/{initiative.slug}/bewerken/").status_code == 403
    with schema_context("zeeland"):
        assert not Ownership.objects.filter(initiative=initiative, user=intruder).exists()
        assert Invitation.objects.get(token=token).accepted_at is None  # still open for the right person
    # The right person can still accept it
    rightful = client_for(zeeland, make_user("bedoeld@example.org"))
    assert rightful.post(f"/uitnodiging/{token}/").status_code == 302


def test_an_unknown_invitation_token_is_refused_with_a_message(zeeland, client_for):
    response = client_for(zeeland, make_user()).post("/uitnodiging/bestaat-niet/")
    assert response.status_code == 400
    assert "Deze uitnodiging is ongeldig of al gebruikt." in response.content.decode()


def test_an_invitation_only_works_on_its_own_portal(
    owned, zeeland, rotterdam, client_for, django_capture_on_commit_callbacks
):
    owner, initiative = owned
    _invite(client_for(zeeland, owner), initiative, "mede@example.org", django_capture_on_commit_callbacks)
    token = _token_from(mail.outbox[0])
    invitee = make_user("mede@example.org")
    response = client_for(rotterdam, invitee).post(f"/uitnodiging/{token}/")
    assert response.status_code == 400
    assert "Deze uitnodiging is ongeldig of al gebruikt." in response.content.decode()
    with schema_context("zeeland"):
        assert not Ownership.objects.filter(initiative=initiative, user=invitee).exists()
        assert Invitation.objects.get(token=token).accepted_at is None


def test_only_owners_can_invite(owned, zeeland, client_for, django_capture_on_commit_callbacks):
    _owner, initiative = owned
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(zeeland, make_user()).post(
            f"/initiatieven/{initiative.slug}/mede-eigenaar/", {"email": "x@example.org"}
        )
    assert response.status_code == 403
    assert mail.outbox == []
    with schema_context("zeeland"):
        assert not Invitation.objects.filter(initiative=initiative).exists()


def test_an_invalid_invitation_address_gets_a_message(owned, zeeland, client_for):
    owner, initiative = owned
    response = client_for(zeeland, owner).post(f"/initiatieven/{initiative.slug}/mede-eigenaar/", {"email": "geen"})
    assert response.status_code == 200
    assert mail.outbox == []
    assert response.context["form"].errors["email"]


def test_the_owner_of_one_initiative_cannot_edit_or_invite_on_another(
    owned, zeeland, client_for, django_capture_on_commit_callbacks
):
    # Given two initiatives of the same portal with different owners
    owner, mine = owned
    theirs, _ = register(make_user(), VLISSINGEN)
    client = client_for(zeeland, owner)
    # When the owner of the one opens or posts the other's edit and invitation pages
    edit_url = f"/initiatieven/{theirs.slug}/bewerken/"
    invite_url = f"/initiatieven/{theirs.slug}/mede-eigenaar/"
    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            client.get(edit_url),
            client.post(edit_url, _edit_data(theirs, people_reached="1", short_description="Overgenomen.")),
            client.get(invite_url),
            client.post(invite_url, {"email": "handlanger@example.org"}),
        ]
    # Then each is refused, and nothing of the other initiative changed: no edit, no invitation, no mail
    assert [r.status_code for r in responses] == [403, 403, 403, 403]
    row = IndexEntry.objects.get(uuid=theirs.uuid)
    assert (row.people_reached, row.short_description) == (theirs.people_reached, theirs.short_description)
    with schema_context("zeeland"):
        assert not Invitation.objects.filter(initiative=theirs).exists()
        assert not Ownership.objects.filter(initiative=theirs, user=owner).exists()
    assert mail.outbox == []
    # while on their own initiative the same person may do both
    assert client.get(f"/initiatieven/{mine.slug}/bewerken/").status_code == 200
    assert client.get(f"/initiatieven/{mine.slug}/mede-eigenaar/").status_code == 200
