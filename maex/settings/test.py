"""Test settings: the same real parts (PostgreSQL, Celery), faster password hashing, mail in memory."""

from .base import *  # noqa: F403
from .base import (
    CELERY_BROKER_TRANSPORT_OPTIONS,
    CELERY_BROKER_URL,
    DATABASE_URL,
    LINK_PORT,
    RUN_DIR,
    SIGN_ON_PRIVATE_KEY,
    configure_database,
    env,
)

SECRET_KEY = "test-only-key"
DEBUG = False
ALLOWED_HOSTS = [".localhost", "localhost", "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# A server process started by a browser test (tests/live.py) writes its mail as files into this folder, where
# the test reads it (the verification mail's link, the "published" mail); in memory otherwise.
if MAIL_DIR := env.str("MAEX_TEST_MAIL_DIR", default=""):
    MAILERS = {
        "default": {"BACKEND": "django.core.mail.backends.filebased.EmailBackend", "OPTIONS": {"file_path": MAIL_DIR}}
    }
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "KEY_FUNCTION": "maex.cache.make_key"}
}
# The page cache's versions move when a transaction commits; a test's transaction never does, so the cache is off
# except where a test commits and switches it on (tests/cms/test_page_cache.py, ADR 0030).
PAGE_CACHE_SECONDS = env.int("MAEX_PAGE_CACHE_SECONDS", default=0)
STATIC_ROOT = RUN_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

from maex.localstack import broker_settings, database_url  # noqa: E402

DATABASES = configure_database(DATABASE_URL or database_url())
DATABASES["default"]["CONN_MAX_AGE"] = 0
vars().update(broker_settings(CELERY_BROKER_URL))
# `make test` runs the suite in several pytest-xdist processes (docs/decisions/0029-a-test-suite-near-five-minutes.md).
# Each has its own test database (pytest-django names it ..._gw0, ..._gw1) and, on Redis, its own broker keys: its
# queues and Redis's hash of unacknowledged messages, which a worker with a short visibility timeout hands back to
# its queues, must not reach another process's tests. The servers and Celery workers a test starts inherit
# PYTEST_XDIST_WORKER, so they use the same keys.
XDIST_WORKER = env.str("PYTEST_XDIST_WORKER", default="")
if XDIST_WORKER and CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {**CELERY_BROKER_TRANSPORT_OPTIONS, "global_keyprefix": f"{XDIST_WORKER}:"}

LINK_PORT = 8000 if LINK_PORT is None else LINK_PORT  # fixed: `make run` passes its port as MAEX_LINK_PORT
SECURE_SSL = False  # the local servers speak plain HTTP

# WebAuthn on http://*.localhost: browsers treat localhost as secure, fido2 wants https (ADR 0015).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True

# ID tokens of the national portal: a generated dev-only key in .run/ unless one is given (ADR 0022).
from maex.sign_on_key import dev_signing_key  # noqa: E402

IDP_OIDC_PRIVATE_KEY = SIGN_ON_PRIVATE_KEY or dev_signing_key(RUN_DIR)
# The silent check redirects every anonymous first page: off here, on in the tests of it (ADR 0022).
SIGN_ON_SILENT_CHECK = env.bool("MAEX_SIGN_ON_SILENT_CHECK", default=False)
