"""An initiative registers once: the same KvK number anywhere on the platform, or the same name in the same
municipality, is refused with a link to the existing initiative."""

import html

import pytest
from django_tenants.utils import schema_context

from initiatives import services
from initiatives.models import Initiative
from national_index.models import InitiativeLocator
from tests.support import (
    AMSTERDAM,
    ROTTERDAM,
    THOLEN,
    VLISSINGEN,
    edits_go_live,
    form_data,
    make_user,
    municipality,
    profile,
    register,
)

KVK_MESSAGE = "Er is al een initiatief aangemeld met dit KvK-nummer."
NAME_MESSAGE = "Er is al een initiatief met deze naam in deze gemeente."


def _stored(name: str) -> int:
    return sum(_count_in(schema, name) for schema in ("landelijk", "zeeland", "rotterdam", "denhaag"))


def _count_in(schema, name):
    with schema_context(schema):
        return Initiative.objects.filter(name__iexact=name.strip()).count()


@pytest.mark.parametrize("published", [True, False], ids=["published", "awaiting-review"])
@pytest.mark.parametrize("typed", ["12345678", "1234 5678"])
def test_the_same_kvk_number_on_another_portal_is_refused_with_a_link(published, typed, zeeland, rotterdam, client_for):
    # Given an initiative in Rotterdam with a KvK number
    existing, home = register(make_user(), ROTTERDAM, publish=published, kvk_number="12345678")
    existing_url = home.absolute_url(f"/initiatieven/{existing.slug}/")
    # When someone on the Zeeland portal registers another initiative, in Vlissingen, with that number
    data = form_data(municipality(VLISSINGEN).pk, kvk_number=typed)
    response = client_for(zeeland, make_user()).post("/aanmelden/", data)
    # Then it is refused with a message and a link to the existing initiative on its home portal
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert KVK_MESSAGE in page
    assert f'href="{existing_url}"' in page
    assert existing_url.startswith("http://rotterdam.localhost")
    assert _stored(data["name"]) == 0
    assert InitiativeLocator.objects.filter(kvk_number="12345678").count() == 1


def test_the_same_kvk_number_on_the_same_portal_is_refused_with_a_link(zeeland, client_for):
    existing, home = register(make_user(), THOLEN, kvk_number="24681357")
    existing_url = home.absolute_url(f"/initiatieven/{existing.slug}/")
    data = form_data(municipality(VLISSINGEN).pk, kvk_number="24681357")
    response = client_for(zeeland, make_user()).post("/aanmelden/", data)
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert KVK_MESSAGE in page and f'href="{existing_url}"' in page
    assert _stored(data["name"]) == 0


def test_a_kvk_number_must_still_have_eight_digits(zeeland, client_for):
    data = form_data(municipality(VLISSINGEN).pk, kvk_number="1234 567")
    response = client_for(zeeland, make_user()).post("/aanmelden/", data)
    assert response.status_code == 400
    assert "Een KvK-nummer bestaat uit precies 8 cijfers." in response.content.decode()
    assert _stored(data["name"]) == 0


def test_the_same_kvk_number_is_refused_by_the_service_too(zeeland, national):
    register(make_user(), AMSTERDAM, kvk_number="87654321")
    with pytest.raises(services.DuplicateInitiative) as info:
        services.register_initiative(owner=make_user(), profile=profile(THOLEN, kvk_number="87654321"))
    assert info.value.field == "kvk_number"
    assert info.value.url.startswith("http://maex.localhost")


def test_initiatives_without_a_kvk_number_do_not_clash(zeeland, client_for):
    first, _ = register(make_user(), VLISSINGEN, kvk_number="")
    data = form_data(municipality(VLISSINGEN).pk)
    response = client_for(zeeland, make_user()).post("/aanmelden/", data)
    assert response.status_code == 302
    with schema_context("zeeland"):
        second = Initiative.objects.get(name=data["name"])
        assert second.kvk_number == first.kvk_number == ""
    assert response["Location"] == f"/aanmelden/ontvangen/{second.uuid}/"


@pytest.mark.parametrize("typed", ["repair café de brug", "REPAIR CAFÉ DE BRUG", "  Repair Café De Brug  "])
def test_the_same_name_in_the_same_municipality_is_refused(typed, zeeland, client_for):
    existing, home = register(make_user(), VLISSINGEN, name="Repair Café De Brug")
    existing_url = home.absolute_url(f"/initiatieven/{existing.slug}/")
    response = client_for(zeeland, make_user()).post("/aanmelden/", form_data(municipality(VLISSINGEN).pk, name=typed))
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert NAME_MESSAGE in page and f'href="{existing_url}"' in page
    assert _count_in("zeeland", "Repair Café De Brug") == 1


def test_the_same_name_in_another_municipality_is_allowed(zeeland, client_for):
    register(make_user(), VLISSINGEN, name="Repair Café De Brug")
    response = client_for(zeeland, make_user()).post(
        "/aanmelden/", form_data(municipality(THOLEN).pk, name="Repair Café De Brug")
    )
    assert response.status_code == 302
    assert _count_in("zeeland", "Repair Café De Brug") == 2


def test_an_edit_cannot_take_another_initiatives_kvk_number(zeeland, rotterdam):
    register(make_user(), ROTTERDAM, kvk_number="11223344")
    mine, portal = register(make_user(), VLISSINGEN)
    with schema_context("zeeland"), pytest.raises(services.DuplicateInitiative):
        services.update_profile(
            initiative=mine, portal=portal, profile=profile(VLISSINGEN, name=mine.name, kvk_number="11223344")
        )
    assert InitiativeLocator.objects.get(uuid=mine.uuid).kvk_number == ""


def test_an_edit_may_keep_its_own_name_and_kvk_number(zeeland):
    edits_go_live(zeeland)
    mine, portal = register(make_user(), VLISSINGEN, kvk_number="55667788", name="Eigen Naam")
    with schema_context("zeeland"):
        updated = services.update_profile(
            initiative=mine,
            portal=portal,
            profile=profile(VLISSINGEN, name="EIGEN NAAM", kvk_number="55667788", people_reached=99),
        )
    assert (updated.name, updated.people_reached) == ("EIGEN NAAM", 99)
