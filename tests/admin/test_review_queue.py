"""The review queue in each portal's Wagtail admin: editors of a portal review that portal's registrations,
and nobody else's."""

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from initiatives.models import Initiative
from national_index.models import IndexEntry
from tests.support import ROTTERDAM, VLISSINGEN, make_user, register, sign_in_with_mfa, with_role

QUEUE = "/beheer/aanmeldingen/"


def review_url(initiative):
    return f"{QUEUE}{initiative.pk}/"


def status_of(initiative, schema):
    with schema_context(schema):
        return Initiative.objects.get(pk=initiative.pk).status


@pytest.fixture
def submitted(zeeland):
    """An initiative registered in Vlissingen, waiting for Zeeland's review."""
    initiative, portal = register(code=VLISSINGEN, publish=False, contact_email="geheim@example.org")
    assert portal.schema_name == "zeeland" and initiative.status == Initiative.Status.SUBMITTED
    return initiative


def test_an_editor_sees_the_queue_and_the_private_contact_details_and_can_publish(zeeland, submitted, client_for):
    # Given an editor of Zeeland
    client = client_for(zeeland, with_role(make_user(), zeeland, "editor"))
    # When they open the queue and the review page
    queue = client.get(QUEUE)
    page = client.get(review_url(submitted))
    # Then the submitted initiative is listed, with whether Zeeland reviews first, and its profile shows the
    # contact details that are never public
    assert queue.status_code == 200
    assert submitted.name in queue.content.decode()
    assert 'data-review-required="ja"' in queue.content.decode()
    html = page.content.decode()
    assert page.status_code == 200
    assert "geheim@example.org" in html and submitted.contact_name in html
    assert "Publiceren" in html and "Afwijzen" in html
    assert not IndexEntry.objects.filter(uuid=submitted.uuid).exists()
    # When they publish it
    response = client.post(f"{review_url(submitted)}publiceren/")
    # Then it is published and in the national index, with its canonical URL on Zeeland's portal
    assert response.status_code == 302 and response["Location"] == QUEUE
    assert status_of(submitted, "zeeland") == Initiative.Status.PUBLISHED
    entry = IndexEntry.objects.get(uuid=submitted.uuid)
    assert entry.portal_id == zeeland.pk
    assert entry.url.startswith("http://zeeland.localhost")
    after = client.get(QUEUE).content.decode()
    assert f"{submitted.name} is gepubliceerd." in after  # the message
    assert review_url(submitted) not in after  # no longer waiting


def test_the_queue_says_when_a_portal_publishes_at_once(zeeland, client_for):
    from tenants.models import Portal

    Portal.objects.filter(pk=zeeland.pk).update(review_required=False)
    client = client_for(zeeland, with_role(make_user(), zeeland, "editor"))
    assert 'data-review-required="nee"' in client.get(QUEUE).content.decode()


def test_rejecting_changes_that_initiative_only(zeeland, submitted, client_for):
    # Given a published and a second submitted initiative next to the one under review
    published, _ = register(code=VLISSINGEN)
    waiting, _ = register(code=VLISSINGEN, publish=False)
    entries_before = set(IndexEntry.objects.values_list("uuid", "name", "url"))
    client = client_for(zeeland, with_role(make_user(), zeeland, "editor"))
    # When the editor rejects it, with a reason (without one it is refused: the owners are told why)
    refused = client.post(f"{review_url(submitted)}afwijzen/")
    assert refused.status_code == 302 and refused["Location"] == review_url(submitted)
    assert status_of(submitted, "zeeland") == Initiative.Status.SUBMITTED
    response = client.post(f"{review_url(submitted)}afwijzen/", {"reason": "Geen maatschappelijk initiatief."})
    # Then only that one is rejected; the index and the others are as they were
    assert response.status_code == 302
    assert status_of(submitted, "zeeland") == Initiative.Status.REJECTED
    assert status_of(published, "zeeland") == Initiative.Status.PUBLISHED
    assert status_of(waiting, "zeeland") == Initiative.Status.SUBMITTED
    assert set(IndexEntry.objects.values_list("uuid", "name", "url")) == entries_before
    # And a decided initiative cannot be decided again through the buttons
    again = client.post(f"{review_url(submitted)}publiceren/")
    assert again.status_code == 302
    assert status_of(submitted, "zeeland") == Initiative.Status.REJECTED
    assert not IndexEntry.objects.filter(uuid=submitted.uuid).exists()


def test_an_editor_of_zeeland_is_nobody_in_rotterdams_admin(zeeland, rotterdam, client_for):
    # Given an initiative waiting in Rotterdam and an editor of Zeeland only
    theirs, portal = register(code=ROTTERDAM, publish=False)
    assert portal.schema_name == "rotterdam"
    editor = with_role(make_user(), zeeland, "editor")
    client = client_for(rotterdam, editor)
    # When they try Rotterdam's queue, review page and buttons
    responses = [
        client.get(QUEUE),
        client.get(review_url(theirs)),
        client.post(f"{review_url(theirs)}publiceren/"),
        client.post(f"{review_url(theirs)}afwijzen/"),
    ]
    # Then every one sends them to the login page and nothing changed
    for response in responses:
        assert response.status_code == 302 and response["Location"].startswith("/beheer/login/"), response
    assert status_of(theirs, "rotterdam") == Initiative.Status.SUBMITTED
    assert not IndexEntry.objects.filter(uuid=theirs.uuid).exists()


@pytest.mark.parametrize("role", [None, "fund_manager"])
def test_people_without_the_review_role_get_no_access(role, zeeland, submitted, client_for):
    # Given a signed-in visitor without a role, or a fund manager (admin access, no review permission)
    user = make_user()
    if role:
        with_role(user, zeeland, role)
    client = client_for(zeeland, user)
    # When they try the queue, the review page and the buttons
    responses = [
        client.get(QUEUE),
        client.get(review_url(submitted)),
        client.post(f"{review_url(submitted)}publiceren/"),
        client.post(f"{review_url(submitted)}afwijzen/"),
    ]
    # Then they are sent away (no admin access: to the login page; admin access without the review role: to
    # the admin home with Wagtail's "no access" message) and nothing changed
    for response in responses:
        expected = "/beheer/" if role else "/beheer/login/?next="
        assert response.status_code == 302 and response["Location"].startswith(expected), response
        if role:
            assert response["Location"] == "/beheer/"
    if role:
        followed = client.get(QUEUE, follow=True)
        assert {str(m).strip() for m in followed.context["messages"]} == {
            "Sorry, je hebt geen toegang tot dit gedeelte."
        }
        assert str(submitted.name) not in followed.content.decode()
    assert status_of(submitted, "zeeland") == Initiative.Status.SUBMITTED
    assert not IndexEntry.objects.filter(uuid=submitted.uuid).exists()


def test_the_menu_item_shows_only_to_reviewers(zeeland, client_for):
    editor = client_for(zeeland, with_role(make_user(), zeeland, "editor"))
    fund_manager = client_for(zeeland, with_role(make_user(), zeeland, "fund_manager"))
    assert QUEUE in editor.get("/beheer/").content.decode()
    home = fund_manager.get("/beheer/")
    assert home.status_code == 200 and QUEUE not in home.content.decode()


def test_the_buttons_need_a_csrf_token(zeeland, submitted):
    client = Client(HTTP_HOST=zeeland.primary_host, enforce_csrf_checks=True)
    sign_in_with_mfa(client, with_role(make_user(), zeeland, "editor"))
    assert client.post(f"{review_url(submitted)}publiceren/").status_code == 403
    assert status_of(submitted, "zeeland") == Initiative.Status.SUBMITTED


def test_the_decision_urls_answer_post_only(zeeland, submitted, client_for):
    client = client_for(zeeland, with_role(make_user(), zeeland, "editor"))
    assert client.get(f"{review_url(submitted)}publiceren/").status_code == 405
    assert status_of(submitted, "zeeland") == Initiative.Status.SUBMITTED
