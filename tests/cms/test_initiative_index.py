"""The initiative list and detail pages are routed inside each portal's page tree."""

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from cms.models import InitiativeIndexPage
from tests.support import VLISSINGEN, make_user, register


def _index(portal) -> InitiativeIndexPage:
    with schema_context(portal.schema_name):
        return InitiativeIndexPage.objects.get()


def test_every_portal_has_the_list_in_its_page_tree(national, zeeland, rotterdam, denhaag):
    for portal in (national, zeeland, rotterdam, denhaag):
        index = _index(portal)
        assert index.url_path.endswith("/initiatieven/") and index.live


def test_the_editors_title_and_introduction_frame_the_list_and_the_detail(zeeland, client_for):
    initiative, _ = register(make_user(), VLISSINGEN)
    with schema_context("zeeland"):
        index = InitiativeIndexPage.objects.get()
        index.title = "Zeeuwse initiatieven"
        index.intro = "<p>Alle initiatieven die Zeeland sterker maken.</p>"
        index.save_revision().publish()

    listing = client_for(zeeland).get("/initiatieven/").content.decode()
    assert "<h1>Zeeuwse initiatieven</h1>" in listing
    assert "Alle initiatieven die Zeeland sterker maken." in listing
    assert initiative.name in listing

    detail = client_for(zeeland).get(f"/initiatieven/{initiative.slug}/").content.decode()
    assert 'aria-label="Kruimelpad"' in detail and '<a href="/initiatieven/">Zeeuwse initiatieven</a>' in detail
    assert f"<h1>{initiative.name}</h1>" in detail


def test_the_address_of_the_list_cannot_be_changed(zeeland):
    with schema_context("zeeland"):
        index = InitiativeIndexPage.objects.get()
        index.slug = "projecten"
        with pytest.raises(ValidationError) as refused:
            index.full_clean()
    assert "/initiatieven/" in str(refused.value)


def test_an_unknown_initiative_is_a_404_in_the_portals_own_layout(zeeland, client_for):
    response = client_for(zeeland).get("/initiatieven/bestaat-niet/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "MAEX Zeeland" in page and 'href="#inhoud"' in page  # the portal's own layout, with its skip link


def test_the_list_page_cannot_be_deleted_in_the_admin(zeeland, client_for):
    from tests.support import with_role

    admin = with_role(make_user(), zeeland, "portal_admin")
    index = _index(zeeland)
    browser = client_for(zeeland, admin)

    refused = browser.post(f"/beheer/pages/{index.pk}/delete/", follow=True)

    assert "kan niet worden verwijderd of offline gehaald" in refused.content.decode()
    assert client_for(zeeland).get("/initiatieven/").status_code == 200


def test_the_upgrade_gives_an_existing_portal_its_list_page(zeeland, client_for):
    import importlib

    from django.apps import apps
    from wagtail.models import Page

    upgrade = importlib.import_module("cms.migrations.0003_initiative_index_page").create_initiative_index
    initiative, _ = register(make_user(), VLISSINGEN)
    with schema_context("zeeland"):
        # Given a portal made before the list lived in the page tree (an editor's page next to the home page's
        # other children)
        InitiativeIndexPage.objects.get().delete()
        home = Page.objects.get(depth=2)
        home.add_child(instance=Page(title="Over ons", slug="over-ons"))
        # When the upgrade runs
        upgrade(apps, None)
        # Then the page is there, in a sound tree, and serves the list and the detail pages
        assert InitiativeIndexPage.objects.child_of(home).count() == 1
        assert not any(Page.find_problems())
    assert client_for(zeeland).get("/initiatieven/").status_code == 200
    assert client_for(zeeland).get(f"/initiatieven/{initiative.slug}/").status_code == 200
    assert client_for(zeeland).get("/over-ons/").status_code == 200


@pytest.mark.parametrize(
    "action",
    [
        "/beheer/pages/{id}/unpublish/",
        "/beheer/bulk/wagtailcore/page/unpublish/?id={id}",
        "/beheer/bulk/wagtailcore/page/delete/?id={id}",
        "/beheer/bulk/wagtailcore/page/delete/?id={home}",
    ],
)
def test_the_list_page_cannot_be_taken_offline_by_unpublishing_or_bulk_actions(zeeland, client_for, action):
    from tests.support import make_user

    staff = make_user()
    staff.is_superuser = True
    staff.save(update_fields=["is_superuser"])
    with schema_context("zeeland"):
        index = InitiativeIndexPage.objects.get()
        home_pk = index.get_parent().pk
    browser = client_for(zeeland, staff)

    refused = browser.post(action.format(id=index.pk, home=home_pk), follow=True)

    assert "kan niet worden verwijderd of offline gehaald" in refused.content.decode()
    with schema_context("zeeland"):
        assert InitiativeIndexPage.objects.live().count() == 1
    assert client_for(zeeland).get("/initiatieven/").status_code == 200
