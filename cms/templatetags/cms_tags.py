"""Menus and breadcrumbs of a portal's pages.

Cheap rather than cached: the menu is one query per request (the home page's live children marked "show in
menus"), memoised on the request, so no fragment can ever leak from one portal to another."""

from django import template
from django.db import connection
from django_tenants.utils import get_public_schema_name
from wagtail.models import Page, Site

register = template.Library()


def _site_root(request):
    if request is None or connection.schema_name == get_public_schema_name():
        return None  # no portal (an unknown host's 404 page): no page tree to read
    if not hasattr(request, "_cms_site_root"):
        site = Site.find_for_request(request)
        request._cms_site_root = site.root_page if site is not None else None
    return request._cms_site_root


@register.simple_tag(takes_context=True)
def menu_pages(context):
    """The pages of the main menu: live, public children of the portal's home page shown in menus."""
    request = context.get("request")
    if request is None:
        return []
    if not hasattr(request, "_cms_menu_pages"):
        root = _site_root(request)
        request._cms_menu_pages = (
            list(root.get_children().live().public().in_menu().only("id", "path", "depth", "title", "url_path"))
            if root is not None
            else []
        )
    return request._cms_menu_pages


@register.simple_tag(takes_context=True)
def is_current(context, page):
    """ "page" when ``page`` is the page shown, "true" when it is one of its ancestors, else ""."""
    current = context.get("page")
    if not isinstance(current, Page) or page is None:
        return ""
    if current.pk == page.pk:
        return "page"
    if current.path.startswith(page.path):
        return "true"
    return ""


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page=None):
    """The path from the home page to ``page`` (the page shown), for a breadcrumb trail."""
    page = page or context.get("page")
    trail = []
    if isinstance(page, Page) and page.depth > 2:
        trail = list(
            page.get_ancestors(inclusive=True).filter(depth__gte=2).only("id", "path", "depth", "title", "url_path")
        )
    return {"trail": trail, "request": context.get("request"), "current": page}


@register.simple_tag(takes_context=True)
def editions_url(context) -> str:
    """The address of the portal's editions of the Stand (``cms.EditionIndexPage``), "" when it has none live
    (docs/decisions/0035-yearly-editions.md): one query."""
    from cms.models import EditionIndexPage

    request = context.get("request")
    if request is None or connection.schema_name == get_public_schema_name():
        return ""
    index = EditionIndexPage.objects.live().public().only("id", "path", "depth", "url_path").first()
    return (index.get_url(request) or "") if index else ""
