"""Registration is rate limited per person, across every portal."""

from django.core.cache import cache
from django.test import override_settings

from tests.support import make_user


@override_settings(ACCOUNT_RATE_LIMITS={"register_initiative": "2/h/user"})
def test_registering_too_often_gets_a_clear_429_and_the_limit_spans_portals(zeeland, rotterdam, client_for):
    cache.clear()
    person = make_user()
    # Given two attempts on Zeeland (even invalid ones count)
    for _ in range(2):
        assert client_for(zeeland, person).post("/aanmelden/", {"name": ""}).status_code == 400
    # When the person tries again on another portal
    response = client_for(rotterdam, person).post("/aanmelden/", {"name": ""})
    # Then the limit holds there too, with a Dutch explanation
    assert response.status_code == 429
    assert "te vaak geprobeerd" in response.content.decode()
    # And reading the form is never limited
    assert client_for(rotterdam, person).get("/aanmelden/").status_code == 200
