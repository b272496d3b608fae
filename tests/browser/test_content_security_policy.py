"""The Content Security Policy holds without breaking anything: no inline script is allowed, and neither the
public pages nor Wagtail's admin trip over it in a real browser (docs/decisions/0014)."""

import pytest
from django_tenants.utils import schema_context

from accounts.services import delete_account
from tests.support import VLISSINGEN, make_user, mfa_ready, register, totp_code, with_role

pytestmark = pytest.mark.browser
PASSWORD = "een-lang-wachtwoord-123"
PUBLIC = [
    "/",
    "/initiatieven/",
    "/stand-van-het-land/",
    "/account/login/",
    "/prijslijst/",
    "/waardenweb/",
    "/zoeken/?q=tuin",
]


def _zeeland():
    from tenants.models import Portal

    return Portal.objects.get(schema_name="zeeland")


def _home_page_id():
    from cms.models import HomePage

    with schema_context("zeeland"):
        return HomePage.objects.get().pk


def _remove(uuid):
    from initiatives.models import Initiative
    from national_index import projector

    with schema_context("zeeland"):
        Initiative.objects.filter(uuid=uuid).delete()
    projector.forget(uuid)


def _watch(page) -> list[str]:
    """Collect the browser's CSP reports: Chromium logs each blocked script, style or frame to the console."""
    seen = []
    page.on("console", lambda m: seen.append(f"{page.url}: {m.text}") if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: seen.append(f"{page.url}: page error: {e}"))
    return seen


def test_public_pages_and_the_wagtail_admin_run_without_csp_violations(browser, web_server, committed):
    admin = committed(make_user, password=PASSWORD)
    committed.cleanup(delete_account, admin)
    committed(with_role, admin, committed(_zeeland), "portal_admin")
    secret = committed(mfa_ready, admin)  # staff reach the admin only with a second factor (ADR 0015)
    initiative, _ = committed(register, admin, VLISSINGEN)
    committed.cleanup(_remove, initiative.uuid)
    home = committed(_home_page_id)
    page = browser.new_page()
    seen = _watch(page)

    # Given the public pages, an initiative's page with its charts among them
    for path in [*PUBLIC, f"/initiatieven/{initiative.slug}/"]:
        response = page.goto(web_server.url("zeeland.localhost", path))
        policy = response.headers["content-security-policy"]
        assert "script-src 'self';" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        page.wait_for_load_state("networkidle")

    # And the admin, signed in as the portal's admin: dashboard, page explorer, page editor, images, documents
    page.goto(web_server.url("zeeland.localhost", "/account/login/"))
    page.fill("input[name=login]", admin.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/account/2fa/authenticate/")
    page.fill("input[name=code]", totp_code(secret))
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")
    admin_policy = page.goto(web_server.url("zeeland.localhost", "/beheer/")).headers["content-security-policy"]
    assert "frame-ancestors 'none'" in admin_policy and "object-src 'none'" in admin_policy
    for path in [
        "/beheer/",
        f"/beheer/pages/{home}/",
        f"/beheer/pages/{home}/edit/",
        "/beheer/images/",
        "/beheer/documents/",
    ]:
        page.goto(web_server.url("zeeland.localhost", path))
        page.wait_for_load_state("networkidle")
        assert "/account/login/" not in page.url, path
    # The admin's scripts really ran: the page editor's side panels and the menu are built by them
    page.goto(web_server.url("zeeland.localhost", f"/beheer/pages/{home}/edit/"))
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-side-panel-toggle]").first.is_visible()

    # Then the browser reported no violation anywhere
    assert seen == [], "\n".join(seen)
    page.close()  # no more pings of the page editor after the account is gone


def test_the_api_documentation_runs_offline_under_the_policy(browser, web_server):
    page = browser.new_page()
    seen = _watch(page)
    elsewhere = []

    def offline(route):
        # As with no internet: a request to any other host fails
        elsewhere.append(route.request.url)
        route.abort()

    page.route(lambda url: not url.startswith(web_server.url("zeeland.localhost", "/")), offline)

    # When the open data documentation is opened
    page.goto(web_server.url("zeeland.localhost", "/api/v1/docs"))
    page.wait_for_load_state("networkidle")

    # Then Swagger UI has built the page from the platform's own files, with the API's operations
    assert page.locator(".swagger-ui .info .title").first.inner_text().startswith("MAEX open data")
    assert page.locator(".opblock").count() >= 3
    assert elsewhere == [] and seen == [], "\n".join(elsewhere + seen)
