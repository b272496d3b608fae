from django.conf import settings


def portal(request):
    tenant = getattr(request, "tenant", None)
    return {"portal": tenant, "national_host": settings.MAEX_NATIONAL_HOST}
