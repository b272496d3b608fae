"""Chooses the portal from the request's host, with the domain lookup cached (docs/architecture.md, "Known traps"), and
keeps every portal on its one canonical host (docs/decisions/0014-canonical-hosts-link-origin-proxies-csp.md)."""

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponseBadRequest, HttpResponsePermanentRedirect
from django.http.request import split_domain_port
from django.utils import translation
from django.utils.translation import gettext as _
from django_tenants.middleware.main import TenantMainMiddleware

from .models import host_url
from .selectors import canonical_host

CACHE_SECONDS = 60


def domain_cache_key(hostname: str) -> str:
    # Global key (not per portal): the lookup happens before a portal is chosen. The value carries the portal's
    # canonical host too (v2), so it is forgotten for every host of a portal whose primary domain changes.
    return f"maex-global:portal-for-host:v2:{hostname}"


def is_canonical(host: str, canonical: str) -> bool:
    """Whether a request's Host (name and optional port) is the canonical spelling of a portal's host: its primary
    domain, with no port or with the configured link port (0: only the scheme's own ports)."""
    name, port = split_domain_port(host)
    if name != canonical:
        return False
    allowed = {"", str(settings.LINK_PORT)} if settings.LINK_PORT else {"", "80", "443"}
    return port in allowed


class PortalMiddleware(TenantMainMiddleware):
    def get_tenant(self, domain_model, hostname):
        key = domain_cache_key(hostname)
        tenant = cache.get(key)
        if tenant is None:
            domain = domain_model.objects.select_related("tenant").get(domain=hostname)
            tenant = domain.tenant
            tenant.canonical_host = canonical_host(tenant)
            cache.set(key, tenant, CACHE_SECONDS)
        if not tenant.is_active:
            raise domain_model.DoesNotExist
        return tenant

    def no_tenant_found(self, request, hostname):
        raise Http404(f"No portal at {hostname}")

    def process_request(self, request):
        response = super().process_request(request)
        if response is not None or not getattr(request, "tenant", None):
            return response
        canonical = getattr(request.tenant, "canonical_host", "")
        if not canonical or is_canonical(request.get_host(), canonical):
            return None
        # Another spelling of this portal's host (www., another port, a secondary domain): one URL per page, so
        # links, caches and limits never depend on the spelling. Only reads are redirected; a form sent to another
        # spelling is refused rather than silently turned into a GET.
        if request.method in ("GET", "HEAD"):
            return HttpResponsePermanentRedirect(host_url(canonical, request.get_full_path()))
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")  # runs before the language middleware
        with translation.override(chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE):
            message = _("Dit portaal is alleen bereikbaar op zijn eigen adres.")
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def forget_host(hostname: str) -> None:
    cache.delete(domain_cache_key(hostname))
