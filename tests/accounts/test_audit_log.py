"""Who changed what, in which portal: each portal's Wagtail audit log (Reports > Site history), without secrets
or contact details."""

import json

from django.contrib.auth.models import Group
from django_tenants.utils import schema_context
from wagtail.models import ModelLogEntry

from accounts.models import User
from accounts.services import delete_account
from geo.models import Municipality
from initiatives.models import Initiative
from portals import services as portals
from roles.services import group_name
from tests.support import (
    AMSTERDAM,
    VLISSINGEN,
    edits_go_live,
    form_data,
    make_user,
    municipality,
    register,
    with_role,
)

SITE_HISTORY = "/beheer/reports/site-history/"


def _entries(schema, **filters):
    with schema_context(schema):
        return list(ModelLogEntry.objects.filter(**filters).select_related("user").order_by("pk"))


def test_a_profile_edit_in_zeeland_is_in_zeeland_s_log_only_and_names_fields_not_values(zeeland, rotterdam, client_for):
    # Given an owner of a Zeeland initiative, and an admin in each of Zeeland and Rotterdam
    edits_go_live(zeeland)
    owner = make_user(full_name="Olga Eigenaar")
    initiative, _ = register(owner, VLISSINGEN)
    zeeland_admin = with_role(make_user(), zeeland, "portal_admin")
    rotterdam_admin = with_role(make_user(), rotterdam, "portal_admin")

    # When the owner changes the phone number and the number of people reached
    data = form_data(
        municipality(VLISSINGEN).pk, name=initiative.name, contact_phone="0699887766", people_reached="4321"
    )
    assert client_for(zeeland, owner).post(f"/initiatieven/{initiative.slug}/bewerken/", data).status_code == 302

    # Then Zeeland's log says who changed which fields of which initiative
    [edit] = _entries("zeeland", action="maex.initiative.edit", object_id=str(initiative.pk))
    assert edit.user_id == owner.pk and edit.label == initiative.name
    assert {"contact_phone", "people_reached"} <= set(edit.data["fields"])
    # but never the new values of contact details
    assert "0699887766" not in json.dumps(edit.data) + edit.label
    # And Rotterdam's log has nothing of it
    assert _entries("rotterdam", object_id=str(initiative.pk), action__startswith="maex.initiative") == []
    # And Zeeland's admin reads it under Reports > Site history, Rotterdam's admin does not
    zeeland_page = client_for(zeeland, zeeland_admin).get(SITE_HISTORY).content.decode()
    assert "Profiel gewijzigd" in zeeland_page and "Olga Eigenaar" in zeeland_page
    assert initiative.name in zeeland_page
    rotterdam_page = client_for(rotterdam, rotterdam_admin).get(SITE_HISTORY)
    assert rotterdam_page.status_code == 200
    assert initiative.name not in rotterdam_page.content.decode()


def test_review_invitation_and_role_changes_are_logged_without_addresses(zeeland, client_for):
    # Given a submitted initiative and an editor of Zeeland
    owner = make_user()
    initiative, _ = register(owner, VLISSINGEN, publish=False)
    editor = with_role(make_user("redacteur@example.org"), zeeland, "editor")

    # When the editor publishes it, and the owner invites a co-owner
    client_for(zeeland, editor).post(f"/beheer/aanmeldingen/{initiative.pk}/publiceren/")
    client_for(zeeland, owner).post(f"/initiatieven/{initiative.slug}/mede-eigenaar/", {"email": "mede@example.org"})

    # Then each is in Zeeland's log, with who did it
    with schema_context("zeeland"):
        assert Initiative.objects.get(pk=initiative.pk).status == Initiative.Status.PUBLISHED
    [published] = _entries("zeeland", action="maex.initiative.publish", object_id=str(initiative.pk))
    assert published.user_id == editor.pk
    [invited] = _entries("zeeland", action="maex.initiative.invite", object_id=str(initiative.pk))
    assert invited.user_id == owner.pk
    assert "mede@example.org" not in json.dumps(invited.data) + invited.label
    # And the role is logged on the editors' group, naming the account by id only (by name while it exists)
    with schema_context("zeeland"):
        group = Group.objects.get(name=group_name("editor"))
    [role] = _entries("zeeland", action="maex.role.assign", data__user_id=editor.pk)
    assert role.object_id == str(group.pk) and "redacteur@example.org" not in json.dumps(role.data) + role.label
    with schema_context("zeeland"):
        assert role.message == f"Rol toegekend aan {editor.get_full_name()}"


def test_a_coverage_change_is_in_the_national_portal_s_log(national, rotterdam):
    admin = with_role(make_user(), national, "national_admin")
    amsterdam = Municipality.objects.get(cbs_code=AMSTERDAM)

    portals.add_coverage(rotterdam, amsterdam, by=admin)

    [entry] = _entries("landelijk", action="maex.portal.coverage_add", object_id=str(rotterdam.pk))
    assert entry.user_id == admin.pk and entry.data["municipality"] == AMSTERDAM
    assert _entries("rotterdam", action="maex.portal.coverage_add") == []


def test_the_site_history_shows_a_deleted_person_by_number_only(zeeland, client_for):
    # Given a person who registered an initiative in Zeeland, and then deleted their account
    person = make_user("weg@example.org", full_name="Willem Weg")
    initiative, _ = register(person, VLISSINGEN)
    person_pk = person.pk
    delete_account(person, by=person)
    assert not User.objects.filter(pk=person_pk).exists()
    admin = with_role(make_user(), zeeland, "portal_admin")

    # When Zeeland's admin reads the site history
    page = client_for(zeeland, admin).get(SITE_HISTORY).content.decode()

    # Then the registration and the withdrawal are there, by "user N (deleted)", never by name
    assert "Initiatief aangemeld" in page and "Contactgegevens gewist" in page
    assert f"gebruiker {person_pk} (verwijderd)" in page
    assert "Willem Weg" not in page and "weg@example.org" not in page
