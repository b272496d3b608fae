"""Held changes (docs/decisions/0021-held-changes.md): a portal refuses or holds implausible figures; a change of a
published initiative beyond the portal's threshold waits for review while the public page, the API and the
national index keep the old values; every change is kept with its before and after."""

from decimal import Decimal

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from initiatives import services
from initiatives.models import Initiative, ProfileChange
from initiatives.tasks import announce_waiting_registrations
from national_index.models import IndexEntry
from tenants.models import Portal
from tenants.services import set_review_rules
from tests.support import ROTTERDAM, VLISSINGEN, form_data, make_user, municipality, profile, register, with_role


def _edit(initiative, schema, **fields):
    """The stored profile of ``initiative`` with ``fields`` changed: what the edit form would send."""
    with schema_context(schema):
        stored = Initiative.objects.for_revaluation().prefetch_related("partners").get(pk=initiative.pk)
        p = services.profile_of(stored)
    p.fields.update(fields)
    return p


def _implausible(p):
    p.activities = [{"item_code": "werk-traject", "quantity": Decimal(40_000), "description": ""}]
    return p


def _change(initiative, portal, p, by=None):
    with schema_context(portal.schema_name):
        return services.change_profile(initiative=initiative, portal=portal, profile=p, by=by)


def _stored(initiative, schema):
    with schema_context(schema):
        return Initiative.objects.get(pk=initiative.pk)


def test_an_edit_within_the_threshold_goes_live_at_once_and_is_kept_with_its_before_and_after(zeeland):
    owner = make_user()
    initiative, portal = register(owner, VLISSINGEN)
    people = initiative.people_reached
    # When the owner moves people reached by 20 % and rewrites the short description
    change = _change(
        initiative,
        portal,
        _edit(initiative, "zeeland", people_reached=people * 6 // 5, short_description="Nieuw."),
        owner,
    )
    # Then it is live at once, in the initiative and the index, and the history row says what changed
    assert change.state == ProfileChange.State.APPLIED and change.by == owner
    assert _stored(initiative, "zeeland").people_reached == people * 6 // 5
    assert IndexEntry.objects.get(uuid=initiative.uuid).short_description == "Nieuw."
    rows = {row["field"]: (row["before"], row["after"]) for row in change.diff}
    assert rows["people_reached"] == (str(people), str(people * 6 // 5))
    assert rows["short_description"] == (initiative.short_description, "Nieuw.")
    assert "contact_email" not in rows  # never public, never in the history
    with schema_context("zeeland"):
        kinds = list(ProfileChange.objects.filter(initiative=initiative).values_list("kind", "state"))
    assert kinds == [("edit", "applied"), ("registration", "applied")]


def test_an_edit_beyond_the_threshold_waits_and_the_public_page_api_and_index_keep_the_old_values(
    zeeland, client_for, django_capture_on_commit_callbacks
):
    # Given a published initiative of Zeeland and an editor there
    owner = make_user()
    initiative, portal = register(owner, VLISSINGEN)
    editor = with_role(make_user(), zeeland, "editor")
    old_people, new_people = initiative.people_reached, initiative.people_reached * 3
    # When the owner triples people reached and renames the short description
    change = _change(
        initiative,
        portal,
        _edit(initiative, "zeeland", people_reached=new_people, short_description="Veel groter."),
        owner,
    )
    # Then the change waits, with the reason, and nothing public moved
    assert change.state == ProfileChange.State.PENDING
    assert any("bereikte mensen per jaar" in r and "meer dan 50%" in r for r in change.reasons)
    assert _stored(initiative, "zeeland").people_reached == old_people
    assert IndexEntry.objects.get(uuid=initiative.uuid).people_reached == old_people
    visitor = client_for(zeeland)
    page = visitor.get(f"/initiatieven/{initiative.slug}/").content.decode()
    assert "Veel groter." not in page and initiative.short_description in page
    api = visitor.get(f"/api/v1/initiatives/{initiative.uuid}").json()
    assert (api["people_reached"], api["short_description"]) == (old_people, initiative.short_description)
    # When the editor applies it
    mail.outbox.clear()
    client = client_for(zeeland, editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/beheer/aanmeldingen/wijziging/{change.pk}/doorvoeren/")
    # Then the page, the API and the index show the new values, and the owners are told
    assert response.status_code == 302
    assert _stored(initiative, "zeeland").people_reached == new_people
    assert IndexEntry.objects.get(uuid=initiative.uuid).people_reached == new_people
    assert "Veel groter." in visitor.get(f"/initiatieven/{initiative.slug}/").content.decode()
    assert visitor.get(f"/api/v1/initiatives/{initiative.uuid}").json()["people_reached"] == new_people
    with schema_context("zeeland"):
        applied = ProfileChange.objects.get(pk=change.pk)
    assert (applied.state, applied.decided_by_id) == (ProfileChange.State.APPLIED, editor.pk)
    assert {"field": "people_reached", "before": str(old_people), "after": str(new_people)} in applied.diff
    (message,) = [m for m in mail.outbox if owner.email in m.to]
    assert message.subject == f"Wijziging doorgevoerd: {initiative.name}"


def test_rejecting_a_held_change_keeps_the_old_values_and_mails_the_reason(
    zeeland, client_for, django_capture_on_commit_callbacks
):
    owner = make_user()
    initiative, portal = register(owner, VLISSINGEN)
    before = IndexEntry.objects.get(uuid=initiative.uuid)
    change = _change(
        initiative, portal, _edit(initiative, "zeeland", volunteers=initiative.volunteers * 10 + 10), owner
    )
    client = client_for(zeeland, with_role(make_user(), zeeland, "editor"))
    # Without a reason the rejection is refused: the owners are told why
    refused = client.post(f"/beheer/aanmeldingen/wijziging/{change.pk}/afwijzen/")
    assert refused.status_code == 302 and refused["Location"].endswith(f"/wijziging/{change.pk}/")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/beheer/aanmeldingen/wijziging/{change.pk}/afwijzen/", {"reason": "Tien keer zoveel? Graag uitleg."}
        )
    with schema_context("zeeland"):
        rejected = ProfileChange.objects.get(pk=change.pk)
    assert (rejected.state, rejected.note) == (ProfileChange.State.REJECTED, "Tien keer zoveel? Graag uitleg.")
    assert _stored(initiative, "zeeland").volunteers == initiative.volunteers
    assert IndexEntry.objects.get(uuid=initiative.uuid).volunteers == before.volunteers
    (message,) = [m for m in mail.outbox if owner.email in m.to]
    assert "Tien keer zoveel? Graag uitleg." in message.body and initiative.name in message.subject


def test_a_newer_edit_supersedes_the_pending_one(zeeland):
    owner = make_user()
    initiative, portal = register(owner, VLISSINGEN)
    first = _change(
        initiative, portal, _edit(initiative, "zeeland", people_reached=initiative.people_reached * 4), owner
    )
    second = _change(
        initiative, portal, _edit(initiative, "zeeland", people_reached=initiative.people_reached * 5), owner
    )
    with schema_context("zeeland"):
        states = dict(ProfileChange.objects.filter(pk__in=[first.pk, second.pk]).values_list("pk", "state"))
    assert states == {first.pk: "superseded", second.pk: "pending"}
    # A small edit goes live at once and also replaces the waiting one
    third = _change(initiative, portal, _edit(initiative, "zeeland", description="Alleen de tekst."), owner)
    assert third.state == ProfileChange.State.APPLIED
    with schema_context("zeeland"):
        assert ProfileChange.objects.get(pk=second.pk).state == "superseded"
        assert not ProfileChange.objects.filter(initiative=initiative, state="pending").exists()
        assert ProfileChange.objects.filter(initiative=initiative).count() == 4  # nothing stored is lost


def test_a_refusing_portal_refuses_and_a_holding_portal_holds_implausible_figures(zeeland, rotterdam):
    # Zeeland refuses (the default): nothing is written
    initiative, portal = register(make_user(), VLISSINGEN)
    with pytest.raises(services.ImplausibleDeclaration):
        _change(initiative, portal, _implausible(_edit(initiative, "zeeland")))
    # Rotterdam holds: the edit waits with the reasons, the published values stay
    set_review_rules(rotterdam, implausible=Portal.Implausible.HOLD, hold_threshold=50)
    theirs, home = register(make_user(), ROTTERDAM)
    change = _change(theirs, home, _implausible(_edit(theirs, "rotterdam")))
    assert change.state == ProfileChange.State.PENDING
    assert any(r.startswith("Niet aannemelijk: ") and "werk" in r for r in change.reasons)
    assert IndexEntry.objects.get(uuid=theirs.uuid).social_value == theirs.social_value


def test_an_implausible_registration_on_a_holding_portal_is_stored_and_waits_even_without_review(rotterdam):
    Portal.objects.filter(pk=rotterdam.pk).update(review_required=False)
    set_review_rules(rotterdam, implausible=Portal.Implausible.HOLD, hold_threshold=50)
    p = _implausible(profile(ROTTERDAM, people_reached=250, volunteers=12, paid_staff=1, paid_fte=Decimal("0.5")))
    initiative, portal = services.register_initiative(owner=make_user(), profile=p)
    assert initiative.status == Initiative.Status.SUBMITTED
    assert not IndexEntry.objects.filter(uuid=initiative.uuid).exists()
    with schema_context("rotterdam"):
        (registration,) = ProfileChange.objects.filter(initiative=initiative)
    assert registration.kind == "registration" and registration.reasons
    # While a plausible one is published at once, as the portal chose
    plain, _ = services.register_initiative(owner=make_user(), profile=profile(ROTTERDAM))
    assert plain.status == Initiative.Status.PUBLISHED


def test_the_owner_sees_the_waiting_change_in_mijn_maex_and_on_the_edit_page(zeeland, client_for):
    owner = make_user()
    initiative, portal = register(owner, VLISSINGEN)
    client = client_for(zeeland, owner)
    assert "data-pending-change" not in client.get("/mijn-maex/").content.decode()
    _change(initiative, portal, _edit(initiative, "zeeland", people_reached=initiative.people_reached * 3), owner)
    assert "data-pending-change" in client.get("/mijn-maex/").content.decode()
    assert "data-pending-change" in client.get(f"/initiatieven/{initiative.slug}/bewerken/").content.decode()


def test_held_changes_are_in_the_editors_digest_once(zeeland, django_capture_on_commit_callbacks):
    editor = with_role(make_user(), zeeland, "editor")
    initiative, portal = register(make_user(), VLISSINGEN)
    _change(initiative, portal, _edit(initiative, "zeeland", people_reached=initiative.people_reached * 3))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert announce_waiting_registrations([zeeland.pk]) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert announce_waiting_registrations([zeeland.pk]) == 0
    (digest,) = [m for m in mail.outbox if editor.email in m.to]
    assert digest.subject == "MAEX Zeeland: 1 wijziging wacht op beoordeling"
    assert initiative.name in digest.body and "http://zeeland.localhost:8000/beheer/aanmeldingen/" in digest.body


def test_the_edit_form_says_that_a_change_beyond_the_threshold_waits(zeeland, client_for):
    owner = make_user()
    initiative, _ = register(owner, VLISSINGEN, people_reached=100)
    client = client_for(zeeland, owner)
    data = form_data(municipality(VLISSINGEN).pk, name=initiative.name, people_reached="1000", short_description="X.")
    response = client.post(f"/initiatieven/{initiative.slug}/bewerken/", data, follow=True)
    assert "wacht op beoordeling door de redactie" in response.content.decode()
    assert "X." not in client_for(zeeland).get(f"/initiatieven/{initiative.slug}/").content.decode()
    assert _stored(initiative, "zeeland").people_reached == 100


def test_a_held_change_moves_with_its_initiative_and_is_announced_to_the_new_portal(
    zeeland, rotterdam, django_capture_on_commit_callbacks
):
    from portals.moves import move_initiatives
    from tenants.models import Coverage

    # Given a held change of a Vlissingen initiative, announced to Zeeland's editors
    initiative, portal = register(make_user(), VLISSINGEN)
    change = _change(initiative, portal, _edit(initiative, "zeeland", people_reached=initiative.people_reached * 3))
    with_role(make_user(), zeeland, "editor")
    with django_capture_on_commit_callbacks(execute=True):
        assert announce_waiting_registrations([zeeland.pk]) == 1
    # When Vlissingen moves to Rotterdam's portal
    vlissingen = municipality(VLISSINGEN)
    Coverage.objects.filter(municipality=vlissingen).update(portal=rotterdam)
    move_initiatives([vlissingen.pk], rotterdam)
    # Then the change waits there, with its history, and Rotterdam's editors hear of it
    with schema_context("rotterdam"):
        moved = ProfileChange.objects.get(initiative__uuid=initiative.uuid, state="pending")
        assert moved.diff == change.diff and moved.announced_at is None
        assert ProfileChange.objects.filter(initiative__uuid=initiative.uuid).count() == 2
    editor = with_role(make_user(), rotterdam, "editor")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        announce_waiting_registrations([rotterdam.pk])
    (digest,) = [m for m in mail.outbox if editor.email in m.to]
    assert initiative.name in digest.body


def test_through_the_edit_form_a_headline_figure_alone_beyond_the_threshold_waits(rotterdam, client_for):
    # Given a published initiative registered through the form, 250 people reached
    owner = make_user()
    client = client_for(rotterdam, owner)
    data = form_data(municipality(ROTTERDAM).pk)
    client.post("/aanmelden/", data)
    with schema_context("rotterdam"):
        initiative = services.publish(Initiative.objects.get(name=data["name"]), rotterdam)
    # When the owner changes only the people reached, 250 -> 1000, in the edit form
    response = client.post(
        f"/initiatieven/{initiative.slug}/bewerken/", {**data, "people_reached": "1000"}, follow=True
    )
    # Then the change waits (the form's instance is not what the threshold compares with) and 250 stays public
    assert "wacht op beoordeling door de redactie" in response.content.decode()
    assert _stored(initiative, "rotterdam").people_reached == 250
    with schema_context("rotterdam"):
        (held,) = ProfileChange.objects.filter(initiative=initiative, state=ProfileChange.State.PENDING)
    assert any("bereikte mensen" in reason for reason in held.reasons), held.reasons
