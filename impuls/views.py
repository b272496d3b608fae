"""The applicant's side of MAEX Impuls (docs/decisions/0026-impuls-applicant-side.md): the public round pages, the
eligibility checklist of a signed-in owner, the short application, and the applicant's own application page.

Money moves only in ``impuls.services``; these views read, check who asks, and map a service's refusal to a
message on the form that keeps what was typed.
"""

from __future__ import annotations

from allauth.core.ratelimit import consume_or_429
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_tenants.utils import schema_context

from initiatives.models import Initiative, LegalForm, Ownership, Phase
from initiatives.selectors import initiatives_of
from national_index.selectors import locate

from . import eligibility, selectors, services
from .forms import AnswerForm, ApplicationForm
from .models import Application, Question, Round
from .workdays import local_date


def _today():
    return local_date(timezone.now())


def index(request):
    """``/impuls/``: this portal's open, upcoming and closed rounds, each with its budget left and funders."""
    return render(request, "impuls/index.html", {"rounds": selectors.public_rounds(timezone.now())})


def _criteria_in_words(round: Round, names: dict[str, str]) -> dict:
    """The round's criteria and each commitment's own, as lines a person reads."""

    def places(codes):
        return ", ".join(sorted(names.get(code, code) for code in codes))

    def sdgs(numbers):
        return ", ".join(str(n) for n in sorted(numbers))

    legal = dict(LegalForm.choices)
    lines = []
    if round.municipalities:
        lines.append(_("Uw initiatief is actief in: %(places)s.") % {"places": places(round.municipalities)})
    else:
        lines.append(_("Uw initiatief is actief in het gebied van dit portaal."))
    if round.min_phase:
        lines.append(
            _("Uw initiatief is ten minste in de %(phase)s.")
            % {"phase": str(dict(Phase.choices).get(round.min_phase, round.min_phase)).lower()}
        )
    if round.sdgs:
        lines.append(
            _("Volgens de Social Handprint levert uw initiatief waarde op ten minste een van deze SDG's: %(sdgs)s.")
            % {"sdgs": sdgs(round.sdgs)}
        )
    if round.needs_money_need:
        lines.append(_("Op uw profiel staat dat u geld nodig hebt."))
    lines += [
        _("Uw profiel is volledig en heeft een Social Handprint."),
        _("Uw initiatief kreeg de afgelopen 12 maanden geen Impuls uit dit fonds."),
        _("Eerdere Impulsen zijn op tijd verantwoord."),
        _("Zonder KvK-nummer is een identiteitscontrole nodig."),
    ]
    commitments = []
    for c in round.commitments.all():
        own = []
        if c.sdgs:
            own.append(_("alleen SDG %(sdgs)s") % {"sdgs": sdgs(c.sdgs)})
        if c.municipalities:
            own.append(_("alleen in %(places)s") % {"places": places(c.municipalities)})
        if c.legal_forms:
            own.append(
                _("alleen voor %(forms)s")
                % {"forms": ", ".join(str(legal.get(f, f)).lower() for f in sorted(c.legal_forms))}
            )
        if c.max_per_award_cents:
            own.append(_("ten hoogste %(max)s per toekenning") % {"max": services.euros(c.max_per_award_cents)})
        commitments.append({"funder": c.funder, "amount_cents": c.amount_cents, "own": own})
    return {"lines": lines, "commitments": commitments}


def _owned_rows(user, portal) -> list:
    """The published initiatives ``user`` owns that may apply to this portal's rounds: this portal's, or on the
    national portal every portal's (``initiatives.selectors.initiatives_of``)."""
    rows = [row for row in initiatives_of(user) if row.initiative.status == Initiative.Status.PUBLISHED]
    if portal.is_national:
        return rows
    return [row for row in rows if row.portal.pk == portal.pk]


def _check(
    row, round: Round, criteria, names: dict[str, str], need_kinds=None, history=None
) -> eligibility.Eligibility:
    """The checklist of one owned initiative for ``round``: its profile read in its home schema, its history and
    the round's criteria here (``need_kinds`` and ``history`` when the caller read them for many at once)."""
    with schema_context(row.portal.schema_name):
        snapshot = selectors.profile_snapshot(row.initiative, need_kinds)
    names = {**names, snapshot.municipality_code: snapshot.municipality_name}
    if history is None:
        history = selectors.award_history(row.initiative.uuid)
    return eligibility.check(snapshot, history, criteria, _today(), names)


def _need_kinds(rows) -> dict:
    """(schema, initiative pk) -> kinds of need, one query per portal of the rows."""
    by_schema: dict[str, list] = {}
    for row in rows:
        by_schema.setdefault(row.portal.schema_name, []).append(row.initiative)
    kinds = {}
    for schema, initiatives in by_schema.items():
        with schema_context(schema):
            kinds.update({(schema, pk): found for pk, found in selectors.need_kinds_of(initiatives).items()})
    return kinds


def _checklists(request, round: Round, names: dict[str, str]) -> list[dict]:
    rows = _owned_rows(request.user, request.tenant)
    if not rows:
        return []
    criteria = selectors.round_criteria(round)
    existing = {
        a.initiative_uuid: a
        for a in Application.objects.filter(round=round, initiative_uuid__in=[r.initiative.uuid for r in rows])
        .exclude(state=Application.State.WITHDRAWN)
        .only("number", "initiative_uuid", "state")
    }
    # Read for every owned initiative at once: the page's queries do not grow with how many a person owns.
    kinds = _need_kinds(rows)
    histories = selectors.award_histories([r.initiative.uuid for r in rows])
    return [
        {
            "row": row,
            "result": _check(
                row,
                round,
                criteria,
                names,
                kinds[(row.portal.schema_name, row.initiative.pk)],
                histories.get(row.initiative.uuid, []),
            ),
            "application": existing.get(row.initiative.uuid),
            "apply_url": reverse("impuls:apply", kwargs={"slug": round.slug, "uuid": row.initiative.uuid}),
        }
        for row in rows
    ]


def round_detail(request, slug):
    """``/impuls/<slug>/``: what the round is for, its criteria and funders, how to apply, the awards made, the
    median days from application to payout; for a signed-in owner, the checklist per initiative."""
    public = selectors.public_round(slug)
    if public is None:
        raise Http404
    round = public.round
    names = selectors.municipality_names(round)
    now = timezone.now()
    return render(
        request,
        "impuls/round.html",
        {
            "public": public,
            "round": round,
            "is_open": round.is_open(now),
            "is_upcoming": round.opens_at > now,
            "criteria": _criteria_in_words(round, names),
            "awards": selectors.public_awards(round),
            "median_days": selectors.median_payout_days(round),
            "checklists": _checklists(request, round, names) if request.user.is_authenticated else None,
        },
    )


def _round(slug) -> Round:
    return get_object_or_404(Round.objects.prefetch_related("commitments__funder"), slug=slug)


def _owned_row(request, round: Round, uuid):
    """The caller's own published initiative ``uuid`` that may apply here, or 404."""
    for row in _owned_rows(request.user, request.tenant):
        if row.initiative.uuid == uuid:
            return row
    raise Http404


def _refused(form: ApplicationForm, exc: services.ImpulsRefused, round: Round, uuid) -> None:
    """A refusal of ``submit_application`` as a message on the form (which keeps what was typed)."""
    if isinstance(exc, services.AmountOutOfRange):
        form.add_error("amount", exc.message)
    elif isinstance(exc, services.DuplicateApplication):
        existing = (
            Application.objects.filter(round=round, initiative_uuid=uuid)
            .exclude(state=Application.State.WITHDRAWN)
            .first()
        )
        if existing:
            url = reverse("impuls:application", kwargs={"slug": round.slug, "number": existing.number})
            form.add_error(None, format_html('{} <a href="{}">{}</a>', exc.message, url, _("Bekijk uw aanvraag.")))
        else:
            form.add_error(None, exc.message)
    else:  # closed, full, not eligible, words, anything else: a message above the form
        form.add_error(None, exc.message)


@login_required
@require_http_methods(["GET", "POST"])
def apply(request, slug, uuid):
    """The short application of one eligible initiative, by one of its owners."""
    round = _round(slug)
    row = _owned_row(request, round, uuid)
    if request.method == "POST" and (limited := consume_or_429(request, action="impuls_apply")):
        return limited
    names = selectors.municipality_names(round)
    result = _check(row, round, selectors.round_criteria(round), names)
    now = timezone.now()
    form = ApplicationForm(request.POST if request.method == "POST" else None, round=round)
    if request.method == "POST" and form.is_valid():
        if not result.eligible:
            form.add_error(None, _("Dit initiatief voldoet niet aan de voorwaarden van deze ronde:"))
            for failed in result.failed:
                form.add_error(None, failed.reason)
        else:
            with schema_context(row.portal.schema_name):
                frozen = selectors.freeze_profile(row.initiative, row.portal.schema_name)
            try:
                application = services.submit_application(
                    round,
                    row.initiative,
                    request.user,
                    form.cleaned_data["amount"],
                    strengthens=form.cleaned_data["strengthens"],
                    cost_estimate=form.cleaned_data["cost_estimate"],
                    coverage_plan=form.cleaned_data["coverage_plan"]
                    if form.cleaned_data["covers_all"] == "nee"
                    else "",
                    answers=form.answers(),
                    frozen_profile=frozen,
                    eligibility=result.as_json(),
                    eligible_commitment_ids=result.eligible_commitment_ids,
                    iban=form.cleaned_data["iban"],
                    account_holder=form.cleaned_data["account_holder"],
                    at=now,
                )
            except services.ImpulsRefused as exc:
                _refused(form, exc, round, uuid)
            else:
                messages.success(
                    request,
                    _(
                        "Uw aanvraag is ingediend. Het bedrag is voor u gereserveerd tot er over de aanvraag is "
                        "beslist."
                    ),
                )
                return redirect("impuls:application", slug=round.slug, number=application.number)
    public = selectors.public_round(slug)  # budget and "vol", read only for the page (a success redirects)
    existing = (
        Application.objects.filter(round=round, initiative_uuid=uuid).exclude(state=Application.State.WITHDRAWN).first()
    )
    posted_with_errors = request.method == "POST" and bool(form.errors)
    return render(
        request,
        "impuls/apply.html",
        {
            "round": round,
            "public": public,
            "row": row,
            "initiative": row.initiative,
            "result": result,
            "form": form,
            "is_open": round.is_open(now),
            "existing": existing,
            # The form is shown while it can succeed, and always after a POST (what was typed stays).
            "show_form": posted_with_errors
            or (result.eligible and round.is_open(now) and not public.is_full and existing is None),
        },
        status=400 if posted_with_errors else 200,
    )


def _owns(user, initiative_uuid) -> bool:
    """Whether ``user`` owns the initiative, wherever it lives now (its home portal's schema)."""
    if not user.is_authenticated:
        return False
    locator = locate(initiative_uuid)
    if locator is None:
        return False
    with schema_context(locator.portal.schema_name):
        return Ownership.objects.filter(initiative__uuid=initiative_uuid, user=user).exists()


def _own_application(request, slug, number) -> Application:
    """The application, for one of its initiative's owners only: to anyone else it does not exist (404)."""
    application = get_object_or_404(Application.objects.select_related("round"), round__slug=slug, number=number)
    if not _owns(request.user, application.initiative_uuid):
        raise Http404
    return application


def _application_page(request, application: Application, *, answer_forms=None, status=200):
    questions = list(application.questions.all())
    answer_forms = answer_forms or {}
    return render(
        request,
        "impuls/application.html",
        {
            "application": application,
            "round": application.round,
            "split": selectors.split_of(application),
            "questions": [
                {"question": q, "form": answer_forms.get(q.pk) or (None if q.answered_at else AnswerForm())}
                for q in questions
            ],
            "payout": getattr(application, "payout", None) if application.state == Application.State.APPROVED else None,
        },
        status=status,
    )


@login_required
def application_detail(request, slug, number):
    return _application_page(request, _own_application(request, slug, number))


@login_required
@require_POST
def withdraw(request, slug, number):
    application = _own_application(request, slug, number)
    try:
        services.withdraw(application, by=request.user)
    except services.ImpulsRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Uw aanvraag is ingetrokken; het gereserveerde bedrag is weer vrij."))
    return redirect("impuls:application", slug=slug, number=number)


@login_required
@require_POST
def answer(request, slug, number, question_id):
    application = _own_application(request, slug, number)
    question = get_object_or_404(Question, pk=question_id, application=application)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_question(question, answer=form.cleaned_data["answer"], by=request.user)
        except services.ImpulsRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Uw antwoord is verstuurd."))
            return redirect("impuls:application", slug=slug, number=number)
    application.refresh_from_db()
    return _application_page(request, application, answer_forms={question.pk: form}, status=400)
