"""Account pages of the platform around allauth's (docs/decisions/0015-staff-sign-in-with-a-second-factor.md)."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .mfa import is_staff_here, second_factor_types


def _safe_next(request, default: str = "/beheer/") -> str:
    next_url = request.GET.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return next_url
    return default


def admin_login(request):
    """/beheer/login/: the admin's sign-in is allauth's, so the second factor and its rate limits apply.

    Wagtail sends here whoever it does not let in: a visitor is handed to allauth's login (and back); a
    person who is signed in but holds no role on this portal gets a clear refusal, not a login loop.
    """
    next_url = _safe_next(request)
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")
    return render(request, "accounts/no_admin_access.html", status=403)


@login_required
def second_factor_required(request):
    """Why a staff member must set up a second factor before the admin, and the ways to do it."""
    return render(
        request,
        "accounts/second_factor_required.html",
        {
            "next_url": _safe_next(request),
            "is_staff": is_staff_here(request.user),
            "has_second_factor": bool(second_factor_types(request.user)),
        },
    )
