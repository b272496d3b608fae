"""Editors work on their portal's pages in its own Wagtail admin: the choosers offer only their portal's data."""

from django_tenants.utils import schema_context

from tests.support import ROTTERDAM, THOLEN, VLISSINGEN, make_user, register, with_role


def test_an_editor_adds_pages_with_only_this_portals_municipalities_and_initiatives(zeeland, pages, client_for):
    here, _ = register(make_user(), VLISSINGEN)
    there, _ = register(make_user(), ROTTERDAM)
    editor = with_role(make_user(), zeeland, "editor")
    client = client_for(zeeland, editor)
    home = pages.home(zeeland)
    index = pages.partner_index(zeeland)

    response = client.get(f"/beheer/pages/add/cms/municipalitypage/{home.pk}/")
    assert response.status_code == 200
    field = response.context["form"].fields["municipality"]
    assert {m.cbs_code for m in field.queryset} == {VLISSINGEN, THOLEN, "GM0687"}

    response = client.get(f"/beheer/pages/add/cms/partnerpage/{index.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert str(here.uuid) in html and str(there.uuid) not in html


def test_an_editor_of_another_portal_has_no_access(zeeland, rotterdam, client_for):
    editor = with_role(make_user(), rotterdam, "editor")
    with schema_context("zeeland"):
        from cms.models import HomePage

        home = HomePage.objects.get()
    response = client_for(zeeland, editor).get(f"/beheer/pages/{home.pk}/edit/")
    # Rotterdam's editor is nobody in Zeeland's admin: sent to sign in, never shown the page
    assert response.status_code == 302
    assert response["Location"] == f"/beheer/login/?next=/beheer/pages/{home.pk}/edit/"
