"""After registering, the owner lands on a page, on the portal they are on, that shows the initiative and its review
state read from its home portal's schema (also when that is another portal), and points to Mijn MAEX."""

from django_tenants.utils import schema_context

from initiatives.models import Initiative, initiative_url
from tests.support import VLISSINGEN, form_data, make_user, municipality


def test_a_cross_portal_registration_shows_its_state_where_the_owner_is(rotterdam, zeeland, client_for):
    # Given a person on Rotterdam's portal registering an initiative in Vlissingen (Zeeland's, reviewed first)
    owner = make_user()
    client = client_for(rotterdam, owner)
    data = form_data(municipality(VLISSINGEN).pk, website="")
    response = client.post("/aanmelden/", data)
    assert response.status_code == 302 and response["Location"].startswith("/aanmelden/ontvangen/")
    # When they follow the redirect, on Rotterdam's host
    page = client.get(response["Location"])
    html = page.content.decode()
    # Then the page shows the initiative, its home portal and that it waits for review, and leads to Mijn MAEX
    with schema_context("zeeland"):
        initiative = Initiative.objects.get(name=data["name"])
    assert page.status_code == 200
    assert data["name"] in html and data["short_description"] in html and "MAEX Zeeland" in html
    assert 'data-status="submitted"' in html and "Ingediend, wacht op beoordeling" in html
    assert "website" in html  # what the profile still lacks
    assert 'href="/mijn-maex/"' in html
    # and no link to a page on Zeeland's host that is not public yet
    assert f"/initiatieven/{initiative.slug}/" not in html
    # but one to this registration on Zeeland's canonical host, where the person is signed in on arrival
    zeeland_page = zeeland.absolute_url(f"/aanmelden/ontvangen/{initiative.uuid}/")
    assert f'href="{zeeland_page}"' in html and "Bekijk uw aanmelding op MAEX Zeeland" in html
    # where, signed in, they see it too, with the way to the profile that is theirs to see before it is public
    there = client_for(zeeland, owner).get(f"/aanmelden/ontvangen/{initiative.uuid}/").content.decode()
    assert 'data-status="submitted"' in there and f'href="{initiative_url(zeeland, initiative.slug)}"' in there
    assert "Bekijk uw aanmelding op" not in there


def test_somebody_else_s_registration_is_not_shown(rotterdam, client_for):
    owner = make_user()
    response = client_for(rotterdam, owner).post("/aanmelden/", form_data(municipality(VLISSINGEN).pk))
    stranger = client_for(rotterdam, make_user())
    assert stranger.get(response["Location"]).status_code == 404
