from django.conf import settings

from .models import host_url


def portal(request):
    return {"portal": getattr(request, "tenant", None), "national_url": host_url(settings.MAEX_NATIONAL_HOST)}
