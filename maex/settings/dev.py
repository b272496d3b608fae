"""Local development: zero setup. Without DATABASE_URL an embedded PostgreSQL is started; without a
broker URL Celery uses a broker on the file system (no server), still with a real worker process."""

from .base import *  # noqa: F403
from .base import (
    CELERY_BROKER_URL,
    DATABASE_URL,
    EMAIL_URL,
    LINK_PORT,
    RUN_DIR,
    SECRET_KEY,
    SIGN_ON_PRIVATE_KEY,
    configure_database,
    env,
)

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-used-in-production"
ALLOWED_HOSTS = [".localhost", "localhost", "127.0.0.1", "testserver"] + env.list("DJANGO_ALLOWED_HOSTS", default=[])
# `make bench` (manage.py bench): a development tool with no models, so it is installed here only.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]

from maex.localstack import broker_settings, database_url  # noqa: E402

DATABASES = configure_database(DATABASE_URL or database_url())
vars().update(broker_settings(CELERY_BROKER_URL))

if not EMAIL_URL:
    # Demo mail (verification links, invitations) is written to .run/mail/ as .log files.
    MAIL_FOLDER = RUN_DIR / "mail"
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(MAIL_FOLDER)},
        }
    }

if not env.str("STATIC_ROOT", default=""):
    STATIC_ROOT = RUN_DIR / "static"
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

LINK_PORT = 8000 if LINK_PORT is None else LINK_PORT  # fixed: `make run` passes its port as MAEX_LINK_PORT
SECURE_SSL = False  # the local servers speak plain HTTP

# WebAuthn on http://*.localhost: browsers treat localhost as secure, fido2 wants https (ADR 0015).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True

# ID tokens of the national portal: a generated dev-only key in .run/ unless one is given (ADR 0022).
from maex.sign_on_key import dev_signing_key  # noqa: E402

IDP_OIDC_PRIVATE_KEY = SIGN_ON_PRIVATE_KEY or dev_signing_key(RUN_DIR)
