"""The demo portals with their own branding, in a real headless Chromium: each shows its own colours, and
axe-core finds no WCAG 2.1 A/AA violations on its pages."""

import pytest
from django_tenants.utils import schema_context

from branding.models import BrandingSettings
from branding.services import DEMO_BRANDINGS, apply_demo_branding
from tests.live import WebServer

pytestmark = pytest.mark.browser
HOSTS = {
    "landelijk": "maex.localhost",
    "zeeland": "zeeland.localhost",
    "rotterdam": "rotterdam.localhost",
    "denhaag": "denhaag.localhost",
}


def _reset_branding():
    for schema in HOSTS:
        with schema_context(schema):
            for branding in BrandingSettings.objects.all():
                branding.delete()


@pytest.fixture(scope="module")
def branded_server(django_db_setup, django_db_blocker):
    """The demo branding, committed, and a web server of its own (its per-process cache starts empty)."""
    with django_db_blocker.unblock():
        apply_demo_branding()
        server = WebServer()
    yield server
    server.stop()
    with django_db_blocker.unblock():
        _reset_branding()


@pytest.mark.parametrize("schema", list(HOSTS))
def test_each_demo_portal_shows_its_own_branding_without_axe_violations(browser, branded_server, schema):  # noqa: F811
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page()
    problems = {}
    for path in ("/", "/initiatieven/", "/account/login/"):
        page.goto(branded_server.url(HOSTS[schema], path))
        primary = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--maex-color-primary')")
        assert primary.strip() == DEMO_BRANDINGS[schema]["primary_colour"], (schema, path)
        header = page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")
        assert header != "rgba(0, 0, 0, 0)"
        results = Axe().run(
            page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
        )
        if results.violations_count:
            problems[path] = results.generate_report()
    page.close()
    assert not problems, "\n\n".join(f"{p}:\n{r}" for p, r in problems.items())
