"""The demo data (demo/data/) becomes pages and brandings once, through the apps' services."""

import pytest
from django_tenants.utils import schema_context

from branding.models import BrandingSettings
from branding.services import default_site
from demo import content, loader
from initiatives.models import PartnerKind, ProfileChange
from tenants.models import Portal
from tests.support import ROTTERDAM, VLISSINGEN, make_user, register


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_the_demo_content_is_made_once(zeeland, rotterdam, denhaag, national, client_for, media):
    register(make_user(), VLISSINGEN)
    first = loader.ensure_pages()
    assert any(line.startswith("zeeland: Gemeente Vlissingen") for line in first)
    assert any(line.startswith("zeeland: Gemeente Tholen") for line in first)
    assert any(line == "landelijk: Over de MAEX" for line in first)
    assert sum(line.startswith("zeeland:") and "(demo)" in line for line in first) >= 9
    assert loader.ensure_pages() == []
    for portal in (zeeland, rotterdam, denhaag, national):
        client = client_for(portal)
        assert client.get("/").status_code == 200
    client = client_for(zeeland)
    for path in [
        "/partners/",
        "/partners/provincie-zeeland/",
        "/nieuws/",
        "/gemeenten/vlissingen/",
        "/over-maex-zeeland/",
    ]:
        assert client.get(path).status_code == 200, path
    assert client_for(national).get("/over-de-maex/").status_code == 200


def test_a_demo_partner_shows_its_kind_from_the_one_vocabulary(zeeland, client_for, media):
    loader.ensure_pages(logos=False)
    response = client_for(zeeland).get("/partners/rabobank/")
    assert response.context["page"].kind == PartnerKind.BANK
    assert "<dd>Bank</dd>" in response.content.decode()


def test_every_demo_page_uses_a_known_page_type_and_partner_kind():
    for portal in content.PORTALS:
        for page in content.pages(portal["schema"])["pages"]:
            assert page["type"] in loader.PAGE_TYPES, (portal["schema"], page["slug"])
            if page["type"] == "partner":
                assert page["kind"] in PartnerKind.values, (portal["schema"], page["slug"])
    assert set(content.INITIATIVES["partner_kinds"]) <= set(PartnerKind.values)


def test_the_demo_brandings_are_distinct_pass_and_are_applied_idempotently(zeeland, rotterdam, denhaag, national):
    assert len({values["primary_colour"] for values in content.BRANDINGS.values()}) == 4
    first = loader.apply_brandings()
    assert set(first) == {"landelijk", "zeeland", "rotterdam", "denhaag"}
    assert loader.apply_brandings() == dict.fromkeys(first, False)  # second run: nothing changes
    for schema, values in content.BRANDINGS.items():
        with schema_context(schema):
            branding = BrandingSettings.for_site(default_site())
        assert branding.primary_colour == values["primary_colour"]
        assert branding.font == values["font"]


def test_the_demo_holds_implausible_figures_in_rotterdam_and_shows_one_held_change(rotterdam):
    register(make_user(), ROTTERDAM)
    loader.ensure_portals()
    assert Portal.objects.get(schema_name="rotterdam").implausible == "hold"
    assert Portal.objects.get(schema_name="zeeland").implausible == "refuse"
    assert loader.ensure_held_change() is True
    assert loader.ensure_held_change() is False  # one waits already
    with schema_context("rotterdam"):
        assert ProfileChange.objects.filter(state="pending").count() == 1


def test_the_demo_editions_are_frozen_before_and_after_some_initiatives_join(zeeland, national, client_for):
    owner = make_user()
    loader.seed_initiatives(owner, 2)

    made = loader.ensure_editions(owner, 2)

    assert made == ["landelijk 2025", "landelijk 2026", "zeeland 2026"]
    assert loader.ensure_editions(owner, 2) == []
    client = client_for(national)
    page = client.get("/edities/2026/")
    rows = {row.key: row for row in page.context["differences"]}
    assert rows["initiatives"].change == loader.EDITION_GROWTH
    html = page.content.decode()
    assert "Demo-editie" in html and "Demodata" in html
    assert [e.year for e in client.get("/edities/").context["editions"]] == [2026, 2025]
    assert "Dit is de eerste editie" in client_for(zeeland).get("/edities/2026/").content.decode()
