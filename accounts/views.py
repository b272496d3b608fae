"""Account pages of the platform around allauth: the second factor for staff
(docs/decisions/0015-staff-sign-in-with-a-second-factor.md) and a person's own data, download or delete
(docs/decisions/0016-personal-data-export-erasure-and-audit-trail.md)."""

from urllib.parse import urlencode

from allauth.account.views import signup as allauth_signup
from allauth.core.ratelimit import consume_or_429
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tenants.selectors import national_portal

from . import personal_data, services, sign_on
from .forms import DeleteAccountForm
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


def signup(request):
    """/account/signup/: accounts are made at the national portal (docs/decisions/0022-one-sign-in-across-portals.md).

    There it is allauth's sign-up; on every other portal a visitor (GET) is sent there, and afterwards back
    through this portal's sign-in to the page they came from (signed in here too). A form posted to a portal
    (an older page, a script) is still allauth's: the account table is the same."""
    portal = sign_on.current_portal()
    if request.method != "GET" or not sign_on.uses_sign_on(portal):
        return allauth_signup(request)
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts=None):
        next_url = "/"
    back = portal.absolute_url(sign_on.sign_in_url(next_url))
    return redirect(national_portal().absolute_url(f"{reverse('account_signup')}?{urlencode({'next': back})}"))


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


@login_required
def my_data(request):
    return render(request, "accounts/my_data.html", {"can_delete": not _staff_account(request.user)})


@login_required
@require_POST
def download(request):
    if limited := consume_or_429(request, action="export_personal_data"):
        return limited
    response = HttpResponse(personal_data.export_json(request.user), content_type="application/json; charset=utf-8")
    name = f"maex-mijn-gegevens-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _staff_account(user) -> bool:
    """Platform staff accounts are removed by other staff (``manage.py delete_account``), not by themselves."""
    return user.is_staff or user.is_superuser


@login_required
@require_http_methods(["GET", "POST"])
def delete(request):
    if _staff_account(request.user):
        return render(request, "accounts/delete.html", {"staff": True}, status=403)
    if request.method == "POST" and (limited := consume_or_429(request, action="delete_account")):
        return limited
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        erasure = services.delete_account(user, by=user)
        logout(request)
        messages.success(request, _("Uw account is verwijderd."))
        for outcome in erasure.initiatives:
            messages.info(request, outcome.describe())
        return redirect("/")
    return render(
        request,
        "accounts/delete.html",
        {"form": form, "preview": services.erasure_preview(request.user)},
        status=400 if form.is_bound else 200,
    )
