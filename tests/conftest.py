"""Test infrastructure.

The test database is migrated once per session (``--reuse-db`` keeps it between runs). Four portals are
created once, by cloning the migrated template schema as in production, and committed; each test then
runs in a transaction that is rolled back, so tests never see each other's rows.

``make test`` runs the tests in parallel pytest-xdist processes, each with a database of its own; one process
builds its database, the others start from a copy of it (docs/decisions/0029-a-test-suite-near-five-minutes.md).
"""

import os
import shutil
import sys

import hypothesis
import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from tests import databases as test_databases
from tests.live import WebServer, Worker
from tests.support import PORTAL_SPECS, ensure_test_portals, holds_staff_role, sign_in_with_mfa

# Hypothesis's property tests keep their examples and checks; what goes is its timing of this machine (a 200 ms
# deadline per example, a warning when drawing examples is slow), which fails them on a busy machine running the
# suite in parallel processes (docs/decisions/0029-a-test-suite-near-five-minutes.md).
hypothesis.settings.register_profile("maex", deadline=None, suppress_health_check=[hypothesis.HealthCheck.too_slow])
hypothesis.settings.load_profile("maex")


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """Always the default database, then the session's portals.

    pytest-django would set up only the databases that collected tests mark with ``django_db``; browser and
    worker tests commit their data through ``django_db_blocker`` and carry no marker, so they could run
    alone against no database at all. ``--create-db`` builds it afresh even with ``--reuse-db`` (the default).
    No test rolls back by serialized contents, so none are made.
    """
    from django.test.utils import setup_databases, teardown_databases

    keepdb = django_db_keepdb and not django_db_createdb

    def build(keepdb):
        config = setup_databases(
            verbosity=0, interactive=False, keepdb=keepdb, aliases={"default"}, serialized_aliases=set()
        )
        ensure_test_portals()
        return config

    with django_db_blocker.unblock():
        worker = os.environ.get("PYTEST_XDIST_WORKER")
        if worker and not (keepdb and test_databases.exists(test_databases.own_name())):
            config = test_databases.build_once_and_copy(build, run=os.environ["PYTEST_XDIST_TESTRUNUID"])
        else:
            config = build(keepdb)
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            teardown_databases(config, verbosity=0)


@pytest.fixture(autouse=True)
def _public_schema_first():
    """Every test starts in the public schema, whatever the previous request left set."""
    connection.set_schema_to_public()
    yield
    connection.set_schema_to_public()


@pytest.fixture(autouse=True)
def _empty_cache():
    """The database rolls back after each test; the cache must too, or a portal cached by host (with a
    setting a test changed) would outlive the rollback and leak into the next test."""
    yield
    cache.clear()


def _portal(schema):
    from tenants.models import Portal

    return Portal.objects.with_domains().get(schema_name=schema)


@pytest.fixture
def national(db):
    return _portal("landelijk")


@pytest.fixture
def zeeland(db):
    return _portal("zeeland")


@pytest.fixture
def rotterdam(db):
    return _portal("rotterdam")


@pytest.fixture
def denhaag(db):
    return _portal("denhaag")


@pytest.fixture
def client_for():
    """A browser on one portal's domain: ``client_for(zeeland)``, signed in with ``client_for(zeeland, user)``.

    A user who holds a staff role on the portal (or is platform staff) gets what the admin requires: a real
    TOTP authenticator and a session that passed it (``tests.support.sign_in_with_mfa``)."""

    def make(portal, user=None):
        client = Client(HTTP_HOST=portal.primary_host)
        if user is not None:
            if holds_staff_role(user, portal):
                sign_in_with_mfa(client, user)
            else:
                client.force_login(user)
        return client

    return make


@pytest.fixture
def portal_specs():
    return PORTAL_SPECS


# --- a real headless Chromium (Debian's package) against a real server process: shared by every browser test
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


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploads of this test go to a folder of their own (``MEDIA_ROOT``), not the project's ``media/``.

    django-tenants' storage caches its root across setting changes, so the cache is dropped here too."""
    from django.core.files.storage import default_storage

    def forget():
        default_storage.location  # noqa: B018  (sets the lazy storage up)
        default_storage._wrapped.__dict__.pop("relative_media_root", None)

    settings.MEDIA_ROOT = str(tmp_path / "media")
    forget()
    yield tmp_path / "media"
    forget()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed test that used a real server or worker shows the end of its log: a browser test that waits in vain
    for an element otherwise says nothing of the error page the server answered with."""
    report = yield
    if report.failed:
        for name, value in getattr(item, "funcargs", {}).items():
            if isinstance(value, (WebServer, Worker)):
                report.sections.append((f"log of {name} (the end)", value.tail()))
    return report


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """``make test``'s ``--dist loadgroup`` keeps the tests of one ``xdist_group`` in one process (the Impuls races'
    fifty connections each must never run side by side); pytest-xdist marks them by a suffix on their node ids. Should
    an upgrade of pytest or pytest-xdist stop that, the run stops here instead of spreading them without a word."""
    if not getattr(config.option, "loadgroup", False):
        return
    spread = [item.nodeid for item in items if item.get_closest_marker("xdist_group") and "@" not in item.nodeid]
    if spread:
        message = (
            f"pytest-xdist did not group {spread[0]} (and {len(spread) - 1} more) by its xdist_group mark: "
            "this pytest and pytest-xdist do not work together (requirements-dev.txt)."
        )
        print(message, file=sys.__stderr__)  # a worker's error reaches the run only as xdist's internal error
        raise pytest.UsageError(message)
