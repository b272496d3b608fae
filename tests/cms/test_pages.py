"""Each page type renders on its own portal, never on another; menus, breadcrumbs and data from the index."""

import pytest
from django_tenants.utils import schema_context

from cms.models import MunicipalityPage, PartnerPage
from initiatives.models import PartnerKind
from tests.support import ROTTERDAM, THOLEN, VLISSINGEN, make_user, register

EMBED_URL = "https://video.example.org/watch?v=demo"


def _cached_embed():
    """Store the embed as Wagtail's embed cache would, so rendering never goes to the network."""
    from wagtail.embeds.embeds import get_embed_hash
    from wagtail.embeds.models import Embed

    Embed.objects.create(
        url=EMBED_URL,
        max_width=800,
        hash=get_embed_hash(EMBED_URL, 800),
        type="video",
        html='<iframe title="Demovideo" src="https://video.example.org/embed/demo"></iframe>',
    )


def _image(title="Testbeeld"):
    import io

    from django.core.files.images import ImageFile
    from PIL import Image
    from wagtail.images import get_image_model

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "#336699").save(buffer, format="PNG")
    return get_image_model().objects.create(title=title, file=ImageFile(buffer, name="test.png"))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_every_page_type_renders_on_its_portal(zeeland, pages, client_for, media):
    here, _ = register(make_user(), VLISSINGEN, name="Repair Café Vlissingen Test")
    with schema_context("zeeland"):
        _cached_embed()
        image = _image()
        home = pages.home(zeeland)
        home.hero_title = "Samen werken aan een sterk Zeeland"
        home.featured_initiatives = [("initiative", str(here.uuid))]
        home.save_revision().publish()
    content = pages.content(
        zeeland,
        "Over ons",
        show_in_menus=True,
        intro="Een inleiding.",
        body=[
            ("paragraph", "<p>Gewone tekst over Zeeland.</p>"),
            ("image", {"image": image, "alt": "Een blauw vlak", "caption": "Onderschrift"}),
            ("quote", {"text": "Ik wil die krachten versterken!", "attribution": "Iemand"}),
            ("call_to_action", {"title": "Doe mee", "text": "", "link_text": "Aanmelden", "url": "/aanmelden/"}),
            ("embed", EMBED_URL),
            ("key_figures", {"title": "In cijfers"}),
        ],
    )
    news_index = pages.news_index(zeeland)
    news = pages.news(zeeland, "Eerste bericht", news_index)
    partner_index = pages.partner_index(zeeland)
    with schema_context("zeeland"):
        logo = _image("Logo")
    partner = pages.partner(
        zeeland,
        "Provincie Test",
        partner_index,
        kind=PartnerKind.PROVINCE,
        role=PartnerPage.Role.FOUNDING,
        logo=logo,
        contribution="<p>Maakt het mogelijk.</p>",
        supported_initiatives=[("initiative", str(here.uuid))],
    )
    municipality = pages.municipality(zeeland, "Gemeente Vlissingen", VLISSINGEN)

    client = client_for(zeeland)
    expectations = {
        "/": ["Samen werken aan een sterk Zeeland", "Repair Café Vlissingen Test", "Eerste bericht"],
        content.url_path.removeprefix("/home"): [
            "Gewone tekst over Zeeland",
            'alt="Een blauw vlak"',
            "Ik wil die krachten versterken!",
            'href="/aanmelden/"',
            "Demovideo",
            "In cijfers",
        ],
        news_index.url_path.removeprefix("/home"): ["Eerste bericht"],
        news.url_path.removeprefix("/home"): ["Intro van Eerste bericht"],
        partner_index.url_path.removeprefix("/home"): ["Provincie Test", "Initiatiefnemer"],
        partner.url_path.removeprefix("/home"): ["Maakt het mogelijk.", "Repair Café Vlissingen Test"],
        municipality.url_path.removeprefix("/home"): ["Repair Café Vlissingen Test"],
    }
    for path, texts in expectations.items():
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        for text in texts:
            assert text in html, (path, text)
    # the menu shows the pages marked "in menus"; breadcrumbs lead back home
    menu = _menu(zeeland, content)
    assert f'<a href="{content.url_path.removeprefix("/home")}" aria-current="page">Over ons</a>' in menu
    assert "Eerste bericht" not in menu  # not marked "in menus"
    news_html = client.get(news.url_path.removeprefix("/home")).content.decode()
    assert 'aria-label="Kruimelpad"' in news_html
    assert 'href="/nieuws/"' in news_html


def _menu(portal, page=None) -> str:
    """includes/menu.html as base.html includes it, for a request on the portal's host."""
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory(HTTP_HOST=portal.primary_host).get("/")
    request.tenant, request.user = portal, AnonymousUser()
    with schema_context(portal.schema_name):
        return render_to_string("includes/menu.html", {"page": page, "portal": portal}, request=request)


def test_a_page_of_one_portal_is_404_on_another(zeeland, rotterdam, pages, client_for):
    page = pages.content(zeeland, "Alleen in Zeeland", show_in_menus=True)
    pages.content(rotterdam, "Alleen in Rotterdam", show_in_menus=True)
    path = page.url_path.removeprefix("/home")
    assert client_for(zeeland).get(path).status_code == 200
    assert client_for(rotterdam).get(path).status_code == 404
    # and each portal's menu shows its own pages only
    assert "Alleen in Zeeland" in _menu(zeeland) and "Alleen in Rotterdam" not in _menu(zeeland)
    assert "Alleen in Rotterdam" in _menu(rotterdam) and "Alleen in Zeeland" not in _menu(rotterdam)


def test_the_municipality_page_lists_exactly_the_portals_published_initiatives_there(
    zeeland, rotterdam, pages, client_for
):
    owner = make_user()
    in_vlissingen = [register(owner, VLISSINGEN)[0] for _ in range(2)]
    in_tholen, _ = register(owner, THOLEN)
    in_rotterdam, _ = register(owner, ROTTERDAM)
    unpublished, _ = register(owner, VLISSINGEN, publish=False)
    page = pages.municipality(zeeland, "Gemeente Vlissingen", VLISSINGEN, intro="<p>Welkom in Vlissingen.</p>")

    response = client_for(zeeland).get(page.url_path.removeprefix("/home"))
    assert response.status_code == 200
    listed = {e.uuid for e in response.context["entries"]}
    assert listed == {i.uuid for i in in_vlissingen}
    html = response.content.decode()
    assert "Welkom in Vlissingen." in html
    for other in (in_tholen, in_rotterdam, unpublished):
        assert other.name not in html
    # each initiative shows its SDGs
    for initiative in in_vlissingen:
        assert initiative.sdgs
        for number in initiative.sdgs:
            assert f"SDG {number}" in html
    # and the SDG table says what it counts: the goals the initiatives tick, not their handprint
    assert "Doelen waar de initiatieven aan willen bijdragen" in html
    assert "Bijdrage aan de SDG" not in html


def test_a_municipality_page_only_takes_a_municipality_the_portal_covers(zeeland):
    from django.core.exceptions import ValidationError

    from geo.models import Municipality

    with schema_context("zeeland"):
        page = MunicipalityPage(
            title="Rotterdam", slug="rotterdam", municipality=Municipality.objects.get(cbs_code=ROTTERDAM)
        )
        with pytest.raises(ValidationError):
            page.full_clean()


def test_partners_can_only_support_initiatives_of_their_own_portal(zeeland, pages, client_for):
    from django.core.exceptions import ValidationError

    from cms.blocks import InitiativeChoiceBlock

    here, _ = register(make_user(), VLISSINGEN)
    there, _ = register(make_user(), ROTTERDAM)
    block = InitiativeChoiceBlock()
    with schema_context("zeeland"):
        assert block.clean(str(here.uuid)) == str(here.uuid)
        with pytest.raises(ValidationError):
            block.clean(str(there.uuid))
    # a UUID of another portal stored anyway is not shown
    index = pages.partner_index(zeeland)
    partner = pages.partner(
        zeeland,
        "Fonds Test",
        index,
        supported_initiatives=[("initiative", str(there.uuid)), ("initiative", str(here.uuid))],
    )
    response = client_for(zeeland).get(partner.url_path.removeprefix("/home"))
    assert [e.uuid for e in response.context["supported"]] == [here.uuid]


def test_the_partner_overview_costs_the_same_queries_for_more_partners_with_logos(zeeland, pages, client_for, media):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tenants.middleware import forget_host

    index = pages.partner_index(zeeland)

    def add_partner(n):
        with schema_context("zeeland"):
            logo = _image(f"Logo {n}")
        pages.partner(zeeland, f"Partner {n}", index, kind=PartnerKind.FUND, role=PartnerPage.Role.PARTNER, logo=logo)

    def queries():
        client = client_for(zeeland)
        client.get("/partners/")  # renditions are made on the first view
        cache.clear()  # and then looked up again, as on a cold cache (a restart, another process)
        forget_host(zeeland.primary_host)
        connection.set_schema_to_public()
        client.get("/")  # the host lookup, cached again
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/partners/")
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode().count("partner-card__logo")

    add_partner(1)
    few, logos_few = queries()
    for n in range(2, 6):
        add_partner(n)
    many, logos_many = queries()
    assert (logos_few, logos_many) == (1, 5)
    assert many == few


def test_a_content_page_links_its_subpages_such_as_every_municipality_with_a_page(zeeland, pages, client_for):
    # Given a "Gemeenten" page with a page for Vlissingen and one for Tholen under it, and a draft under it
    overview = pages.content(zeeland, "Gemeenten", show_in_menus=True)
    vlissingen = pages.municipality(zeeland, "Gemeente Vlissingen", VLISSINGEN, parent=overview)
    tholen = pages.municipality(zeeland, "Gemeente Tholen", THOLEN, parent=overview)
    draft = pages.content(zeeland, "Nog niet klaar", parent=overview)
    with schema_context("zeeland"):
        draft.unpublish()

    # When a visitor opens the overview
    html = client_for(zeeland).get(overview.url_path.removeprefix("/home")).content.decode()

    # Then it links every municipality that has a page, and no draft
    assert f'<a href="{vlissingen.url_path.removeprefix("/home")}">Gemeente Vlissingen</a>' in html
    assert f'<a href="{tholen.url_path.removeprefix("/home")}">Gemeente Tholen</a>' in html
    assert "Nog niet klaar" not in html


def test_breadcrumbs_are_a_labelled_navigation_with_the_current_page_last(zeeland, pages, client_for):
    overview = pages.content(zeeland, "Gemeenten")
    municipality = pages.municipality(zeeland, "Gemeente Vlissingen", VLISSINGEN, parent=overview)
    html = client_for(zeeland).get(municipality.url_path.removeprefix("/home")).content.decode()
    trail = html.split('<nav class="breadcrumbs" aria-label="Kruimelpad">', 1)[1].split("</nav>", 1)[0]
    assert "<ol>" in trail
    assert trail.index('href="/"') < trail.index('href="/gemeenten/"') < trail.index('aria-current="page"')
    assert '<a href="/gemeenten/gemeente-vlissingen/" aria-current="page">Gemeente Vlissingen</a>' in trail


def test_the_menu_is_behind_a_menu_button_that_needs_no_javascript(zeeland, pages):
    pages.content(zeeland, "Over ons", show_in_menus=True)
    menu = _menu(zeeland)
    # a <details> whose <summary> is the button (its open state is announced without any script or aria to keep up)
    assert '<details class="menu">' in menu and "<summary>Menu</summary>" in menu
    assert menu.index("<summary>") < menu.index("Over ons")
    assert "<script" not in menu
