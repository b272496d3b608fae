"""The projector writes the national index in the same transaction as the change (docs/architecture.md, "The write
path")."""

import pytest
from django.db import transaction
from django_tenants.utils import schema_context

from initiatives import services
from initiatives.models import Initiative
from national_index import projector
from national_index.models import IndexEntry, InitiativeLocator
from tests.support import AMSTERDAM, VLISSINGEN, edits_go_live, make_user, profile, register

CONTACT = {
    "contact_name": "Geheime Contactpersoon",
    "contact_email": "geheim@voorbeeld.example",
    "contact_phone": "0611122233",
}


class Boom(Exception):
    pass


def _entry(initiative):
    return IndexEntry.objects.filter(uuid=initiative.uuid).first()


def test_publishing_writes_the_index_row_in_the_same_transaction(zeeland):
    # Given a registered initiative awaiting review: known to the locator, not in the index
    initiative, portal = register(make_user(), VLISSINGEN, publish=False)
    assert initiative.status == Initiative.Status.SUBMITTED
    assert _entry(initiative) is None
    assert InitiativeLocator.objects.get(uuid=initiative.uuid).portal_id == zeeland.pk
    with schema_context("zeeland"):
        # When it is published inside a transaction
        with transaction.atomic():
            published = services.publish(initiative, portal)
            # Then the row is there before the transaction ends
            row = _entry(initiative)
            assert row is not None
    # and it holds the initiative's public data
    assert row.name == published.name
    assert row.portal_id == zeeland.pk
    assert row.url == zeeland.absolute_url(f"/initiatieven/{published.slug}/")
    assert row.municipality.cbs_code == VLISSINGEN and row.province.cbs_code == "PV29"
    assert row.people_reached == published.people_reached and row.volunteers == published.volunteers
    assert row.sdgs == sorted(published.sdgs) and row.value_domains == sorted(published.value_domains)
    assert row.published_at == published.published_at


def test_a_publication_that_is_rolled_back_leaves_no_index_row(zeeland):
    initiative, portal = register(make_user(), VLISSINGEN, publish=False)
    with schema_context("zeeland"):
        with pytest.raises(Boom), transaction.atomic():
            services.publish(initiative, portal)
            raise Boom
        assert Initiative.objects.get(pk=initiative.pk).status == Initiative.Status.SUBMITTED
    assert _entry(initiative) is None


def test_a_profile_change_that_is_rolled_back_leaves_the_index_unchanged(zeeland):
    edits_go_live(zeeland)
    # Given a published initiative
    initiative, portal = register(make_user(), VLISSINGEN)
    before = IndexEntry.objects.filter(uuid=initiative.uuid).values().get()
    changed = profile(VLISSINGEN, name="Nieuwe Naam Die Niet Blijft", people_reached=initiative.people_reached + 7)
    with schema_context("zeeland"):
        # When a change is made and the surrounding transaction then fails
        with pytest.raises(Boom), transaction.atomic():
            services.update_profile(initiative=initiative, portal=portal, profile=changed)
            assert _entry(initiative).name == "Nieuwe Naam Die Niet Blijft"  # written inside the transaction
            raise Boom
        # Then neither the initiative nor its index row changed
        assert Initiative.objects.get(pk=initiative.pk).name == initiative.name
    assert IndexEntry.objects.filter(uuid=initiative.uuid).values().get() == before


def test_a_profile_change_updates_the_index(zeeland):
    edits_go_live(zeeland)
    initiative, portal = register(make_user(), VLISSINGEN)
    changed = profile(VLISSINGEN, name="Wijkkeuken Veranderd", people_reached=4321, sdgs=[3, 1], value_domains=["zorg"])
    changed.needs = [{"kind": "kennis", "text": "Iemand met verstand van subsidies."}]
    changed.offers = []
    with schema_context("zeeland"):
        services.update_profile(initiative=initiative, portal=portal, profile=changed)
    row = _entry(initiative)
    assert (row.name, row.people_reached, row.sdgs, row.value_domains, row.needs, row.offers_count) == (
        "Wijkkeuken Veranderd",
        4321,
        [1, 3],
        ["zorg"],
        ["kennis"],
        0,
    )


@pytest.mark.parametrize("action", [services.withdraw, services.reject], ids=["withdraw", "reject"])
def test_withdrawing_or_rejecting_removes_the_index_row(action, zeeland):
    initiative, portal = register(make_user(), VLISSINGEN)
    other, _ = register(make_user(), VLISSINGEN)
    assert _entry(initiative) is not None
    with schema_context("zeeland"):
        action(initiative, portal)
    assert _entry(initiative) is None
    assert _entry(other) is not None  # only that initiative's row
    # The locator still knows where it lives (it still exists, and its KvK number stays claimed)
    assert InitiativeLocator.objects.filter(uuid=initiative.uuid, portal=zeeland).exists()
    # Publishing it again brings the row back
    with schema_context("zeeland"):
        services.publish(initiative, portal)
    assert _entry(initiative) is not None


def test_the_index_never_holds_contact_details(zeeland, national):
    # The read model has no column for them ...
    for model in (IndexEntry, InitiativeLocator):
        assert not [f.name for f in model._meta.get_fields() if "contact" in f.name], model
    # ... and none of the contact values end up in any column
    initiatives = [register(make_user(), code, **CONTACT)[0] for code in (VLISSINGEN, AMSTERDAM)]
    for initiative in initiatives:
        for model in (IndexEntry, InitiativeLocator):
            values = [str(v) for v in model.objects.filter(uuid=initiative.uuid).values().get().values()]
            for secret in CONTACT.values():
                assert not any(secret in v for v in values), (model, secret)


def test_the_projector_refuses_to_run_outside_the_initiatives_schema(zeeland, rotterdam):
    initiative, portal = register(make_user(), VLISSINGEN)
    with pytest.raises(RuntimeError):
        projector.project(initiative, portal)  # from public
    with schema_context("rotterdam"), pytest.raises(RuntimeError):
        projector.project(initiative, portal)
