"""Middleware of every request: the health check (before a portal is chosen), the language, bad input."""

from django.conf import settings
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _

from maex.errors import api_error, bad_request, is_api
from maex.health import check, check_web

# PostgreSQL cannot store this character in text: a query with it fails ("A string literal cannot contain NUL
# (0x00) characters"). It is the only one: other bytes that are not UTF-8 are already replaced when Django
# decodes the request.
UNSTORABLE = "\x00"


class HealthCheckMiddleware:
    """``/healthz`` answers on every host (load balancers probe by address), before tenant routing.

    ``/healthz`` (monitoring): 200 when the database, the broker and a worker are all "ok", 503 otherwise, with
    each part's state in JSON. ``/healthz/web`` (a load balancer's probe): only what this web process needs to
    serve pages, the database, so a stopped worker does not take every web server out of rotation.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path not in ("/healthz", "/healthz/web"):
            return self.get_response(request)
        state = check_web() if request.path == "/healthz/web" else check()
        return JsonResponse(state, status=200 if state["ok"] else 503)


class ChosenLanguageMiddleware:
    """Dutch first: the language is the one the person chose with the language switch (a cookie), else
    Dutch. The browser's Accept-Language header is not followed, so nobody gets a half-translated site
    they did not ask for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("Vary", "Cookie")
        translation.deactivate()
        return response


class AdminContentSecurityPolicyMiddleware:
    """Wagtail's admin still renders a few inline scripts (date pickers, inline panels): under ``/beheer/`` only,
    behind a login, the policy allows inline script (``MAEX_ADMIN_CSP``). Every other page gets ``SECURE_CSP``,
    which allows none (docs/decisions/0014). Placed after Django's CSP middleware, so it answers first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/beheer/") and not hasattr(response, "_csp_config"):
            response._csp_config = settings.MAEX_ADMIN_CSP  # the attribute Django's csp_override sets
        return response


def unstorable_field(request) -> str | None:
    """The name of the first query-string parameter or form field (name, value or uploaded file's name) that
    holds input PostgreSQL cannot store; ``""`` when it is in the address itself; None when all is fine."""
    if UNSTORABLE in request.path:
        return ""
    sources = [request.GET]
    if request.method == "POST":
        sources.append(request.POST)  # form bodies only: other content types give an empty QueryDict
    for source in sources:
        for name, values in source.lists():
            if UNSTORABLE in name or any(UNSTORABLE in value for value in values):
                return name
    if request.method == "POST":
        for name, files in request.FILES.lists():
            if UNSTORABLE in name or any(UNSTORABLE in (f.name or "") for f in files):
                return name
    return None


class RefuseUnstorableInputMiddleware:
    """Answers 400 with a clear message, before any view runs, when the address, a query-string parameter or
    a form field holds a character PostgreSQL refuses (NUL). Every view and every API filter is covered at
    once, instead of each one failing with a 500 where it first reaches the database. The API (``/api/``)
    gets the message as JSON (``maex/errors.py``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = unstorable_field(request)
        if name is None:
            return self.get_response(request)
        shown = {"name": (name or "").replace(UNSTORABLE, "")[:40]}
        if not name:
            message = _("Het adres bevat een teken dat niet kan worden verwerkt (een NUL-teken).")
        elif is_api(request):
            message = _(
                "De parameter “%(name)s” bevat een teken dat niet kan worden verwerkt (een NUL-teken). "
                "Haal het weg en probeer het opnieuw."
            )
        else:
            message = _(
                "Het veld “%(name)s” bevat een teken dat niet kan worden verwerkt (een NUL-teken). "
                "Haal het weg en probeer het opnieuw."
            )
        message = message % shown if name else message
        return bad_request(request, message=message)


class ApiMethodNotAllowedMiddleware:
    """The API answers every error as JSON (``maex/errors.py``): a method a route does not take (a POST where only
    GET is served) gets 405 with the allowed methods in ``detail`` and in ``Allow``, not Django's plain page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or not is_api(request) or "json" in response.get("Content-Type", ""):
            return response
        allowed = response.get("Allow", "")
        answer = api_error(_("Deze methode kan hier niet. Toegestaan: %(methods)s.") % {"methods": allowed}, 405)
        answer["Allow"] = allowed
        return answer
