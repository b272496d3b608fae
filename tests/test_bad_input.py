"""Bad input is a 400 with a clear message, never a 500: a NUL character (which PostgreSQL cannot store) in any
query-string parameter, form field or address, on every public view and every API filter; out-of-range page
numbers in the API. The API answers every error in JSON and documents its errors in its OpenAPI document."""

import html
import json

import pytest
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from tests.support import VLISSINGEN, form_data, make_user, municipality, with_role

NUL = "\x00"
PAGE_MESSAGE = "bevat een teken dat niet kan worden verwerkt (een NUL-teken)"

# Every public view that reads the query string, with a valid value for each parameter it reads. The NUL
# check is in one middleware; this list keeps each view honest about it (a new view belongs here).
PUBLIC_VIEWS = {
    "/zoeken/": {"q": "moestuin"},
    "/initiatieven/": {
        "q": "moestuin",
        "municipality": VLISSINGEN,
        "sdg": "3",
        "domain": "zorg",
        "need": "geld",
        "pagina": "1",
    },
    "/vergelijk/": {"i": "6f1c5b1e-0000-4000-8000-000000000000", "q": "moestuin"},
    "/vergelijk/gebieden/": {"gebied": f"gemeente:{VLISSINGEN}"},
    "/waardenweb/": {"gemeente": VLISSINGEN},
    "/stand-van-het-land/": {"gebied": "portal:zeeland"},  # docs/decisions/0034
    "/stand-van-het-land/cijfers.csv": {"gebied": "portal:zeeland"},
    "/graadmeter/": {"gebied": "portal:zeeland"},  # docs/decisions/0032
    "/open-data/graadmeter.csv": {"gebied": "portal:zeeland"},
    "/prijslijst/": {"versie": "2026.1", "q": "uur"},
    "/nieuws/": {"pagina": "1"},
    "/account/login/": {"next": "/initiatieven/"},
    # (/account/signup/ on a portal sends to the national portal: ADR 0022)
}
VIEW_CASES = [(path, name) for path, params in PUBLIC_VIEWS.items() for name in params]

API_FILTERS = ["q", "municipality", "province", "portal", "domain", "need"]
API_LISTS = ["/api/v1/initiatives", "/api/v1/totals"]


def _client(portal) -> Client:
    # A 500 must come back as a response here (as a visitor would see it), not as an exception in the test.
    return Client(HTTP_HOST=portal.primary_host, raise_request_exception=False)


@pytest.fixture
def news_index(zeeland):
    from cms import services
    from cms.models import HomePage, NewsIndexPage

    with schema_context(zeeland.schema_name):
        return services.child(HomePage.objects.get(), NewsIndexPage, "nieuws", title="Nieuws")


@pytest.mark.parametrize(("path", "name"), VIEW_CASES, ids=[f"{p}?{n}" for p, n in VIEW_CASES])
def test_a_nul_character_in_a_public_views_parameter_is_a_400_with_a_message(path, name, zeeland, news_index):
    # Given a public view that answers with valid parameters
    params = PUBLIC_VIEWS[path]
    client = _client(zeeland)
    assert client.get(path, params).status_code == 200
    # When one parameter holds a NUL character
    response = client.get(path, {**params, name: f"a{NUL}b"})
    # Then the answer is a 400 page of the portal that names the parameter, not a server error
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert f"Het veld “{name}” {PAGE_MESSAGE}" in page
    assert "MAEX Zeeland" in page


def test_a_nul_character_in_a_parameters_name_or_the_address_is_a_400(zeeland):
    client = _client(zeeland)
    named = client.get("/zoeken/", {f"q{NUL}": "moestuin"})
    assert named.status_code == 400
    assert f"Het veld “q” {PAGE_MESSAGE}" in html.unescape(named.content.decode())
    address = client.get(f"/initiatieven/moes{NUL}tuin/")
    assert address.status_code == 400
    assert "Het adres bevat een teken dat niet kan worden verwerkt" in html.unescape(address.content.decode())


def test_a_nul_character_in_a_form_field_is_refused_and_nothing_is_stored(zeeland, client_for):
    # Given a signed-in person with a valid registration form, one field of which holds a NUL character
    data = form_data(municipality(VLISSINGEN).pk, description=f"Een moestuin{NUL} voor de buurt.")
    client = client_for(zeeland, make_user())
    client.raise_request_exception = False
    # When it is sent
    response = client.post("/aanmelden/", data)
    # Then a 400 names the field, and no initiative is stored
    from initiatives.models import Initiative

    assert response.status_code == 400
    assert f"Het veld “description” {PAGE_MESSAGE}" in html.unescape(response.content.decode())
    with schema_context(zeeland.schema_name):
        assert not Initiative.objects.filter(name=data["name"]).exists()


def test_a_nul_character_in_the_admin_search_is_a_400(zeeland, client_for):
    # The check is not per view: the Wagtail admin's own search is covered as well.
    editor = with_role(make_user(), zeeland, "editor")
    client = client_for(zeeland, editor)
    client.raise_request_exception = False
    assert client.get("/beheer/pages/search/", {"q": "nieuws"}).status_code == 200
    response = client.get("/beheer/pages/search/", {"q": f"nieu{NUL}ws"})
    assert response.status_code == 400
    assert f"Het veld “q” {PAGE_MESSAGE}" in html.unescape(response.content.decode())


# --- the open data API ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", API_FILTERS)
@pytest.mark.parametrize("path", API_LISTS)
def test_a_nul_character_in_an_api_filter_is_a_400_in_json(path, name, national):
    client = _client(national)
    assert client.get(path, {name: "zorg"}).status_code == 200
    response = client.get(path, {name: f"zo{NUL}rg"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": f"De parameter “{name}” {PAGE_MESSAGE}. Haal het weg en probeer het opnieuw."}


def test_a_nul_character_in_an_api_address_is_a_400_in_json(national):
    response = _client(national).get(f"/api/v1/initiatives/6f1c5b1e-0000-4000-8000-{NUL}00000000000")
    assert response.status_code == 400
    assert response.json() == {"detail": "Het adres bevat een teken dat niet kan worden verwerkt (een NUL-teken)."}


@pytest.mark.parametrize(
    ("params", "field", "maximum"),
    [
        ({"page": "99999999999999999999"}, "page", 100_000),
        ({"page": "100001"}, "page", 100_000),
        ({"page_size": "99999999999999999999"}, "page_size", 100),
        ({"page_size": "101"}, "page_size", 100),
    ],
    ids=["huge-page", "page-over-max", "huge-page-size", "page-size-over-max"],
)
def test_an_out_of_range_page_is_a_422_in_json_naming_the_parameter(params, field, maximum, national):
    response = _client(national).get("/api/v1/initiatives", params)
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["query", field]
    assert error["ctx"] == {"le": maximum}


def test_not_found_in_the_api_is_json(national):
    client = _client(national)
    unknown = client.get("/api/v1/initiatives/6f1c5b1e-0000-4000-8000-000000000000")
    assert unknown.status_code == 404
    assert unknown.json() == {"detail": "Er is geen gepubliceerd initiatief met deze UUID."}
    no_such_path = client.get("/api/v1/bestaat-niet/")
    assert no_such_path.status_code == 404
    assert no_such_path["Content-Type"].startswith("application/json")
    assert no_such_path.json() == {"detail": "Niet gevonden."}


def test_a_method_the_api_does_not_take_is_a_405_in_json(national):
    # When someone POSTs to a route that only reads
    response = _client(national).post("/api/v1/initiatives")
    # Then the answer is JSON naming the methods that work, as every other API error
    assert response.status_code == 405 and response["Content-Type"].startswith("application/json")
    assert response["Allow"] == "GET"
    assert response.json() == {"detail": "Deze methode kan hier niet. Toegestaan: GET."}


def test_too_many_api_requests_is_a_429_in_json(national, monkeypatch):
    from national_index.api import api

    # Given a limit of 2 requests a minute (the configured MAEX_API_RATE is 120/m)
    for throttle in api.throttle:
        monkeypatch.setattr(throttle, "num_requests", 2)
    client = _client(national)
    # When a third request comes within the minute
    statuses = [client.get("/api/v1/totals").status_code for _ in range(3)]
    response = client.get("/api/v1/totals")
    # Then it is refused in JSON, with when to try again
    assert statuses == [200, 200, 429]
    assert response.status_code == 429
    assert response.json() == {"detail": "Te veel verzoeken. Wacht even en probeer het daarna opnieuw."}
    assert int(response["Retry-After"]) > 0


def test_a_server_error_in_the_api_is_json_without_details(national):
    # Given a database that lost the index table (renamed inside this test's transaction, rolled back after it)
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE public.national_index_indexentry RENAME TO national_index_indexentry_gone")
    # When the API is asked for initiatives
    response = _client(national).get("/api/v1/initiatives")
    # Then the client gets a JSON 500 with a plain message, no traceback and no SQL
    assert response.status_code == 500
    assert response.json() == {"detail": "Er ging aan onze kant iets mis. Probeer het later opnieuw."}


def test_the_openapi_document_lists_the_error_answers_of_every_operation(national):
    document = json.loads(_client(national).get("/api/v1/openapi.json").content)
    schemas = document["components"]["schemas"]
    operations = [(path, op) for path, item in document["paths"].items() for op in item.values()]
    assert {path for path, _op in operations} == {
        "/api/v1/initiatives",
        "/api/v1/initiatives/{uuid}",
        "/api/v1/totals",
        "/api/v1/figures",  # docs/decisions/0034
        "/api/v1/graadmeter",  # docs/decisions/0032
        "/api/v1/impuls/awards",  # docs/decisions/0028
        "/api/v1/impuls/totals",
    }
    for path, op in operations:
        responses = op["responses"]
        assert {"200", "400", "404", "422", "429"} <= set(responses), path
        for status in ("400", "404", "429"):
            ref = responses[status]["content"]["application/json"]["schema"]["$ref"]
            assert schemas[ref.rsplit("/", 1)[1]]["properties"]["detail"]["type"] == "string", (path, status)
        ref = responses["422"]["content"]["application/json"]["schema"]["$ref"]
        assert schemas[ref.rsplit("/", 1)[1]]["properties"]["detail"]["type"] == "array", path
    page = next(p for p in document["paths"]["/api/v1/initiatives"]["get"]["parameters"] if p["name"] == "page")
    assert page["schema"]["maximum"] == 100_000
