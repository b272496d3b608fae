"""Pages served from a cache to visitors without a session, per portal, until anything they show changes
(docs/decisions/0030-page-cache.md).

Wagtail's ``serve`` routes a path through the page tree, checks view restrictions and renders the page with its
menu, breadcrumbs and figures: a dozen queries and the templates. For a visitor with no session (no sign-in, no
flash message, no page password passed) the result depends only on the portal, the host, the path with its query,
the language and the data, so it is rendered once and kept under a key that carries three versions, read in one
query: the national index version (``national_index.version``: initiatives, figures, the price list), the public
schema's page cache version (portals and their domains) and the portal's own (its pages, settings, snippets,
branding, images, documents and initiatives; ``tenants.page_cache``). Any committed change moves one of them, so
the next visitor gets a fresh render: nothing is ever served stale, entries under old versions are never read again
and expire after ``MAEX_PAGE_CACHE_SECONDS``, which also bounds anything a page says about the time of day.

The one part of a page that is the visitor's own, the CSRF token of the language switch, is cut out before the
page is stored and filled in for each visitor (who also gets the CSRF cookie that goes with it)."""

from __future__ import annotations

import hashlib
import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation
from wagtail.views import serve as wagtail_serve

from national_index.version import SEQUENCE
from tenants.page_cache import TABLE

log = logging.getLogger(__name__)

HEADER = "X-Page-Cache"
MAX_QUERY = 256  # a longer query string (a crafted one, most likely) is rendered, not stored
TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{32,64}(")')
HOLE = rb"\1__maex-csrf__\2"
FILLED = re.compile(rb'(name="csrfmiddlewaretoken" value=")__maex-csrf__(")')
VERSIONS = (
    f"SELECT (SELECT last_value FROM {SEQUENCE}), "  # noqa: S608 (constants)
    f"(SELECT n FROM public.{TABLE} WHERE id = 1), (SELECT n FROM {TABLE} WHERE id = 1)"
)


def versions() -> str:
    """The three versions a page is stored under, as one string (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(VERSIONS)
        return ".".join(str(v or 0) for v in cursor.fetchone())


def cacheable(request) -> bool:
    """A GET of a visitor without a session or a pending message: their page is everybody's page."""
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES  # django.contrib.messages' cookie storage
        and len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY
        and not getattr(request, "is_preview", False)
    )


def key(request) -> str:
    """The entry of this page: per portal (``maex.cache.make_key`` puts the schema in front), host, language, path
    and query, at the current versions, and for the portal as this process knows it (the middleware keeps a
    portal for a minute per host: a page rendered with an older copy is only ever served with that copy)."""
    tenant = request.tenant
    portal = [getattr(tenant, f.attname) for f in tenant._meta.concrete_fields]
    portal.append(getattr(tenant, "canonical_host", ""))
    digest = hashlib.sha256(repr((request.get_full_path(), portal)).encode()).hexdigest()[:40]
    return f"page:{translation.get_language()}:{request.get_host()}:{versions()}:{digest}"


def storable(response) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and response.get("Content-Type", "").startswith("text/html")
        and not any(word in cache_control for word in ("private", "no-cache", "no-store"))
    )


def serve(request, path):
    """Wagtail's ``serve``, from the cache where the visitor's page is everybody's page."""
    if not cacheable(request):
        return wagtail_serve(request, path)
    entry_key = key(request)
    try:
        entry = cache.get(entry_key)
    except Exception:  # the cache is down: serve without it (the page is correct either way)
        log.warning("page cache unavailable", exc_info=True)
        return wagtail_serve(request, path)
    if entry is not None:
        token = get_token(request).encode()
        response = HttpResponse(FILLED.sub(lambda m: m[1] + token + m[2], entry["content"]))
        for name, value in entry["headers"]:
            response[name] = value
        response[HEADER] = "hit"
        return response
    response = wagtail_serve(request, path)
    if hasattr(response, "render"):
        response.render()
    if storable(response):
        headers = [(name, value) for name, value in response.items() if name.lower() not in ("vary", HEADER.lower())]
        try:
            cache.set(
                entry_key,
                {"content": TOKEN.sub(HOLE, response.content), "headers": headers},
                settings.PAGE_CACHE_SECONDS,
            )
        except Exception:
            log.warning("page cache unavailable", exc_info=True)
        response[HEADER] = "miss"
    return response
