"""Branding in templates: ``{% branding_head %}`` in <head>, ``{% branding as b %}`` for logo, footer and links,
and ``{% include_if_exists %}`` / ``{% template_exists %}`` for optional partials (Django's ``include`` has no
"ignore missing")."""

from django import template
from django.db import connection
from django.template import TemplateDoesNotExist
from django.utils.safestring import mark_safe
from wagtail.models import Site

from branding import tokens
from branding.models import BrandingSettings

register = template.Library()


def branding_for(request):
    """The portal's branding for this request, or None outside a portal site (public schema, no site)."""
    if request is None or getattr(request, "tenant", None) is None or connection.schema_name == "public":
        return None
    attr = BrandingSettings.get_cache_attr_name()
    if not hasattr(request, attr):
        site = Site.find_for_request(request)
        # From the per-portal cache, so a page view costs no query for its branding.
        setattr(request, attr, tokens.cached_settings(BrandingSettings, site) if site is not None else None)
    return getattr(request, attr)


@register.simple_tag(takes_context=True)
def branding(context):
    return branding_for(context.get("request"))


@register.simple_tag(takes_context=True)
def branding_head(context):
    settings = branding_for(context.get("request"))
    return tokens.head_html(settings) if settings is not None else tokens.default_head_html()


def _find(context, name):
    engine = context.template.engine if context.template is not None else template.engines["django"].engine
    try:
        return engine.get_template(name)
    except TemplateDoesNotExist:
        return None


@register.simple_tag(takes_context=True)
def template_exists(context, name):
    return _find(context, name) is not None


@register.simple_tag(takes_context=True)
def include_if_exists(context, name):
    """Like ``{% include name %}`` (same context), or nothing when no loader finds the template."""
    found = _find(context, name)
    if found is None:
        return ""
    with context.push():
        return mark_safe(found.render(context))  # noqa: S308 - rendered by the template engine, autoescaped
