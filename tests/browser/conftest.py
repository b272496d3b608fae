"""A real headless Chromium (Debian's package) against a real server process."""

import os
import shutil

import pytest

from tests.live import WebServer

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def web_server(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        server = WebServer()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser(django_db_setup):
    if not CHROMIUM:
        pytest.skip("No Chromium on this machine: install Debian's 'chromium' package to run the browser tests.")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls of these tests are still
    # synchronous (Django's documented setting for Playwright tests).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def committed(django_db_blocker):
    """Run setup code outside the test transaction (committed), with cleanup callbacks at teardown."""
    cleanups = []

    class Committed:
        def __call__(self, fn, *args, **kwargs):
            with django_db_blocker.unblock():
                return fn(*args, **kwargs)

        def cleanup(self, fn, *args, **kwargs):
            cleanups.append((fn, args, kwargs))

    yield Committed()
    with django_db_blocker.unblock():
        for fn, args, kwargs in reversed(cleanups):
            fn(*args, **kwargs)
