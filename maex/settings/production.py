"""Production: every security-critical value comes from the environment; nothing insecure by default."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    ALLOWED_HOSTS,
    CELERY_BROKER_URL,
    DATABASE_URL,
    EMAIL_URL,
    LINK_PORT,
    REDIS_URL,
    SECRET_KEY,
    SECURE_SSL,
    SIGN_ON_PRIVATE_KEY,
    configure_database,
)

for name, value in {
    "DJANGO_SECRET_KEY": SECRET_KEY,
    "DJANGO_ALLOWED_HOSTS": ALLOWED_HOSTS,
    "DATABASE_URL": DATABASE_URL,
    "CELERY_BROKER_URL or REDIS_URL": CELERY_BROKER_URL,
    # The cache must be shared by every process: per-portal caches and cross-portal rate limits live there.
    "REDIS_URL": REDIS_URL,
    # Sign-up needs e-mail verification, so production must be able to send mail.
    "EMAIL_URL": EMAIL_URL,
    # The national portal signs the ID tokens every other portal signs its visitors in with (ADR 0022).
    "MAEX_SIGN_ON_PRIVATE_KEY": SIGN_ON_PRIVATE_KEY,
}.items():
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in production.")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 characters.")

DEBUG = False
LINK_PORT = LINK_PORT or 0  # behind a proxy on 80/443 unless MAEX_LINK_PORT says otherwise
DATABASES = configure_database(DATABASE_URL)
SESSION_COOKIE_SECURE = SECURE_SSL
CSRF_COOKIE_SECURE = SECURE_SSL
SECURE_SSL_REDIRECT = SECURE_SSL
SECURE_HSTS_SECONDS = 31_536_000 if SECURE_SSL else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Portals run on domains of provinces and municipalities (maex.zeeland.example): HSTS for every subdomain,
# or preloading, would impose HTTPS on their other sites. That is their decision, not the platform's.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
