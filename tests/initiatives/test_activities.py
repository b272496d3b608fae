"""Activities from the price list give the initiative its social value; amounts show where allowed."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django_tenants.utils import schema_context

from initiatives.models import Initiative
from national_index.models import IndexEntry
from tenants.middleware import forget_host
from tenants.models import Portal
from tests.support import VLISSINGEN, form_data, make_user, municipality, register
from valuation.selectors import current_price_list


def test_registering_with_activities_values_the_initiative_and_the_index_in_one_go(zeeland, client_for):
    client = client_for(zeeland, make_user())
    data = form_data(municipality(VLISSINGEN).pk)  # 250 hours of green maintenance at 14.40
    assert client.post("/aanmelden/", data).status_code == 302
    with schema_context("zeeland"):
        initiative = Initiative.objects.get(name=data["name"])
    assert initiative.social_value == Decimal("3600.00")
    assert initiative.value_by_domain == {"groen": "3600.00"}
    assert initiative.value_by_sdg == {"11": "1800.0000", "15": "1800.0000"}
    assert initiative.valued_with == current_price_list().version


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"activities-0-quantity": "0"}, "Het aantal moet groter dan 0 zijn."),
        ({"activities-0-quantity": "-5"}, "Het aantal moet groter dan 0 zijn."),
        ({"activities-0-quantity": "veel"}, "Vul een getal in, bijvoorbeeld 120 of 12,5."),
        ({"activities-0-quantity": "1,234"}, "Gebruik hoogstens 2 decimalen."),
        ({"activities-0-quantity": ""}, "Vul het aantal per jaar in."),
        ({"activities-0-item_code": "", "activities-0-quantity": "5"}, "Kies de activiteit uit de prijslijst."),
        ({"activities-1-item_code": "groenonderhoud-uur", "activities-1-quantity": "3"}, "Deze activiteit staat er al"),
        ({"activities-0-item_code": "bestaat-niet"}, "Selecteer een geldige keuze."),
    ],
)
def test_bad_quantities_get_a_clear_message_and_nothing_is_stored(overrides, message, zeeland, client_for):
    data = form_data(municipality(VLISSINGEN).pk, **overrides)
    response = client_for(zeeland, make_user()).post("/aanmelden/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert data["name"] in response.content.decode()  # nothing typed is lost
    with schema_context("zeeland"):
        assert not Initiative.objects.filter(name=data["name"]).exists()
    assert not IndexEntry.objects.filter(name=data["name"]).exists()


def test_decimal_comma_is_accepted_as_people_type_it(zeeland, client_for):
    data = form_data(municipality(VLISSINGEN).pk, **{"activities-0-quantity": "12,5"})
    assert client_for(zeeland, make_user()).post("/aanmelden/", data).status_code == 302
    with schema_context("zeeland"):
        assert Initiative.objects.get(name=data["name"]).social_value == Decimal("180.00")


def _amount(initiative):
    """The total as the page shows it: whole euros, rounded half up, Dutch thousands separator."""
    whole = initiative.social_value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"€ {int(whole):,}".replace(",", ".")


def test_amounts_are_shown_only_where_the_portal_allows_or_to_owners_the_shape_always(zeeland, client_for):
    owner = make_user()
    initiative, _ = register(owner, VLISSINGEN)
    assert initiative.social_value > 1000
    url = f"/initiatieven/{initiative.slug}/"

    visitor_page = client_for(zeeland).get(url).content.decode()
    assert _amount(initiative) not in visitor_page
    assert "Dit portaal toont geen eurobedragen" in visitor_page
    assert visitor_page.count('role="img"') == 2 and "Waardenweb" in visitor_page  # the shape is public

    owner_page = client_for(zeeland, owner).get(url).content.decode()
    assert _amount(initiative) in owner_page and "alleen zichtbaar voor eigenaren en redacteuren" in owner_page

    Portal.objects.filter(pk=zeeland.pk).update(show_amounts=True)
    forget_host("zeeland.localhost")
    assert _amount(initiative) in client_for(zeeland).get(url).content.decode()
