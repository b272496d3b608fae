"""One SDG story (docs/decisions/0020-one-euro-rule-pages-and-api.md): the goals an initiative ticks and the SDGs
its Social Handprint computes from its activities are shown as what they are, the same on the page and in the API."""

import json
import re
from decimal import Decimal

from tests.support import VLISSINGEN, register


def _declared_on_page(html: str) -> list[int]:
    listing = html.split('id="declared-sdgs"', 1)[1].split("</ul>", 1)[0]
    return [int(n) for n in re.findall(r'<li data-sdg="(\d+)"', listing)]


def _handprint_on_page(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr data-sdg="(\d+)"', html)]


def test_the_page_and_the_api_tell_the_same_two_sdg_sets(zeeland, national, client_for):
    # Given an initiative that ticks goals its activities give no value to (and the other way round)
    initiative, _ = register(code=VLISSINGEN, name="Sdgtest", sdgs=[16, 17])
    computed = sorted(int(k) for k, v in initiative.value_by_sdg.items() if Decimal(v) > 0)
    assert computed and computed != [16, 17]

    item = client_for(national).get(f"/api/v1/initiatives/{initiative.uuid}").json()
    page = client_for(zeeland).get(f"/initiatieven/{initiative.slug}/")
    assert page.status_code == 200
    html = page.content.decode()

    # Then the API names both sets, each for what it is
    assert item["declared_sdgs"] == item["sdgs"] == [16, 17]
    assert item["handprint_sdgs"] == computed
    assert sorted(int(k) for k, v in item["share_by_sdg"].items() if Decimal(v) > 0) == computed
    # And the page shows the same two sets, under headings that say which is which, with an explanation
    assert _declared_on_page(html) == item["declared_sdgs"]
    assert _handprint_on_page(html) == item["handprint_sdgs"]
    assert "Doelen waar het initiatief aan wil bijdragen" in html
    assert "Waarde per SDG volgens de prijslijst" in html
    assert "Daarom kunnen de twee verschillen." in html
    # A ticked goal without computed value says so
    assert "geen waarde volgens de prijslijst" in html.split('id="declared-sdgs"', 1)[1].split("</ul>", 1)[0]


def test_an_initiative_without_ticked_goals_says_so(zeeland, client_for):
    initiative, _ = register(code=VLISSINGEN, name="Sdgtest Leeg", sdgs=[])
    html = client_for(zeeland).get(f"/initiatieven/{initiative.slug}/").content.decode()
    assert "Het initiatief heeft geen doelen aangevinkt." in html
    assert _handprint_on_page(html)  # the handprint still comes from the activities


def test_the_openapi_document_says_which_sdg_field_is_which(national, client_for):
    document = json.loads(client_for(national).get("/api/v1/openapi.json").content)
    fields = document["components"]["schemas"]["InitiativeOut"]["properties"]
    assert "zelf aanvinkt" in fields["declared_sdgs"]["description"]
    assert "prijslijst" in fields["handprint_sdgs"]["description"]
    assert "declared_sdgs" in fields["value_by_sdg"]["description"]
    assert fields["sdgs"].get("deprecated") is True
    assert "declared_sdgs" in fields["sdgs"]["description"]
    sdg_filter = next(p for p in document["paths"]["/api/v1/initiatives"]["get"]["parameters"] if p["name"] == "sdg")
    assert "declared_sdgs" in sdg_filter["description"]
