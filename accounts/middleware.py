"""No Wagtail admin without a second factor for staff (docs/decisions/0015-staff-sign-in-with-a-second-factor.md).

Runs on every request under the admin's prefix (/beheer/), on every portal, after authentication. A staff
member (``accounts.mfa.is_staff_here``) without an authenticator is sent to set one up; one whose session
was not authenticated with their second factor is asked for it (allauth's reauthentication, which records
it in the session). Everyone else passes on to Wagtail, which decides about access as before.
"""

from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from .mfa import is_staff_here, second_factor_types, session_passed_second_factor

# Leaving the admin and handing over to allauth's login need no second factor.
OPEN_ADMIN_URLS = ("wagtailadmin_login", "wagtailadmin_logout")


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}"


class StaffSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self._refusal(request)
        return response if response is not None else self.get_response(request)

    def _refusal(self, request):
        try:
            prefix = reverse("wagtailadmin_home")
            open_paths = {reverse(name) for name in OPEN_ADMIN_URLS}
        except NoReverseMatch:  # the public schema's URLs: no admin there
            return None
        if not request.path.startswith(prefix) or request.path in open_paths:
            return None
        user = request.user
        if not is_staff_here(user):
            return None
        types = second_factor_types(user)
        if not types:
            return HttpResponseRedirect(_with_next(reverse("accounts:second_factor_required"), request.get_full_path()))
        if session_passed_second_factor(request, user):
            return None
        messages.info(
            request,
            _("Bevestig eerst met uw tweede factor dat u het bent; daarna gaat u verder naar het beheer."),
        )
        view = "mfa_reauthenticate" if Authenticator.Type.TOTP in types else "mfa_reauthenticate_webauthn"
        return HttpResponseRedirect(_with_next(reverse(view), request.get_full_path()))
