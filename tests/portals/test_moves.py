"""A new portal covering a municipality takes its initiatives along: same UUID, children intact, index and
locator following, old URLs answering 301 (docs/architecture.md, "Launching a portal")."""

import time
from decimal import Decimal

import pytest
from django.core.cache import cache
from django_tenants.utils import schema_context

from initiatives import services
from initiatives.models import Initiative, MovedAway
from national_index.models import IndexEntry, InitiativeLocator
from portals import moves
from portals.launch import launch_portal
from tenants.models import Portal
from tenants.services import set_coverage
from tests.support import ROTTERDAM, edits_go_live, make_user, profile, register

GOES, TERNEUZEN = "GM0664", "GM0715"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """New portals' host lookups and site roots lived in a rolled-back transaction: forget them."""
    yield
    cache.clear()


def launch_testzee(codes=(GOES,), **overrides):
    arguments = {
        "name": "MAEX Testzee",
        "schema_name": "testzee",
        "kind": "province",
        "hosts": ["testzee.localhost"],
        "municipality_codes": list(codes),
        "first_admin_email": "beheer@testzee.example.org",
        **overrides,
    }
    started = time.perf_counter()
    report = launch_portal(**arguments)
    print(f"\nlaunch_portal {arguments['schema_name']}: {time.perf_counter() - started:.2f} s")
    for step in report.steps:
        print(f"  {step.label:30} {step.seconds:6.2f} s  {step.detail}")
    return report


def _children(initiative) -> dict:
    return {
        "partners": list(initiative.partners.values_list("name", "kind")),
        "needs": list(initiative.needs.values_list("kind", "text")),
        "offers": list(initiative.offers.values_list("name", "description")),
        "activities": list(initiative.activities.values_list("item_code", "quantity", "description")),
        "owners": sorted(initiative.ownerships.values_list("user_id", flat=True)),
        "invitations": list(initiative.invitations.values_list("email", "token")),
    }


def _state(uuid) -> dict:
    with schema_context("landelijk"):
        initiative = Initiative.objects.get(uuid=uuid)
        return {
            "pk": initiative.pk,
            "slug": initiative.slug,
            "created_at": initiative.created_at,
            "updated_at": initiative.updated_at,
            "children": _children(initiative),
        }


@pytest.fixture
def goes_initiative(national, django_capture_on_commit_callbacks):
    """A published national-portal initiative in Goes (no test portal covers Goes), with every kind of child."""
    owner = make_user()
    data = profile(GOES)
    # Every kind of child, explicitly (the demo profile leaves some empty at random)
    data.needs = [{"kind": "geld", "text": "Een nieuwe kas."}, {"kind": "vrijwilligers", "text": "Handen."}]
    data.partners = [{"name": "Gemeente Goes", "kind": "gemeente"}, {"name": "Fonds Zeeland", "kind": "fonds"}]
    data.offers = [{"name": "Groentepakket", "description": "Wekelijks."}, {"name": "Workshop", "description": ""}]
    data.activities = [
        {"item_code": "groenonderhoud-uur", "quantity": Decimal("250"), "description": "Wieden."},
        {"item_code": "huiswerk-taal-uur", "quantity": Decimal("40.50"), "description": ""},
    ]
    initiative, home = services.register_initiative(owner=owner, profile=data)
    assert home.schema_name == "landelijk"
    with schema_context("landelijk"):
        initiative = services.publish(initiative, home)
        services.invite_co_owner(initiative=initiative, portal=home, email="mede@example.org", invited_by=owner)
        children = _children(Initiative.objects.get(uuid=initiative.uuid))
    assert all(children.values()), children  # the test is only as good as its children
    return owner, initiative


def test_a_national_initiative_moves_to_the_new_portal_that_covers_its_municipality(
    goes_initiative, national, client_for
):
    owner, initiative = goes_initiative
    before = _state(initiative.uuid)
    draft, _home = register(make_user(), GOES, publish=False)
    elsewhere, _home = register(make_user(), "GM0344")  # Utrecht: not part of the launch

    report = launch_testzee()
    testzee = Portal.objects.with_domains().get(schema_name="testzee")

    # Then both Goes initiatives live in the new schema, with their UUID, slug and timestamps
    assert report.moved == 2 and report.indexed == 1
    with schema_context("testzee"):
        moved = Initiative.objects.get(uuid=initiative.uuid)
        assert moved.slug == before["slug"]
        assert (moved.created_at, moved.updated_at) == (before["created_at"], before["updated_at"])
        # and partners, needs, offers, activities, owners and open invitations came along intact
        assert _children(moved) == before["children"]
        assert Initiative.objects.filter(uuid=draft.uuid).exists()
    # and they are gone from the national portal, which remembers where they went
    with schema_context("landelijk"):
        assert not Initiative.objects.filter(uuid__in=[initiative.uuid, draft.uuid]).exists()
        assert set(MovedAway.objects.values_list("slug", "uuid")) >= {
            (before["slug"], initiative.uuid),
            (draft.slug, draft.uuid),
        }
        assert Initiative.objects.filter(uuid=elsewhere.uuid).exists()  # Utrecht's stays
    # and the index row and the locator follow the UUID to the new portal and its URL
    url = testzee.absolute_url(f"/initiatieven/{before['slug']}/")
    entry = IndexEntry.objects.get(uuid=initiative.uuid)
    assert (entry.portal_id, entry.url) == (testzee.pk, url)
    assert InitiativeLocator.objects.get(uuid=initiative.uuid).portal_id == testzee.pk
    assert InitiativeLocator.objects.get(uuid=draft.uuid).portal_id == testzee.pk
    assert not IndexEntry.objects.filter(uuid=draft.uuid).exists()  # still unpublished, still not indexed
    assert IndexEntry.objects.get(uuid=elsewhere.uuid).portal_id == national.pk

    # The old URL answers 301 to the new one; the new portal shows it
    old = client_for(national).get(f"/initiatieven/{before['slug']}/")
    assert old.status_code == 301 and old["Location"] == url
    page = client_for(testzee).get(f"/initiatieven/{before['slug']}/")
    assert page.status_code == 200 and initiative.name in page.content.decode()
    # and so do its edit and invitation pages (an owner's bookmark)
    for suffix in ("bewerken/", "mede-eigenaar/"):
        old = client_for(national, owner).get(f"/initiatieven/{before['slug']}/{suffix}")
        assert old.status_code == 301 and old["Location"] == url + suffix
    # and an unknown slug is still a plain 404
    assert client_for(national).get("/initiatieven/bestaat-niet/").status_code == 404
    assert client_for(national, owner).get("/initiatieven/bestaat-niet/bewerken/").status_code == 404


def test_the_owner_edits_the_moved_initiative_on_the_new_portal(goes_initiative, national, client_for):
    owner, initiative = goes_initiative
    launch_testzee()
    testzee = Portal.objects.with_domains().get(schema_name="testzee")
    edits_go_live(testzee)
    edit = f"/initiatieven/{initiative.slug}/bewerken/"
    assert client_for(testzee, owner).get(edit).status_code == 200
    old = client_for(national, owner).get(edit)  # not on the old portal any more: it leads to the new one
    assert old.status_code == 301 and old["Location"] == testzee.absolute_url(edit)
    # Saving on the new portal works (its municipality belongs there now) and moves the index row along
    with schema_context("testzee"):
        moved = Initiative.objects.get(uuid=initiative.uuid)
        services.update_profile(
            initiative=moved, portal=testzee, profile=profile(GOES, name="Nieuwe naam in Testzee", kvk_number="")
        )
    assert IndexEntry.objects.get(uuid=initiative.uuid).name == "Nieuwe naam in Testzee"


def test_a_slug_taken_in_the_new_home_gets_a_suffix_and_the_old_url_still_finds_it(national, rotterdam, client_for):
    # Given two initiatives with the same name (so the same slug): one in Rotterdam, one in Goes (national)
    in_rotterdam, _ = register(make_user(), ROTTERDAM, name="Buurthuis De Brug")
    in_goes, _ = register(make_user(), GOES, name="Buurthuis De Brug")
    assert in_rotterdam.slug == in_goes.slug == "buurthuis-de-brug"
    # When Rotterdam's portal starts covering Goes and its initiatives move there
    set_coverage(rotterdam, [GOES])
    result = moves.move_and_reproject([in_goes.municipality_id], rotterdam)
    # Then the newcomer got a free slug, and both answer on Rotterdam's portal
    assert [(m.old_slug, m.new_slug) for m in result.moved] == [("buurthuis-de-brug", "buurthuis-de-brug-2")]
    with schema_context("rotterdam"):
        assert Initiative.objects.get(uuid=in_goes.uuid).slug == "buurthuis-de-brug-2"
        assert Initiative.objects.get(uuid=in_rotterdam.uuid).slug == "buurthuis-de-brug"
    # and the old national URL leads to the renamed one
    old = client_for(national).get("/initiatieven/buurthuis-de-brug/")
    assert old.status_code == 301
    assert old["Location"] == rotterdam.absolute_url("/initiatieven/buurthuis-de-brug-2/")
    assert IndexEntry.objects.get(uuid=in_goes.uuid).url == old["Location"]


def test_a_municipality_without_initiatives_moves_nothing(national):
    report = launch_testzee(codes=[TERNEUZEN])
    assert report.moved == 0 and report.indexed == 0
    assert [s.key for s in report.steps] == ["clone", "coverage", "move", "index", "pages", "invitation"]
