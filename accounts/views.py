"""A person's own data, on their account pages on every portal: download everything, or delete the account
(docs/decisions/0016-personal-data-export-erasure-and-audit-trail.md)."""

from allauth.core.ratelimit import consume_or_429
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import personal_data, services
from .forms import DeleteAccountForm


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
