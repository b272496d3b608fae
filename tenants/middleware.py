"""Chooses the portal from the request's host, with the domain lookup cached (ARCHITECTURE §6a)."""

from django.core.cache import cache
from django.http import Http404
from django_tenants.middleware.main import TenantMainMiddleware

CACHE_SECONDS = 60


def domain_cache_key(hostname: str) -> str:
    # Global key (not per portal): the lookup happens before a portal is chosen.
    return f"maex-global:portal-for-host:{hostname}"


class PortalMiddleware(TenantMainMiddleware):
    def get_tenant(self, domain_model, hostname):
        key = domain_cache_key(hostname)
        tenant = cache.get(key)
        if tenant is None:
            domain = domain_model.objects.select_related("tenant").get(domain=hostname)
            tenant = domain.tenant
            cache.set(key, tenant, CACHE_SECONDS)
        if not tenant.is_active:
            raise domain_model.DoesNotExist
        return tenant

    def no_tenant_found(self, request, hostname):
        raise Http404(f"No portal at {hostname}")


def forget_host(hostname: str) -> None:
    cache.delete(domain_cache_key(hostname))
