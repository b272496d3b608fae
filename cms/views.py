"""Search, sitemap.xml and robots.txt of a portal: every absolute URL is on the portal's canonical host, with the
configured scheme and link port, never the request's Host (docs/decisions/0014)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_safe
from wagtail.contrib.sitemaps.sitemap_generator import Sitemap as WagtailSitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Page, Site

from national_index.models import IndexEntry
from tenants.selectors import current_portal_url

from . import selectors

SEARCH_LIMIT = 20
MAX_QUERY = 100


def _origin(request) -> str:
    return current_portal_url("").rstrip("/")


@require_GET
def search(request):
    q = request.GET.get("q", "").strip()[:MAX_QUERY]
    pages, page_count, entries, entry_count = [], 0, [], 0
    if q:
        site = Site.find_for_request(request)
        results = Page.objects.live().public()
        if site is not None:
            results = results.in_site(site)
        found = results.search(q, operator="and")
        pages = list(found[:SEARCH_LIMIT])
        page_count = found.count() if len(pages) == SEARCH_LIMIT else len(pages)
        entries, entry_count = selectors.search_entries(q, SEARCH_LIMIT)
    return render(
        request,
        "cms/search.html",
        {"q": q, "pages": pages, "page_count": page_count, "entries": entries, "entry_count": entry_count},
    )


class PortalPagesSitemap(WagtailSitemap):
    """Wagtail's sitemap, with each page's location on the portal's canonical host (and configured link port)."""

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        origin = _origin(self.request)
        for url in urls:
            parts = urlsplit(url["location"])
            url["location"] = origin + parts.path + (f"?{parts.query}" if parts.query else "")
        return urls


class PortalInitiativesSitemap(DjangoSitemap):
    """The portal's published initiatives (the national portal: those it is home of), from the index."""

    limit = 5000

    def __init__(self, request):
        self.request = request

    def items(self):
        return (
            IndexEntry.objects.filter(portal__schema_name=selectors.current_schema())
            .only("uuid", "url", "source_updated_at")
            .order_by("name", "uuid")
        )

    def lastmod(self, entry):
        return entry.source_updated_at

    def _urls(self, page, protocol, domain):
        origin = _origin(self.request)
        return [
            {"item": entry, "location": origin + urlsplit(entry.url).path, "lastmod": entry.source_updated_at}
            for entry in self.paginator.page(page).object_list
        ]


@require_GET
@cache_control(max_age=600)
def sitemap(request):
    return wagtail_sitemap(
        request,
        sitemaps={"pages": PortalPagesSitemap(request), "initiatives": PortalInitiativesSitemap(request)},
        # django.contrib.sitemaps (which holds the default template) is not installed: only its views are used
        template_name="cms/sitemap.xml",
    )


@require_GET
@cache_control(max_age=3600)
def robots(request):
    lines = [
        "User-agent: *",
        "Disallow: /beheer/",
        "Disallow: /account/",
        "Disallow: /zoeken/",
        "Disallow: /api/",
        "",
        f"Sitemap: {_origin(request)}/sitemap.xml",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
def edition_csv(request, page_path: str):
    """``<edition>/cijfers.csv``: Wagtail serves addresses ending in "/" only, so the CSV of an edition has this
    route; the page is found as Wagtail finds it (live, public) and gives its frozen figures
    (docs/decisions/0035-yearly-editions.md)."""
    from .models import EditionPage

    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    components = [c for c in page_path.split("/") if c]
    root = site.root_page.localized.specific
    page = root.route(request, components).page
    if not isinstance(page, EditionPage) or page.get_view_restrictions().exists():
        raise Http404
    if page.url_path != root.url_path + "".join(f"{c}/" for c in components):
        raise Http404  # one address per file: not after a route of the page (<edition>/pdf/cijfers.csv)
    return page.csv(request)
