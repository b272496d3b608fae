"""Steps the browser tests share: a staff sign-in with password and authenticator code, and the WCAG 2.1 AA check."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

from tests.support import totp_code

AXE_TAGS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def check_accessibility(page) -> None:
    """axe finds no WCAG 2.1 A or AA violation on ``page`` as it is now."""
    results = Axe().run(page, options=AXE_TAGS)
    assert results.violations_count == 0, (page.url, results.generate_report())


def staff_sign_in(browser, server, host: str, path: str, email: str, password: str, secret: str):
    """A new browser page of a staff member who opens ``path`` of ``host``'s admin, signs in with password and
    authenticator code on the portal's login page, and arrives at ``path``."""
    admin = browser.new_context().new_page()
    admin.set_default_timeout(10_000)
    admin.goto(server.url(host, path))
    admin.wait_for_url(f"**{host}:*/account/login/**")
    admin.fill("input[name=login]", email)
    admin.fill("input[name=password]", password)
    admin.get_by_role("main").get_by_role("button", name="Inloggen", exact=True).click()
    admin.wait_for_url("**/account/2fa/authenticate/**")
    admin.fill("input[name=code]", totp_code(secret))
    admin.locator("main form button[type=submit]").last.click()
    admin.wait_for_url(server.url(host, path))
    return admin
