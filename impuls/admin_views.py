"""The fund managers' side of MAEX Impuls in a portal's Wagtail admin (docs/decisions/0027): the review queue of
applications (a viewset: list and inspect, with the decisions on the inspect page), the treasurer's payouts and
the funder report.

Every view reads only what ``impuls.review`` lets the person see: a fund manager every application of this portal,
a funder reviewer those of the rounds their funders fund; every action checks again on the server. A refused
decision or bad input re-renders the page with a Dutch message and what was typed, never an error page.
"""

from __future__ import annotations

import csv

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import ModelLogEntry
from wagtail.permission_policies.base import ModelPermissionPolicy

from . import payouts as payout_service
from . import reports, review, services
from .admin_forms import ApproveForm, MarkPaidForm, QuestionForm, RejectForm, ReportFilterForm
from .models import Application, Funder, ImpulsSettings, Round
from .services import euros
from .workdays import AMSTERDAM


# --- the review queue -------------------------------------------------------------------------------------------
class ApplicationPolicy(ModelPermissionPolicy):
    """Applications are never added, edited or deleted in the admin: they change only through the decisions
    (``impuls.review``, ``impuls.services``). Viewing follows the role's ``impuls.view_application``."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


def _visible_rounds(request):
    if request is None:
        return Round.objects.none()
    return review.visible_rounds(request.user).order_by("-opens_at")


class ApplicationFilterSet(WagtailFilterSet):
    round = django_filters.ModelChoiceFilter(label=gettext_lazy("Ronde"), queryset=_visible_rounds)
    state = django_filters.ChoiceFilter(label=gettext_lazy("Status"), choices=Application.State.choices)

    class Meta:
        model = Application
        fields = ["round", "state"]


class ApplicationIndexView(IndexView):
    """The queue: the applications this person may see, in arrival order (the number within the round)."""

    def dispatch(self, request, *args, **kwargs):
        if not review.can_view(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return review.visible_applications(self.request.user).select_related("round")

    def order_queryset(self, queryset):
        return queryset.order_by("-round__opens_at", "round_id", "number")


class ApplicationInspectView(InspectView):
    """One application: the frozen profile, the eligibility then, the handprint, the split per funder, the
    questions, the payout and the audit trail; and the decision forms (POST here, re-rendered on an error)."""

    template_name = "impuls/admin/application.html"

    def get_object(self, queryset=None):
        if not review.can_view(self.request.user):  # setup() reads the object before dispatch() checks
            raise PermissionDenied
        visible = review.visible_applications(self.request.user).select_related("round", "applicant")
        application = visible.filter(pk=self.pk).first() if str(self.pk).isdigit() else None
        if application is None:
            raise Http404
        return application

    def dispatch(self, request, *args, **kwargs):
        if not review.can_view(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        name = review.ProfileFacts.of(self.object.frozen_profile).name
        return f"{self.object.round} #{self.object.number}" + (f" · {name}" if name else "")

    def forms(self, data=None, action=None) -> dict:
        application = self.object
        requested = application.requested_cents
        initial_amount = f"{requested // 100}" + (f",{requested % 100:02d}" if requested % 100 else "")
        return {
            "approve_form": ApproveForm(
                data if action == "approve" else None,
                requested_cents=requested,
                initial={"amount": initial_amount},
                prefix="approve",
            ),
            "reject_form": RejectForm(data if action == "reject" else None, prefix="reject"),
            "question_form": QuestionForm(data if action == "question" else None, prefix="question"),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.object
        facts = review.ProfileFacts.of(application.frozen_profile)
        eligibility = application.eligibility
        checks = eligibility.get("checks", []) if isinstance(eligibility, dict) else eligibility
        context.update(
            application=application,
            facts=facts,
            profile_rows=review.profile_rows(application.frozen_profile),
            eligibility=eligibility if isinstance(eligibility, dict) else {},
            checks=checks or [],
            split=[(name, euros(cents)) for name, cents in review.split_by_funder(application)],
            questions=list(application.questions.all()),
            payout=getattr(application, "payout", None),
            audit=list(
                ModelLogEntry.objects.filter(
                    content_type=ContentType.objects.get_for_model(Application), object_id=str(application.pk)
                )
                .select_related("user")
                .order_by("timestamp", "id")
            ),
            may_decide=application.is_open and review.can_decide(self.request.user, application),
            requested=euros(application.requested_cents),
            awarded=euros(application.awarded_cents) if application.awarded_cents else "",
            handprint=[(sdg, euros(int(value * 100))) for sdg, value in facts.value_by_sdg.items()],
            social_value=euros(int(facts.social_value * 100)) if facts.social_value is not None else "",
        )
        for name, form in kwargs.get("forms", self.forms()).items():
            context[name] = form
        context["refusal"] = kwargs.get("refusal", "")
        return context

    def post(self, request, *args, **kwargs):
        application = self.object
        if not review.can_decide(request.user, application):
            raise PermissionDenied
        action = request.POST.get("action", "")
        forms = self.forms(request.POST, action)
        form = forms.get(f"{action}_form")
        if form is None:
            messages.error(request, _("Kies goedkeuren, afwijzen of een vraag stellen."))
            return redirect(request.path)
        if form.is_valid():
            try:
                self._decide(action, form.cleaned_data)
            except services.ImpulsRefused as exc:
                form.add_error(None, exc.message)
                refusal = exc.message
                self.object = self.get_object()  # as it stands now: someone else may have decided meanwhile
            else:
                return redirect(request.path)
        else:
            refusal = ""
        context = self.get_context_data(forms=forms, refusal=refusal)
        return self.render_to_response(context)

    def _decide(self, action: str, data: dict) -> None:
        request, application = self.request, self.object
        portal = request.tenant
        if action == "approve":
            payout = review.approve(application, amount_cents=data["amount"], portal=portal, by=request.user)
            messages.success(
                request,
                _("Toegekend: %(amount)s, uit te betalen uiterlijk op %(date)s. De aanvrager krijgt een e-mail.")
                % {"amount": euros(payout.amount_cents), "date": payout.due_on.strftime("%d-%m-%Y")},
            )
        elif action == "reject":
            review.reject(
                application,
                reason_code=data["reason_code"],
                reason_text=data["reason_text"].strip(),
                portal=portal,
                by=request.user,
            )
            messages.success(request, _("Afgewezen. De aanvrager krijgt een e-mail met de reden."))
        else:
            review.ask(application, text=data["text"], portal=portal, by=request.user)
            messages.success(request, _("De vraag is gesteld. De aanvrager krijgt een e-mail."))


# --- the treasurer's payouts ------------------------------------------------------------------------------------
class TreasurerMixin:
    def dispatch(self, request, *args, **kwargs):
        if not review.can_pay(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


STATES = {
    "open": gettext_lazy("Te betalen"),
    "late": gettext_lazy("Te laat"),
    "paid": gettext_lazy("Betaald"),
    "all": gettext_lazy("Alle"),
}


class PayoutsView(TreasurerMixin, WagtailAdminTemplateMixin, TemplateView):
    """Payouts due, late and paid; export the selected (or all due) as a SEPA file; mark the selected paid."""

    template_name = "impuls/admin/payouts.html"
    page_title = gettext_lazy("Uitbetalingen")
    header_icon = "doc-full"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        state = self.request.GET.get("toon", "open")
        state = state if state in STATES else "open"
        today = payout_service.today()
        rows = []
        for payout in payout_service.payouts(state, today):
            application = payout.application
            late = payout.paid_on > payout.due_on if payout.paid_on else payout.due_on < today
            rows.append(
                {
                    "payout": payout,
                    "application": application,
                    "name": application.account_holder or review.ProfileFacts.of(application.frozen_profile).name,
                    "amount": euros(payout.amount_cents),
                    "late": late,
                }
            )
        settings = ImpulsSettings.for_request(self.request)
        context.update(
            rows=rows,
            state=state,
            states=list(STATES.items()),
            counts=payout_service.counts(today),
            today=today,
            mark_form=kwargs.get("mark_form") or MarkPaidForm(today=today, initial={"paid_on": today}),
            account=settings,
            selected={int(pk) for pk in kwargs.get("selected", []) if str(pk).isdigit()},
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        selected = [pk for pk in request.POST.getlist("payout") if pk.isdigit()]
        chosen = list(payout_service.payouts("open").filter(pk__in=selected)) if selected else []
        if action == "export_all":
            chosen = list(payout_service.payouts("open"))
        if action in ("export", "export_all"):
            try:
                exported = payout_service.export(chosen, ImpulsSettings.for_request(request), by=request.user)
            except payout_service.ExportRefused as exc:
                messages.error(request, exc.message)
                return self.render_to_response(self.get_context_data(selected=selected))
            response = HttpResponse(exported.content, content_type="application/xml")
            stamp = timezone.now().astimezone(AMSTERDAM).strftime("%Y%m%d-%H%M")
            response["Content-Disposition"] = f'attachment; filename="impuls-{request.tenant.schema_name}-{stamp}.xml"'
            response["X-Impuls-Skipped"] = str(len(exported.skipped))
            return response
        if action == "paid":
            form = MarkPaidForm(request.POST, today=payout_service.today())
            if not chosen:
                messages.error(request, _("Kies een of meer uitbetalingen om als betaald te markeren."))
            if not form.is_valid() or not chosen:
                return self.render_to_response(self.get_context_data(mark_form=form, selected=selected))
            done, refused = payout_service.mark_paid(chosen, paid_on=form.cleaned_data["paid_on"], by=request.user)
            if done:
                messages.success(request, _("%(count)d uitbetaling(en) gemarkeerd als betaald.") % {"count": len(done)})
            for payout, why in refused:
                messages.error(request, f"{payout.application}: {why}")
            return redirect(request.get_full_path())
        messages.error(request, _("Kies wat u met de uitbetalingen wilt doen."))
        return redirect(request.get_full_path())


# --- the funder report ------------------------------------------------------------------------------------------
class ReportMixin:
    def dispatch(self, request, *args, **kwargs):
        if not review.can_report(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def report_and_form(self):
        allowed = review.reportable_funder_ids(self.request.user)
        funders = Funder.objects.order_by("name")
        rounds = review.visible_rounds(self.request.user).order_by("-opens_at")
        if allowed is not None:
            funders = funders.filter(pk__in=allowed)
        years = sorted({r.astimezone(AMSTERDAM).year for r in rounds.values_list("opens_at", flat=True)}, reverse=True)
        form = ReportFilterForm(self.request.GET or None, funders=funders, rounds=rounds, years=years)
        funder_id = round_id = year = None
        if form.is_bound and form.is_valid():
            funder_id, round_id, year = (form.cleaned_data[k] for k in ("funder", "round", "year"))
        funder_ids = allowed if funder_id is None else [funder_id]
        return reports.funder_report(funder_ids=funder_ids, round_id=round_id, year=year), form


class FunderReportView(ReportMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "impuls/admin/report.html"
    page_title = gettext_lazy("Financiersrapportage")
    header_icon = "doc-full"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report, form = self.report_and_form()
        query = self.request.GET.urlencode()
        context.update(
            report=report,
            form=form,
            csv_url=reverse("impuls_admin:report_csv") + (f"?{query}" if query else ""),
            print_url=reverse("impuls_admin:report_print") + (f"?{query}" if query else ""),
        )
        return context


class FunderReportPrintView(ReportMixin, TemplateView):
    """The same report on a page of its own with print CSS (no admin around it)."""

    template_name = "impuls/admin/report_print.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report, form = self.report_and_form()
        context.update(report=report, form=form, portal=self.request.tenant, printed_at=timezone.now())
        return context


class _Echo:
    def write(self, value):
        return value


class FunderReportCSVView(ReportMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        report, _form = self.report_and_form()
        writer = csv.writer(_Echo(), delimiter=";")
        response = StreamingHttpResponse(_with_bom(writer, report), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="financiersrapportage.csv"'
        return response


def _with_bom(writer, report):
    """UTF-8 with a byte order mark, so a Dutch spreadsheet reads the accents right; ";" between fields."""
    yield "\ufeff"
    for row in reports.csv_rows(report):
        yield writer.writerow(row)
