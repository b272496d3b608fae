"""Deleting a person touches every portal and leaves no dangling rows."""

import io

from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import schema_context
from wagtail.log_actions import log
from wagtail.models import Comment, ModelLogEntry, Page

from accounts.models import User
from accounts.services import delete_account
from cms.models import ContentPage, HomePage
from initiatives.models import Initiative, Invitation, Ownership
from national_index.models import IndexEntry
from portals.reconcile import reconcile
from roles.models import Membership
from roles.services import group_name
from tests.support import ROTTERDAM, VLISSINGEN, make_user, register, with_role


def test_deleting_a_person_cleans_every_portal_and_keeps_their_initiatives(zeeland, rotterdam):
    # Given a person who is an editor in Zeeland, owns initiatives in Zeeland and Rotterdam
    person = make_user()
    with_role(person, zeeland, "editor")
    in_zeeland, _ = register(person, VLISSINGEN)
    in_rotterdam, _ = register(person, ROTTERDAM)
    # And a colleague with the same role, who must be untouched
    colleague = with_role(make_user(), zeeland, "editor")

    # When the person's account is deleted
    report = delete_account(person)

    # Then the account is gone, and so are their memberships and ownerships in every schema
    assert not User.objects.filter(pk=person.pk).exists()
    assert report.rows["zeeland"] >= 2 and report.rows["rotterdam"] >= 1
    for schema, initiative in (("zeeland", in_zeeland), ("rotterdam", in_rotterdam)):
        with schema_context(schema):
            assert not Membership.objects.filter(user_id=person.pk).exists()
            assert not Ownership.objects.filter(user_id=person.pk).exists()
            # The initiatives themselves stay (withdrawn: nobody is left to keep them up to date)
            assert Initiative.objects.get(pk=initiative.pk).status == Initiative.Status.WITHDRAWN
    with schema_context("zeeland"):
        assert Membership.objects.filter(user=colleague, group__in=Group.objects.all()).exists()
    # And no foreign key anywhere still points at the deleted account (deferred constraints checked now)
    connection.check_constraints()


PASSWORD = "een-lang-wachtwoord-123"


def _co_own(initiative, co_owner):
    with schema_context("zeeland"):
        Ownership.objects.create(initiative=initiative, user=co_owner)


def _zeeland_initiative(pk):
    with schema_context("zeeland"):
        return Initiative.objects.get(pk=pk)


def test_deleting_my_account_hands_the_contact_to_a_co_owner_and_says_so(
    zeeland, client_for, django_capture_on_commit_callbacks
):
    # Given a person who is the contact of an initiative they own with a co-owner
    person = make_user("piet.persoon@example.org", full_name="Piet Persoon")
    initiative, _ = register(
        person, VLISSINGEN, contact_name="Piet Persoon", contact_email="Piet.Persoon@example.org", contact_phone="0611"
    )
    co_owner = make_user("anna.ander@example.org", full_name="Anna Ander")
    _co_own(initiative, co_owner)
    client = client_for(zeeland, person)
    # And the delete page tells them beforehand what will happen
    page = client.get("/account/verwijderen/").content.decode()
    assert f"{initiative.name} (MAEX Zeeland): contactgegevens overgedragen aan mede-eigenaar Anna Ander" in page

    # When they delete their account on their account page, with their password
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/verwijderen/", {"password": PASSWORD, "confirm": "on"}, follow=True)

    # Then the account is gone and they are signed out, with what happened said on the page
    assert not User.objects.filter(pk=person.pk).exists()
    assert not response.context["user"].is_authenticated
    text = response.content.decode()
    assert "Uw account is verwijderd." in text
    assert "contactgegevens overgedragen aan mede-eigenaar Anna Ander" in text
    # And the co-owner is now the contact, and nothing of the person is left in the profile
    after = _zeeland_initiative(initiative.pk)
    assert (after.contact_name, after.contact_email, after.contact_phone) == (
        "Anna Ander",
        "anna.ander@example.org",
        "",
    )
    assert after.status == Initiative.Status.PUBLISHED
    # And the co-owner got a mail saying so, with a link to check the profile on its portal
    [message] = [m for m in mail.outbox if m.to == ["anna.ander@example.org"]]
    assert "overgezet naar Anna Ander" in message.body
    assert zeeland.absolute_url(f"/initiatieven/{initiative.slug}/bewerken/") in message.body
    assert "Piet" not in message.body
    # And the national index still matches every portal
    assert reconcile().clean


def test_each_remaining_owner_hears_of_a_deletion_alone_and_in_their_own_language(
    zeeland, django_capture_on_commit_callbacks
):
    # Given an initiative with three owners, one of whom last acted on the platform in English
    person = make_user("piet.persoon@example.org", full_name="Piet Persoon")
    initiative, _ = register(person, VLISSINGEN, contact_name="Piet Persoon", contact_email="piet.persoon@example.org")
    dutch = make_user("anna.ander@example.org", full_name="Anna Ander")
    english = make_user("edward.english@example.org", full_name="Edward English")
    User.objects.filter(pk=english.pk).update(language="en")
    _co_own(initiative, dutch)
    _co_own(initiative, english)

    # When the first owner deletes their account
    with django_capture_on_commit_callbacks(execute=True):
        delete_account(person, by=person)

    # Then each remaining owner gets a mail of their own, in the language they act in
    by_recipient = {tuple(m.to): m for m in mail.outbox if "mede-eigenaar" in m.subject or "co-owner" in m.subject}
    assert set(by_recipient) == {("anna.ander@example.org",), ("edward.english@example.org",)}
    assert by_recipient[("anna.ander@example.org",)].subject.endswith(
        f"Een mede-eigenaar van {initiative.name} heeft het account verwijderd"
    )
    assert by_recipient[("edward.english@example.org",)].subject.endswith(
        f"A co-owner of {initiative.name} has deleted their account"
    )


def test_a_wrong_password_deletes_nothing(zeeland, client_for):
    person = make_user()
    response = client_for(zeeland, person).post("/account/verwijderen/", {"password": "fout", "confirm": "on"})
    assert response.status_code == 400
    assert "Dit wachtwoord klopt niet." in response.content.decode()
    assert User.objects.filter(pk=person.pk).exists()


def test_a_staff_account_cannot_delete_itself_on_the_page(zeeland, client_for):
    staff = make_user(superuser=True)
    response = client_for(zeeland, staff).post("/account/verwijderen/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 403
    assert User.objects.filter(pk=staff.pk).exists()


def test_a_sole_owner_s_initiative_is_withdrawn_with_its_contact_cleared(zeeland, django_capture_on_commit_callbacks):
    # Given a published initiative with one owner
    person = make_user()
    initiative, _ = register(person, VLISSINGEN, contact_email="mij@example.org", contact_phone="0612345678")
    assert IndexEntry.objects.filter(uuid=initiative.uuid).exists()

    # When that owner's account is deleted
    with django_capture_on_commit_callbacks(execute=True):
        erasure = delete_account(person)

    # Then the initiative is withdrawn: off every list and the index, its contact details gone
    after = _zeeland_initiative(initiative.pk)
    assert after.status == Initiative.Status.WITHDRAWN
    assert (after.contact_name, after.contact_email, after.contact_phone) == ("", "", "")
    assert not IndexEntry.objects.filter(uuid=initiative.uuid).exists()
    assert reconcile().clean
    # And the report says so
    [outcome] = erasure.initiatives
    assert outcome.outcome == "withdrawn"
    assert (
        outcome.describe()
        == f"{initiative.name} (MAEX Zeeland): contactgegevens gewist en het initiatief is ingetrokken."
    )
    assert mail.outbox == []  # nobody left to tell


def test_a_contact_that_is_not_the_person_s_stays_with_the_co_owners(zeeland, django_capture_on_commit_callbacks):
    person = make_user(full_name="Piet Persoon")
    initiative, _ = register(person, VLISSINGEN, contact_name="Secretariaat", contact_email="info@stichting.example")
    co_owner = make_user()
    _co_own(initiative, co_owner)

    with django_capture_on_commit_callbacks(execute=True):
        [outcome] = delete_account(person).initiatives

    after = _zeeland_initiative(initiative.pk)
    assert (after.contact_name, after.contact_email, after.status) == (
        "Secretariaat",
        "info@stichting.example",
        Initiative.Status.PUBLISHED,
    )
    assert outcome.outcome == "kept"
    [message] = mail.outbox
    assert message.to == [co_owner.email] and "niet gewijzigd" in message.body


def test_the_person_s_messages_go_and_the_audit_trail_stays_without_their_name(zeeland):
    # Given a person who registered an initiative, was invited to another, and commented on a page
    person = make_user("piet.persoon@example.org", full_name="Piet Persoon")
    initiative, _ = register(person, VLISSINGEN)
    others, _ = register(make_user(), VLISSINGEN)
    with schema_context("zeeland"):
        Invitation.objects.create(initiative=others, email="piet.persoon@example.org", token="t-1")
        comment = Comment.objects.create(
            page=HomePage.objects.get(), user=person, text="Mijn opmerking", contentpath="title"
        )
        # and whose account an admin edited (Wagtail logs that with the person's name as label)
        log(person, "wagtail.edit", title=str(person))
        own_entries = set(ModelLogEntry.objects.filter(user_id=person.pk).values_list("pk", flat=True))
    assert own_entries  # the registration was logged with the person as actor

    # When the account is deleted
    delete_account(person)

    with schema_context("zeeland"):
        # Then the invitation to their address and their comment are gone
        assert not Invitation.objects.filter(email="piet.persoon@example.org").exists()
        assert not Comment.objects.filter(pk=comment.pk).exists()
        # And the entries of what they did are still there, naming only "user N (deleted)"
        entries = ModelLogEntry.objects.filter(pk__in=own_entries).select_related("user")  # as the admin reads them
        assert entries.count() == len(own_entries)
        assert {e.user_display_name for e in entries} == {f"gebruiker {person.pk} (verwijderd)"}
        # And no entry anywhere in the portal's log still holds their name or address
        labels = " ".join(ModelLogEntry.objects.values_list("label", flat=True))
        assert "Piet Persoon" not in labels and "piet.persoon@example.org" not in labels
        # And the deletion itself is in the log
        assert ModelLogEntry.objects.filter(action="maex.account.delete", object_id=str(person.pk)).exists()


def test_the_command_says_what_happens_to_each_initiative(zeeland, django_capture_on_commit_callbacks):
    person = make_user("verzoek@example.org")
    initiative, _ = register(person, VLISSINGEN)
    out = io.StringIO()

    call_command("delete_account", "verzoek@example.org", "--dry-run", stdout=out)
    assert (
        f"{initiative.name} (MAEX Zeeland): contactgegevens gewist en het initiatief is ingetrokken." in out.getvalue()
    )
    assert User.objects.filter(pk=person.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("delete_account", "verzoek@example.org", stdout=out)
    assert out.getvalue().count("het initiatief is ingetrokken") == 2
    assert not User.objects.filter(pk=person.pk).exists()


def test_deleting_a_user_in_the_national_admin_deletes_them_from_every_portal(national, rotterdam, client_for):
    # Given a person who owns an initiative in Rotterdam, and platform staff in the national portal's admin (the
    # only admin where accounts themselves are managed: docs/decisions/0012)
    person = make_user()
    in_rotterdam, _ = register(person, ROTTERDAM)
    staff = make_user(superuser=True)

    # When staff delete the person with Wagtail's "delete user" there
    response = client_for(national, staff).post(f"/beheer/users/delete/{person.pk}/")

    # Then the account is gone through the platform's erasure: Rotterdam's initiative is released too
    assert response.status_code == 302 and response["Location"] == "/beheer/users/"
    assert not User.objects.filter(pk=person.pk).exists()
    with schema_context("rotterdam"):
        assert Initiative.objects.get(pk=in_rotterdam.pk).status == Initiative.Status.WITHDRAWN
        assert ModelLogEntry.objects.filter(action="maex.account.delete", user_id=staff.pk).exists()
    assert reconcile().clean


def test_a_portal_admin_cannot_delete_a_shared_account_even_with_the_permission(zeeland, client_for):
    # Given a portal admin whose group was given "delete user" (a shared model's permission), and an editor of
    # that portal (so the account is listed in this portal's users admin)
    person = with_role(make_user(), zeeland, "editor")
    admin = with_role(make_user(), zeeland, "portal_admin")
    with schema_context("zeeland"):
        delete_user = Permission.objects.get(codename="delete_user", content_type__app_label="accounts")
        Group.objects.get(name=group_name("portal_admin")).permissions.add(delete_user)

    # When they try to delete a person's account in their portal's admin
    response = client_for(zeeland, admin).post(f"/beheer/users/delete/{person.pk}/")

    # Then Wagtail refuses (back to the dashboard) and the account is untouched: only platform staff delete
    assert (response.status_code, response["Location"]) == (302, "/beheer/")
    assert User.objects.filter(pk=person.pk).exists()


def test_a_reviewer_s_notes_in_the_workflow_go_with_their_account(zeeland):
    # Given an editor who sent an author's page back with a note
    author = with_role(make_user(), zeeland, "author")
    editor = with_role(make_user(), zeeland, "editor")
    with schema_context("zeeland"):
        page = HomePage.objects.get().add_child(instance=ContentPage(title="Concept", slug="concept", live=False))
        page.save_revision(user=author)
        page.get_workflow().start(page, author)
        state = Page.objects.get(pk=page.pk).current_workflow_task_state
        state.task.specific.on_action(state, editor, "reject", comment="Graag inkorten, groet Els")

    # When the editor's account is deleted
    delete_account(editor)

    # Then the review stays (the page's history) but without the note or who wrote it
    with schema_context("zeeland"):
        state.refresh_from_db()
        assert (state.status, state.comment, state.finished_by_id) == ("rejected", "", None)


def test_a_held_change_cannot_bring_erased_contact_details_back(zeeland):
    from initiatives import services
    from initiatives.models import ProfileChange

    # Given a sole owner's published initiative with a change of theirs waiting for review
    person = make_user()
    initiative, portal = register(person, VLISSINGEN, contact_email=person.email)
    with schema_context("zeeland"):
        stored = Initiative.objects.for_revaluation().prefetch_related("partners").get(pk=initiative.pk)
        p = services.profile_of(stored)
        p.fields["people_reached"] = stored.people_reached * 3
        change = services.change_profile(initiative=stored, portal=portal, profile=p, by=person)
    assert change.is_pending and change.proposed["fields"]["contact_email"] == person.email
    # When their account is deleted and an editor then applies the change
    delete_account(person)
    with schema_context("zeeland"):
        services.approve_change(ProfileChange.objects.get(pk=change.pk), portal)
        # Then the contact details stay erased
        assert Initiative.objects.get(pk=initiative.pk).contact_email == ""
        assert ProfileChange.objects.get(pk=change.pk).proposed["fields"]["contact_email"] == ""
