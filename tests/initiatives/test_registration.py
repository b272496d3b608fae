"""Registering an initiative: once, in the schema of the portal that covers its municipality."""

import pytest
from django_tenants.utils import schema_context

from initiatives.models import Initiative
from national_index.models import IndexEntry
from tests.support import AMSTERDAM, ROTTERDAM, VLISSINGEN, form_data, make_user, municipality


@pytest.mark.parametrize(
    ("code", "home"), [(VLISSINGEN, "zeeland"), (ROTTERDAM, "rotterdam"), (AMSTERDAM, "landelijk")]
)
def test_registration_on_any_portal_lands_in_the_home_portal_schema(code, home, denhaag, client_for):
    # Given a signed-in person on the Den Haag portal
    client = client_for(denhaag, make_user())
    # When they register an initiative in another portal's municipality
    data = form_data(municipality(code).pk)
    response = client.post("/aanmelden/", data)
    # Then it is stored once, in the home portal's schema, and nowhere else
    assert response.status_code == 302, response.content.decode()[:2000]
    for schema in ("landelijk", "zeeland", "rotterdam", "denhaag"):
        with schema_context(schema):
            found = Initiative.objects.filter(name=data["name"]).count()
        assert found == (1 if schema == home else 0), schema


def test_bad_values_get_messages_next_to_their_fields_and_nothing_typed_is_lost(zeeland, client_for):
    client = client_for(zeeland, make_user())
    data = form_data(
        municipality(VLISSINGEN).pk, kvk_number="1234", income_sales="30", founding_year="2999", paid_fte="5"
    )
    response = client.post("/aanmelden/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Een KvK-nummer bestaat uit precies 8 cijfers." in html
    assert "De inkomstenmix moet samen precies 100% zijn; nu is het 110%." in html
    assert "Het oprichtingsjaar kan niet in de toekomst liggen." in html
    assert "Het aantal fte kan niet groter zijn" in html
    assert data["name"] in html and "Mensen die willen helpen wieden." in html and "Groentepakket" in html
    with schema_context("zeeland"):
        assert not Initiative.objects.filter(name=data["name"]).exists()
    assert not IndexEntry.objects.filter(name=data["name"]).exists()


def test_the_error_summary_links_each_message_to_its_field(zeeland, client_for):
    # Given a registration without a name and with a malformed website
    data = form_data(municipality(VLISSINGEN).pk, name="", website="geen adres")
    # When it is sent
    response = client_for(zeeland, make_user()).post("/aanmelden/", data)
    # Then the summary at the top names each field with its message, linked to the field (keyboard and screen
    # reader users reach it from there), and the fields keep what was typed
    assert response.status_code == 400
    page = response.content.decode()
    start = page.index('class="error-summary"')
    summary = page[start : page.index("<form", start)]
    assert 'href="#id_name"' in summary and 'href="#id_website"' in summary
    assert 'id="id_name"' in page and 'value="geen adres"' in page
