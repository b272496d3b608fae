"""Every demo portal fully dressed (its own branding, its demo pages, an initiative of its own), in a real
headless Chromium: each shows its own colours, and axe-core finds no WCAG 2.1 A/AA violations on the home,
list, detail, registration, search and every content, news, partner and municipality page."""

import pytest
from django_tenants.utils import schema_context

from accounts.services import delete_account
from branding.models import BrandingSettings
from cms.models import HomePage, InitiativeIndexPage
from demo import content, loader
from tests.browser.test_pages_in_a_browser import PASSWORD, _remove_initiatives
from tests.live import WebServer
from tests.support import AMSTERDAM, PORTAL_SPECS, ROTTERDAM, VLISSINGEN, make_user, municipality, register

# One pytest-xdist process runs the four (make test's --dist loadgroup): they share the module's `dressed` portals,
# which are set up once per process that runs any of them.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("demo_portals_in_a_browser")]
HOSTS = {schema: host for schema, (_name, _kind, host, _codes) in PORTAL_SPECS.items()}
HOME_CODES = {"landelijk": AMSTERDAM, "zeeland": VLISSINGEN, "rotterdam": ROTTERDAM, "denhaag": "GM0518"}
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def _undress():
    """Back to the bare test portals: no branding, no banner, no images, no pages under the home page but the
    one every portal has (the initiative list)."""
    from wagtail.images.models import Image

    for schema in HOSTS:
        with schema_context(schema):
            BrandingSettings.objects.all().delete()
            for home in HomePage.objects.all():
                for page in home.get_children().not_type(InitiativeIndexPage):
                    page.delete()
                HomePage.objects.filter(pk=home.pk).update(hero_title="", hero_text="")
            for image in Image.objects.all():
                image.delete()


def _page_paths(schema) -> list[str]:
    with schema_context(schema):
        home = HomePage.objects.get()
        return ["/" + page.url_path.removeprefix(home.url_path) for page in home.get_descendants().live()]


@pytest.fixture(scope="module")
def dressed(django_db_setup, django_db_blocker):
    """Per portal: a published initiative of its own, its demo pages and its demo branding, all committed;
    a verified person to sign in with; and a web server of its own (its per-process cache starts empty)."""
    with django_db_blocker.unblock():
        person = make_user(password=PASSWORD)
        initiatives = {schema: register(person, code)[0] for schema, code in HOME_CODES.items()}
        for schema, initiative in initiatives.items():
            assert initiative.municipality_id == municipality(HOME_CODES[schema]).pk
        loader.ensure_pages()
        loader.apply_brandings()
        paths = {schema: _page_paths(schema) for schema in HOSTS}
        server = WebServer()
    yield server, person, initiatives, paths
    server.stop()
    with django_db_blocker.unblock():
        _undress()
        for schema, initiative in initiatives.items():
            _remove_initiatives(schema, [initiative.uuid])
        delete_account(person)


def _sign_in(page, server, host, person):
    page.goto(server.url(host, "/account/login/"))
    page.fill("input[name=login]", person.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()


@pytest.mark.parametrize("schema", list(HOSTS))
def test_each_demo_portal_shows_its_own_branding_and_pages_without_axe_violations(browser, dressed, schema):
    from axe_playwright_python.sync_playwright import Axe

    server, person, initiatives, page_paths = dressed
    host = HOSTS[schema]
    # Given the demo pages of this portal: partners and municipality pages among them
    kinds = " ".join(page_paths[schema])
    assert "/partners/" in kinds and "/nieuws/" in kinds
    if schema != "landelijk":
        assert "gemeente" in kinds, page_paths[schema]
    public = [
        "/",
        "/initiatieven/",
        f"/initiatieven/{initiatives[schema].slug}/",
        "/zoeken/?q=demo",
        "/account/login/",
        *page_paths[schema],
    ]
    page = browser.new_page()
    problems = {}

    def check(path):
        response = page.goto(server.url(host, path))
        assert response.status == 200, (schema, path, response.status)
        primary = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--maex-color-primary')")
        assert primary.strip() == content.BRANDINGS[schema]["primary_colour"], (schema, path)
        results = Axe().run(page, options=WCAG)
        if results.violations_count:
            problems[path] = results.generate_report()

    # When a visitor opens every public page, and a signed-in person the registration form
    for path in public:
        check(path)
    _sign_in(page, server, host, person)
    check("/aanmelden/")
    assert page.locator("#id_municipality").count() == 1  # the form itself, not a redirect to the login
    page.close()

    # Then axe-core finds nothing
    assert not problems, "\n\n".join(f"{p}:\n{r}" for p, r in problems.items())
