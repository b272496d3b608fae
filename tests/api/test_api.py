"""The open-data API (/api/v1/): the national index, public fields only."""

import json
import uuid
from decimal import Decimal

import pytest

from initiatives import services
from tenants.models import Portal
from tests.support import AMSTERDAM, ROTTERDAM, THOLEN, UTRECHT, VLISSINGEN, make_user, profile, register

CONTACT = {"contact_name": "Api Geheim", "contact_email": "api-geheim@voorbeeld.example", "contact_phone": "0655544433"}
METRICS = ("initiatives", "people_reached", "volunteers", "paid_staff", "social_value")


def keys_of(data) -> set[str]:
    """Every key anywhere in a JSON document."""
    if isinstance(data, dict):
        return set(data) | {k for v in data.values() for k in keys_of(v)}
    if isinstance(data, list):
        return {k for v in data for k in keys_of(v)}
    return set()


def add(code, name, needs=(), **fields):
    from django_tenants.utils import schema_context

    p = profile(code, name=name, **fields)
    p.needs = [{"kind": kind, "text": "Graag."} for kind in needs]
    initiative, portal = services.register_initiative(owner=make_user(), profile=p)
    with schema_context(portal.schema_name):
        return services.publish(initiative, portal), portal


@pytest.fixture
def api(national, client_for):
    client = client_for(national)

    def get(path, **params):
        response = client.get(f"/api/v1{path}", params)
        return response

    get.client = client
    return get


def test_the_openapi_document_describes_the_endpoints(api):
    response = api("/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    assert {"/api/v1/initiatives", "/api/v1/initiatives/{uuid}", "/api/v1/totals"} <= set(document["paths"])
    assert not [key for key in keys_of(document) if "contact" in key.lower()]


def test_the_api_answers_on_every_portal(zeeland, rotterdam, client_for):
    initiative, _ = add(ROTTERDAM, "Api Overal")
    for portal in (zeeland, rotterdam):
        response = client_for(portal).get("/api/v1/initiatives", {"q": "Api Overal"})
        assert [item["uuid"] for item in response.json()["items"]] == [str(initiative.uuid)]


def test_the_list_filters_and_never_holds_contact_details(api, zeeland, rotterdam):
    alfa, _ = add(VLISSINGEN, "Apitest Alfa", sdgs=[3], value_domains=["zorg"], needs=["vrijwilligers"], **CONTACT)
    beta, _ = add(THOLEN, "Apitest Beta", sdgs=[7], value_domains=["energie"], needs=["geld"], **CONTACT)
    gamma, _ = add(ROTTERDAM, "Apitest Gamma", sdgs=[3, 8], value_domains=["werk"], needs=["vrijwilligers"], **CONTACT)
    delta, _ = add(AMSTERDAM, "Apitest Delta", sdgs=[8], value_domains=["werk"], **CONTACT)
    register(make_user(), VLISSINGEN, publish=False, name="Apitest Concept")
    # Lists, not sets: initiatives of different portals may share a primary key (each schema counts its own),
    # and model instances compare by primary key.
    cases = [
        ({}, [alfa, beta, gamma, delta]),
        ({"q": "gamma"}, [gamma]),
        ({"municipality": THOLEN}, [beta]),
        ({"province": "PV29"}, [alfa, beta]),
        ({"portal": "zeeland"}, [alfa, beta]),
        ({"portal": "landelijk"}, [delta]),
        ({"sdg": 3}, [alfa, gamma]),
        ({"domain": "werk"}, [gamma, delta]),
        ({"need": "vrijwilligers"}, [alfa, gamma]),
        ({"need": "vrijwilligers", "portal": "rotterdam"}, [gamma]),
    ]
    for params, expected in cases:
        response = api("/initiatives", **{"q": "Apitest", **params})
        assert response.status_code == 200, params
        data = response.json()
        assert {item["uuid"] for item in data["items"]} == {str(i.uuid) for i in expected}, params
        assert data["count"] == len(expected)
        assert not [key for key in keys_of(data) if "contact" in key.lower()]
        for secret in CONTACT.values():
            assert secret not in response.content.decode()
    item = next(i for i in api("/initiatives", q="Apitest Alfa").json()["items"])
    assert item["name"] == "Apitest Alfa"
    assert item["portal"] == "zeeland" and item["municipality_code"] == VLISSINGEN and item["province_code"] == "PV29"
    assert item["url"] == zeeland.absolute_url(f"/initiatieven/{alfa.slug}/")
    assert item["people_reached"] == alfa.people_reached and item["needs"] == ["vrijwilligers"]


def test_bad_filter_values_are_refused_not_a_server_error(api):
    assert api("/initiatives", sdg=99).status_code == 422
    assert api("/initiatives", sdg="geen-getal").status_code == 422
    assert api("/initiatives", page=0).status_code == 422


def test_a_refused_parameter_is_explained_in_the_readers_language(national, client_for, settings):
    client = client_for(national)
    # Given a reader of the Dutch platform
    for params, loc, message in [
        ({"sdg": "geen-getal"}, "sdg", "Moet een geheel getal zijn."),
        ({"sdg": 99}, "sdg", "Mag hoogstens 17 zijn."),
        ({"page": 0}, "page", "Moet minstens 1 zijn."),
    ]:
        # When a parameter is refused
        body = client.get("/api/v1/initiatives", params).json()
        # Then the answer names it, with its kind and a Dutch message
        (error,) = body["detail"]
        assert error["loc"][-1] == loc and error["msg"] == message and error["type"], body
    assert client.get("/api/v1/initiatives/geen-uuid").json()["detail"][0]["msg"].startswith("Moet een UUID zijn")
    # And in English for one who chose English
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    (error,) = client.get("/api/v1/initiatives", {"sdg": "geen-getal"}).json()["detail"]
    assert error["msg"] == "Must be a whole number."


def test_the_list_is_paginated(api):
    made = {str(add(UTRECHT, f"Apipagina {i}")[0].uuid) for i in range(5)}
    pages = [api("/initiatives", q="Apipagina", page_size=2, page=n).json() for n in (1, 2, 3)]
    assert [len(p["items"]) for p in pages] == [2, 2, 1]
    assert all(p["count"] == 5 for p in pages)
    seen = [item["uuid"] for p in pages for item in p["items"]]
    assert len(seen) == len(set(seen)) and set(seen) == made
    names = [item["name"] for p in pages for item in p["items"]]
    assert names == sorted(names)
    assert api("/initiatives", q="Apipagina", page_size=2, page=4).json()["items"] == []


def test_one_initiative_by_uuid(api, rotterdam):
    initiative, _ = add(ROTTERDAM, "Api Enkel", **CONTACT)
    response = api(f"/initiatives/{initiative.uuid}")
    assert response.status_code == 200
    data = response.json()
    assert (data["uuid"], data["name"], data["portal"]) == (str(initiative.uuid), "Api Enkel", "rotterdam")
    assert data["url"] == rotterdam.absolute_url(f"/initiatieven/{initiative.slug}/")
    assert not [key for key in keys_of(data) if "contact" in key.lower()]
    for secret in CONTACT.values():
        assert secret not in response.content.decode()


def test_an_unknown_or_unpublished_uuid_is_404(api, zeeland):
    assert api(f"/initiatives/{uuid.uuid4()}").status_code == 404
    concept, _ = register(make_user(), VLISSINGEN, publish=False)
    assert api(f"/initiatives/{concept.uuid}").status_code == 404
    assert api("/initiatives/geen-uuid").status_code == 422


COUNTS = ("initiatives", "people_reached", "volunteers", "paid_staff")


def _numbers(row: dict) -> dict:
    """The metrics of a totals row, with the euro amount (a JSON string, or null) as Decimal or None."""
    value = row["social_value"]
    return {**row, "social_value": None if value is None else Decimal(value)}


def _totals(api, **params) -> dict:
    data = api("/totals", **params).json()
    return {
        "national": {m: _numbers(data["national"])[m] for m in (*METRICS, "valued_initiatives")},
        "portals": {row["portal"]: _numbers(row) for row in data["portals"]},
        "provinces": {row["province_code"]: _numbers(row) for row in data["provinces"]},
        "sdgs": {row["sdg"]: _numbers(row)["social_value"] for row in data["sdgs"]},
    }


def _delta(after: dict | None, before: dict | None) -> dict:
    """The change of the counts and of the public euro sum (null counts as nothing published)."""
    after, before = after or {}, before or {}
    return {m: (after.get(m) or 0) - (before.get(m) or 0) for m in METRICS}


def _sums(initiatives, shown=("zeeland",)) -> dict:
    """What the API publishes for these initiatives: every count, and the euros of those on a portal in
    ``shown`` (the portals that show euro amounts)."""
    return {
        "initiatives": len(initiatives),
        "people_reached": sum(i.people_reached for i in initiatives),
        "volunteers": sum(i.volunteers for i in initiatives),
        "paid_staff": sum(i.paid_staff for i in initiatives),
        "social_value": sum((i.social_value for i in initiatives if i.portal_schema in shown), Decimal(0)),
    }


def test_totals_national_per_portal_and_per_province_add_up(api, zeeland, rotterdam, national):
    # Given Zeeland shows euro amounts and the other portals do not
    Portal.objects.filter(pk=zeeland.pk).update(show_amounts=True)
    Portal.objects.exclude(pk=zeeland.pk).update(show_amounts=False)
    before = _totals(api)
    made = {
        VLISSINGEN: [add(VLISSINGEN, f"Totaaltest V{i}")[0] for i in range(2)],
        THOLEN: [add(THOLEN, "Totaaltest T")[0]],
        ROTTERDAM: [add(ROTTERDAM, "Totaaltest R")[0]],
        AMSTERDAM: [add(AMSTERDAM, "Totaaltest A")[0]],
        UTRECHT: [add(UTRECHT, "Totaaltest U")[0]],
    }
    for code, group in made.items():
        for initiative in group:
            initiative.portal_schema = "zeeland" if code in (VLISSINGEN, THOLEN) else "other"
            assert initiative.social_value > 0  # every one has euros to hide or show
    register(make_user(), VLISSINGEN, publish=False)  # unpublished: counts nowhere
    after = _totals(api)
    everything = [i for group in made.values() for i in group]
    # The national figure counts every initiative, and only the euros of the portal that shows them
    assert _delta(after["national"], before["national"]) == _sums(everything)
    per_portal = {
        "zeeland": made[VLISSINGEN] + made[THOLEN],
        "rotterdam": made[ROTTERDAM],
        "landelijk": made[AMSTERDAM] + made[UTRECHT],
        "denhaag": [],
    }
    for schema, group in per_portal.items():
        assert _delta(after["portals"].get(schema), before["portals"].get(schema)) == _sums(group), schema
    # A portal that hides its euro amounts has none in the API: null, and every initiative withheld
    for schema in ("rotterdam", "landelijk"):
        row = after["portals"][schema]
        assert row["social_value"] is None and row["valued_initiatives"] == 0, schema
        assert row["withheld_initiatives"] == row["initiatives"] > 0, schema
    assert after["portals"]["zeeland"]["withheld_initiatives"] == 0
    per_province = {
        "PV29": made[VLISSINGEN] + made[THOLEN],
        "PV28": made[ROTTERDAM],
        "PV27": made[AMSTERDAM],
        "PV26": made[UTRECHT],
        "PV20": [],
    }
    for code, group in per_province.items():
        assert _delta(after["provinces"].get(code), before["provinces"].get(code)) == _sums(group), code
    for code in ("PV28", "PV27", "PV26"):
        assert after["provinces"][code]["social_value"] is None, code
    # Every scope adds up to the national figure, the euros included: no public euro figure holds a hidden one
    for scope in ("portals", "provinces"):
        assert {m: sum(row[m] or 0 for row in after[scope].values()) for m in METRICS} == {
            m: after["national"][m] for m in METRICS
        }
    assert after["national"]["valued_initiatives"] == sum(r["valued_initiatives"] for r in after["portals"].values())
    # Per SDG the value adds up to the national value, within the rounding of the SDG shares
    assert abs(sum(v or 0 for v in after["sdgs"].values()) - after["national"]["social_value"]) < Decimal("0.01")
    # Totals take the same filters as the list
    filtered = _totals(api, portal="zeeland", q="Totaaltest")
    zeeland_made = made[VLISSINGEN] + made[THOLEN]
    assert filtered["national"] == {**_sums(zeeland_made), "valued_initiatives": len(zeeland_made)}
    assert set(filtered["portals"]) == {"zeeland"} and set(filtered["provinces"]) == {"PV29"}


def test_the_interactive_documentation_needs_no_other_host(api, settings):
    """Swagger UI's files come from the platform itself (django-ninja's static files), so /api/v1/docs works
    offline and under the Content Security Policy (README, "Getting started")."""
    import re

    from django.contrib.staticfiles import finders

    response = api("/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="swagger-ui"' in html
    references = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert references, html
    # No other host: every script, style sheet and icon is a path on this host
    assert not [r for r in references if "//" in r or r.startswith(("http:", "https:"))], references
    assets = [r for r in references if r.startswith(settings.STATIC_URL)]
    assert {"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-init.js"} <= {a.rsplit("/", 1)[1] for a in assets}
    for asset in assets:
        assert finders.find(asset.removeprefix(settings.STATIC_URL)), asset
        assert api.client.get(asset).status_code == 200, asset
    # Every script is a file of this host ('self'); the only inline one is JSON data, which the browser never runs
    scripts = re.findall(r"<script([^>]*)>", html)
    assert all('src="/' in attrs or 'type="application/json"' in attrs for attrs in scripts), scripts
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "style-src 'self'" in policy
