"""A KvK number is 8 ASCII digits. The same number typed in another script's digits (Arabic-Indic, full-width)
looks the same to a person, and "\\d" and str.isdigit accept it, so it would register the same number twice."""

import html

import pytest
from django.db import IntegrityError
from django_tenants.utils import schema_context

from initiatives import services
from initiatives.models import Initiative
from national_index.models import InitiativeLocator
from tests.support import THOLEN, VLISSINGEN, form_data, make_user, municipality, profile, register

DIGITS_MESSAGE = "Typ het KvK-nummer met de gewone cijfers 0 tot en met 9."
OTHER_SCRIPTS = {
    "arabic-indic": "٠١٢٣٤٥٦٧",  # 01234567
    "extended-arabic-indic": "۰۱۲۳۴۵۶۷",  # 01234567, Persian forms
    "full-width": "０１２３４５６７",  # 01234567
    "mixed": "0123456٧",
}


def _stored(name: str) -> int:
    with schema_context("zeeland"):
        return Initiative.objects.filter(name=name).count()


@pytest.mark.parametrize("typed", OTHER_SCRIPTS.values(), ids=OTHER_SCRIPTS.keys())
def test_a_kvk_number_in_other_digits_is_refused_with_a_clear_message(typed, zeeland, client_for):
    # Given the registration form with the KvK number typed in another script's digits
    data = form_data(municipality(VLISSINGEN).pk, kvk_number=typed)
    # When it is sent
    response = client_for(zeeland, make_user()).post("/aanmelden/", data)
    # Then the form comes back with the message next to the field, and nothing is stored
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert DIGITS_MESSAGE in page
    assert _stored(data["name"]) == 0


SAME_NUMBER = {"arabic-indic": "٠١٢٣٤٥٦٧", "full-width": "０１２３４５６７", "spaced": "٠١٢٣ ٤٥٦٧"}


@pytest.mark.parametrize("typed", SAME_NUMBER.values(), ids=SAME_NUMBER.keys())
def test_the_same_kvk_number_in_other_digits_cannot_register_a_second_time(typed, zeeland, client_for):
    # Given an initiative registered with KvK number 01234567
    register(make_user(), THOLEN, kvk_number="01234567")
    # When someone registers another one with the same number in other digits
    data = form_data(municipality(VLISSINGEN).pk, kvk_number=typed)
    response = client_for(zeeland, make_user()).post("/aanmelden/", data)
    # Then it is refused, and the platform still knows that number once, in ASCII only
    assert response.status_code == 400
    assert DIGITS_MESSAGE in html.unescape(response.content.decode())
    assert _stored(data["name"]) == 0
    assert list(InitiativeLocator.objects.exclude(kvk_number="").values_list("kvk_number", flat=True)) == ["01234567"]


def test_the_database_refuses_other_digits_when_the_form_is_skipped(zeeland):
    # Given a profile that never went through the form, with an Arabic-Indic KvK number
    p = profile(VLISSINGEN, kvk_number="٠١٢٣٤٥٦٧")
    # When it is registered through the service
    # Then the database's check refuses it, and nothing is stored
    with pytest.raises(IntegrityError, match="initiative_kvk_ascii_digits"):
        services.register_initiative(owner=make_user(), profile=p)
    assert not InitiativeLocator.objects.filter(kvk_number="٠١٢٣٤٥٦٧").exists()


def test_an_ascii_kvk_number_still_registers(zeeland, client_for):
    data = form_data(municipality(VLISSINGEN).pk, kvk_number="8765 4321")
    response = client_for(zeeland, make_user()).post("/aanmelden/", data)
    assert response.status_code == 302
    assert InitiativeLocator.objects.filter(kvk_number="87654321").count() == 1
