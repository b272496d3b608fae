"""Pages after an award (docs/decisions/0028-impuls-accountability-projection-reminders.md):

- ``/impuls/verantwoording/<id>/``: an owner of the initiative accounts for a paid Impuls (the round's questions and
  a news item for the initiative's page), on the portal that gave it;
- ``/impuls/overzicht/``: the national portal's totals of Impuls per portal and per funder, from the national
  projection (every portal's awards).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from national_index import selectors as index

from . import accountability
from .accountability_forms import AccountabilityForm, YearForm
from .models import Accountability, Application
from .projection import news_url
from .services import ImpulsRefused
from .workdays import local_date


@login_required
@require_http_methods(["GET", "POST"])
def account(request, pk: int):
    """The accountability questionnaire of one approved application; only its initiative's owners see it (anyone
    else gets a 404, so the page does not tell which applications exist)."""
    application = (
        Application.objects.select_related("round", "payout").filter(pk=pk, state=Application.State.APPROVED).first()
    )
    if application is None or not accountability.is_owner(request.user, application):
        raise Http404
    initiative, home, _owners = accountability.owners_of(application)
    done = Accountability.objects.filter(application=application).first()
    window = accountability.spend_window(application)
    context = {
        "application": application,
        "round": application.round,
        "initiative": initiative,
        "window": window,
        "done": done,
        "today": local_date(timezone.now()),
    }
    if done is not None or window is None:
        return render(request, "impuls/accountability/form.html", context)
    questions = accountability.questions(application.round)
    form = AccountabilityForm(request.POST if request.method == "POST" else None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            accountability.submit_accountability(
                application,
                answers=form.answers(),
                news_title=form.cleaned_data["news_title"],
                news_text=form.cleaned_data["news_text"],
                by=request.user,
            )
        except ImpulsRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Dank u wel: de Impuls is verantwoord en het nieuwsbericht staat op de pagina van het initiatief."),
            )
            return redirect(news_url(application.initiative_uuid) or "/")
    context["form"] = form
    return render(request, "impuls/accountability/form.html", context)


def overview(request):
    """The national portal's totals of MAEX Impuls per portal and per funder, of one year or all years."""
    if not request.tenant.is_national:
        raise Http404
    form = YearForm(request.GET or None)
    year = form.cleaned_data.get("jaar") if form.is_valid() else None
    return render(
        request,
        "impuls/accountability/overview.html",
        {
            "form": form,
            "year": year,
            "years": index.award_years(),
            "by_portal": index.award_totals_by_portal(year=year),
            "by_funder": index.award_totals_by_funder(year=year),
        },
    )
