from django.conf import settings


def portal(request):
    tenant = getattr(request, "tenant", None)
    scheme = "https" if settings.SECURE_SSL else "http"
    port = f":{settings.LINK_PORT}" if settings.LINK_PORT not in (0, 80, 443) else ""
    return {"portal": tenant, "national_url": f"{scheme}://{settings.MAEX_NATIONAL_HOST}{port}/"}
