"""Navigation and account pages in a real Chromium (issue 10, points 9 and 10): a menu button on a phone that
works without JavaScript and by keyboard, breadcrumbs on one line, the account pages of a signed-in person
without axe violations, and an admin whose images all load with nothing from another server."""

import pytest
from django_tenants.utils import schema_context

from accounts.services import delete_account
from cms.models import ContentPage, HomePage, MunicipalityPage
from cms.services import child
from geo.models import Municipality
from tenants.models import Portal
from tests.support import THOLEN, VLISSINGEN, make_user, mfa_ready, totp_code, with_role

pytestmark = pytest.mark.browser
PASSWORD = "een-lang-wachtwoord-123"
PHONE = {"width": 375, "height": 740}
AXE_TAGS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def _municipality_pages():
    with schema_context("zeeland"):
        overview = child(HomePage.objects.get(), ContentPage, "gemeenten-test", title="Gemeenten (test)")
        for code in (VLISSINGEN, THOLEN):
            municipality = Municipality.objects.get(cbs_code=code)
            child(
                overview,
                MunicipalityPage,
                f"gm-{code}",
                title=f"Gemeente {municipality.name}",
                municipality=municipality,
            )
        return overview.url_path.removeprefix("/home")


def _remove_pages():
    with schema_context("zeeland"):
        for page in ContentPage.objects.filter(slug="gemeenten-test"):
            page.delete()


def _sign_in(page, url, email):
    page.goto(url)
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()


def test_on_a_phone_the_menu_is_behind_a_button_that_needs_no_javascript(browser, web_server):
    page = browser.new_context(java_script_enabled=False, viewport=PHONE).new_page()
    page.goto(web_server.url("zeeland.localhost", "/"))
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    button = menu.locator("summary")
    link = menu.get_by_role("link", name="Initiatieven", exact=True)

    # Closed: one button, the links hidden; the header stays short
    assert button.is_visible() and not link.is_visible()
    assert page.locator("header.site-header").bounding_box()["height"] < 260

    # Opened by keyboard: the links show, one under the other
    button.focus()
    page.keyboard.press("Enter")
    assert link.is_visible()
    assert menu.locator("details").get_attribute("open") is not None
    first, second = menu.locator("li").nth(0).bounding_box(), menu.locator("li").nth(1).bounding_box()
    assert second["y"] > first["y"]


def test_on_a_wide_screen_the_menu_shows_without_a_button(browser, web_server):
    page = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 800}).new_page()
    page.goto(web_server.url("zeeland.localhost", "/"))
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    assert not menu.locator("summary").is_visible()
    assert menu.get_by_role("link", name="Initiatieven", exact=True).is_visible()


def test_gemeenten_links_its_municipalities_and_breadcrumbs_are_one_line(browser, web_server, committed):
    from axe_playwright_python.sync_playwright import Axe

    path = committed(_municipality_pages)
    committed.cleanup(_remove_pages)
    page = browser.new_page()
    page.goto(web_server.url("zeeland.localhost", path))
    page.get_by_role("link", name="Gemeente Vlissingen").click()
    assert page.get_by_role("heading", name="Gemeente Vlissingen", level=1).is_visible()

    trail = page.get_by_role("navigation", name="Kruimelpad")
    items = trail.locator("li")
    assert items.count() == 3
    tops = {round(items.nth(i).bounding_box()["y"]) for i in range(3)}
    assert len(tops) == 1  # one line, not a numbered list
    assert trail.locator("ol").evaluate("ol => getComputedStyle(ol).listStyleType") == "none"
    assert items.last.locator("a").get_attribute("aria-current") == "page"
    results = Axe().run(page, options=AXE_TAGS)
    assert not results.violations_count, results.generate_report()


def test_a_signed_in_persons_account_pages_have_no_axe_violations(browser, web_server, committed):
    from axe_playwright_python.sync_playwright import Axe

    person = committed(make_user, password=PASSWORD)
    committed.cleanup(delete_account, person)
    page = browser.new_page()
    _sign_in(page, web_server.url("zeeland.localhost", "/account/login/"), person.email)
    page.wait_for_url(web_server.url("zeeland.localhost", "/"))
    problems = {}
    for path in ("/account/email/", "/account/password/change/", "/account/2fa/", "/account/logout/"):
        page.goto(web_server.url("zeeland.localhost", path))
        assert page.locator("header.site-header").is_visible(), path
        results = Axe().run(page, options=AXE_TAGS)
        if results.violations_count:
            problems[path] = results.generate_report()
    assert not problems, "\n\n".join(f"{p}:\n{r}" for p, r in problems.items())


def _admin(schema):
    user = with_role(make_user(password=PASSWORD), Portal.objects.get(schema_name=schema), "portal_admin")
    return user, mfa_ready(user)


def test_the_admin_names_its_portal_and_loads_every_image_from_itself(browser, web_server, committed):
    admin, secret = committed(_admin, "zeeland")
    committed.cleanup(delete_account, admin)
    page = browser.new_context().new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    _sign_in(page, web_server.url("zeeland.localhost", "/beheer/"), admin.email)
    page.fill("input[name=code]", totp_code(secret))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(web_server.url("zeeland.localhost", "/beheer/"))
    page.wait_for_load_state("networkidle")

    assert page.title() == "Dashboard - MAEX Zeeland"
    assert page.get_by_role("heading", name="MAEX Zeeland", level=1).is_visible()
    broken = page.evaluate("[...document.images].filter(i => i.complete && i.naturalWidth === 0).map(i => i.src)")
    assert broken == []
    origin = web_server.url("zeeland.localhost", "/").rstrip("/")
    assert [url for url in requested if not url.startswith((origin, "data:"))] == []
