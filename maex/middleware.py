"""Middleware that runs before a portal is chosen."""

from django.http import JsonResponse


class HealthCheckMiddleware:
    """``/healthz`` answers on every host (load balancers probe by address), before tenant routing.

    200 when the database and the broker answer, 503 otherwise, with each part's state in JSON.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != "/healthz":
            return self.get_response(request)
        from maex.health import check

        state = check()
        return JsonResponse(state, status=200 if state["ok"] else 503)
