"""Middleware that runs before a portal is chosen."""

from django.http import JsonResponse


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
        from maex.health import check, check_web

        state = check_web() if request.path == "/healthz/web" else check()
        return JsonResponse(state, status=200 if state["ok"] else 503)


class ChosenLanguageMiddleware:
    """Dutch first: the language is the one the person chose with the language switch (a cookie), else
    Dutch. The browser's Accept-Language header is not followed, so nobody gets a half-translated site
    they did not ask for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

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
        from django.conf import settings

        response = self.get_response(request)
        if request.path.startswith("/beheer/") and not hasattr(response, "_csp_config"):
            response._csp_config = settings.MAEX_ADMIN_CSP  # the attribute Django's csp_override sets
        return response
