"""Error answers of every portal: HTML pages for people, JSON for the open data API (``/api/``).

Django calls these as ``handler400``, ``handler403``, ``handler404`` and ``handler500`` (``maex/urls.py``) for
errors raised outside the API's own views; inside them, django-ninja's exception handlers answer in the same
JSON shape (``national_index/api.py``). ``RefuseUnstorableInputMiddleware`` (``maex/middleware.py``) answers
input PostgreSQL cannot store with ``bad_request`` before any view runs (docs/architecture.md, "Bad input").
"""

from __future__ import annotations

from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import defaults

API_PREFIX = "/api/"


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def api_error(message: str, status: int) -> JsonResponse:
    """The one shape of an API error: ``{"detail": "<message>"}`` (as django-ninja's own errors)."""
    return JsonResponse({"detail": message}, status=status, content_type="application/json; charset=utf-8")


def bad_request(request, exception=None, *, message: str = ""):
    """400: the request itself is unusable (a NUL character, too many fields, a body too large)."""
    message = message or _("Uw verzoek kan niet worden verwerkt. Controleer het adres of het formulier.")
    if is_api(request):
        return api_error(message, 400)
    if getattr(request, "tenant", None) is None:
        # Refused before a portal was chosen (such as an unknown host): no portal's page to show it in.
        context = {"title": _("Verzoek niet verwerkt"), "message": message, "language": get_language()}
        return HttpResponseBadRequest(render_to_string("error_plain.html", context))
    return render(request, "400.html", {"message": message}, status=400)


def permission_denied(request, exception=None):
    if is_api(request):
        return api_error(_("Geen toegang."), 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    if is_api(request):
        return api_error(_("Niet gevonden."), 404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api(request):
        return api_error(_("Er ging aan onze kant iets mis. Probeer het later opnieuw."), 500)
    return defaults.server_error(request)
