"""The review queue in each portal's Wagtail admin (/beheer/aanmeldingen/).

Every view checks ``can_review`` on the server: roles are per portal, so an editor of Zeeland can review
Zeeland's registrations and nobody else's. Publishing and rejecting go through ``initiatives.services``,
which write the national index in the same transaction.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.audit import record
from accounts.models import User
from geo.models import SDG, ValueDomain
from tenants.models import Portal
from tenants.services import set_review_rules

from . import selectors, services
from .models import Initiative, LegalForm, ProfileChange, TargetGroup
from .permissions import can_review, can_set_review_rules


class ReviewerRequiredMixin:
    """Only people who may review in this portal; checked before anything else is read."""

    def dispatch(self, request, *args, **kwargs):
        if not can_review(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _queue_breadcrumbs():
    return [
        *WagtailAdminTemplateMixin.breadcrumbs_items,
        {"url": reverse("initiatives_review:queue"), "label": _("Aanmeldingen")},
    ]


class ReviewQueueView(ReviewerRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "initiatives/admin/queue.html"
    page_title = gettext_lazy("Aanmeldingen")
    header_icon = "tasks"

    def get_breadcrumbs_items(self):
        return _queue_breadcrumbs()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["initiatives"] = list(selectors.awaiting_review())
        context["changes"] = list(selectors.pending_changes())
        context["portal"] = self.request.tenant
        context["can_set_rules"] = can_set_review_rules(self.request.user)
        return context


def _labels(values, choices) -> list[str]:
    labels = dict(choices)
    return [str(labels.get(value, value)) for value in values]


class ReviewDetailView(ReviewerRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "initiatives/admin/review.html"
    page_title = gettext_lazy("Aanmelding beoordelen")
    header_icon = "tasks"

    def get(self, request, *args, **kwargs):
        # Runs after ReviewerRequiredMixin.dispatch: nothing is read for someone who may not review.
        self.initiative = get_object_or_404(
            Initiative.objects.select_related("municipality__province").prefetch_related("partners", "needs", "offers"),
            pk=kwargs["pk"],
        )
        return super().get(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.initiative.name

    def get_breadcrumbs_items(self):
        return [*_queue_breadcrumbs(), {"url": "", "label": self.initiative.name}]

    def get_context_data(self, **kwargs):
        initiative = self.initiative
        owner_ids = initiative.ownerships.values_list("user_id", flat=True)
        context = super().get_context_data(**kwargs)
        context.update(
            initiative=initiative,
            portal=self.request.tenant,
            is_submitted=initiative.status == Initiative.Status.SUBMITTED,
            legal_form=_labels([initiative.legal_form], LegalForm.choices)[0],
            target_groups=_labels(initiative.target_groups, TargetGroup.choices),
            value_domains=[
                str(d) for d in ValueDomain.objects.filter(code__in=initiative.value_domains).order_by("position")
            ],
            sdgs=[str(s) for s in SDG.objects.filter(number__in=initiative.sdgs).order_by("number")],
            income=[
                (Initiative._meta.get_field(name).verbose_name, value) for name, value in initiative.income_mix.items()
            ],
            owners=list(User.objects.filter(pk__in=list(owner_ids)).order_by("email")),
            reasons=selectors.last_reasons(initiative) if initiative.status == Initiative.Status.SUBMITTED else [],
            pending_change=selectors.pending_change_of(initiative),
        )
        return context


class ReviewDecisionView(ReviewerRequiredMixin, View):
    """POST only: publish or reject one submitted initiative of this portal."""

    http_method_names = ["post"]
    decision = None  # "publish" or "reject"

    def post(self, request, pk):
        with transaction.atomic():
            # Locked, so two reviewers deciding at once cannot both act on a submitted initiative.
            initiative = get_object_or_404(Initiative.objects.select_for_update(), pk=pk)
            if initiative.status != Initiative.Status.SUBMITTED:
                messages.warning(
                    request,
                    _("%(name)s is al beoordeeld (%(status)s).")
                    % {"name": initiative.name, "status": initiative.get_status_display()},
                )
                return redirect("initiatives_review:queue")
            if self.decision == "publish":
                services.publish(initiative, request.tenant, by=request.user)
                messages.success(request, _("%(name)s is gepubliceerd.") % {"name": initiative.name})
            else:
                reason = request.POST.get("reason", "").strip()[:2000]
                if not reason:
                    messages.error(request, _("Geef een reden voor de afwijzing; de eigenaren krijgen die te lezen."))
                    return redirect("initiatives_review:review", pk=initiative.pk)
                services.reject(initiative, request.tenant, by=request.user, reason=reason)
                messages.success(request, _("%(name)s is afgewezen.") % {"name": initiative.name})
        return redirect("initiatives_review:queue")


def _labelled(diff: list[dict]) -> list[dict]:
    return [{**row, "label": selectors.change_label(row["field"])} for row in diff]


class ChangeReviewView(ReviewerRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """One change of a profile: its fields before and after, why it was held, and (while it waits) the decision."""

    template_name = "initiatives/admin/change.html"
    page_title = gettext_lazy("Wijziging beoordelen")
    header_icon = "tasks"

    def get(self, request, *args, **kwargs):
        self.change = get_object_or_404(
            ProfileChange.objects.select_related("initiative", "by", "decided_by"), pk=kwargs["pk"]
        )
        return super().get(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.change.initiative.name

    def get_breadcrumbs_items(self):
        return [*_queue_breadcrumbs(), {"url": "", "label": self.change.initiative.name}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(change=self.change, initiative=self.change.initiative, rows=_labelled(self.change.diff))
        return context


class ChangeDecisionView(ReviewerRequiredMixin, View):
    """POST only: apply or reject one held change of this portal."""

    http_method_names = ["post"]
    decision = None  # "approve" or "reject"

    def post(self, request, pk):
        change = get_object_or_404(ProfileChange.objects.select_related("initiative"), pk=pk)
        name = change.initiative.name
        try:
            if self.decision == "approve":
                services.approve_change(change, request.tenant, by=request.user)
                messages.success(request, _("De wijziging van %(name)s is doorgevoerd.") % {"name": name})
            else:
                reason = request.POST.get("reason", "").strip()[:2000]
                if not reason:
                    messages.error(request, _("Geef een reden voor de afwijzing; de eigenaren krijgen die te lezen."))
                    return redirect("initiatives_review:change", pk=change.pk)
                services.reject_change(change, request.tenant, by=request.user, reason=reason)
                messages.success(request, _("De wijziging van %(name)s is afgewezen.") % {"name": name})
        except services.ChangeAlreadyDecided as exc:
            messages.warning(request, str(exc))
        except (services.WrongPortal, services.DuplicateInitiative) as exc:
            messages.error(request, _("De wijziging kan niet worden doorgevoerd: %(reason)s") % {"reason": exc})
            return redirect("initiatives_review:change", pk=change.pk)
        return redirect("initiatives_review:queue")


class HistoryView(ReviewerRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Every change of one initiative's profile (Wijzigingen), newest first, with before and after per field."""

    template_name = "initiatives/admin/history.html"
    page_title = gettext_lazy("Wijzigingen")
    header_icon = "history"

    def get(self, request, *args, **kwargs):
        self.initiative = get_object_or_404(Initiative, pk=kwargs["pk"])
        return super().get(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.initiative.name

    def get_breadcrumbs_items(self):
        return [
            *_queue_breadcrumbs(),
            {"url": reverse("initiatives_review:review", args=[self.initiative.pk]), "label": self.initiative.name},
            {"url": "", "label": _("Wijzigingen")},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        changes = list(selectors.history(self.initiative))
        for change in changes:
            change.rows = _labelled(change.diff)
        context.update(initiative=self.initiative, changes=changes)
        return context


class ReviewRulesForm(forms.Form):
    implausible = forms.ChoiceField(
        label=gettext_lazy("Niet-aannemelijke cijfers"),
        choices=Portal.Implausible.choices,
        widget=forms.RadioSelect,
        help_text=Portal._meta.get_field("implausible").help_text,
    )
    hold_threshold = forms.IntegerField(
        label=gettext_lazy("Drempel voor wijzigingen (%)"),
        required=False,
        min_value=0,
        max_value=10_000,
        help_text=Portal._meta.get_field("hold_threshold").help_text,
    )


class ReviewRulesView(WagtailAdminTemplateMixin, TemplateView):
    """The portal's own admins choose here, for their own portal only (``request.tenant``), whether implausible
    figures are refused or held for review, and the threshold for changes (docs/decisions/0021-held-changes.md)."""

    template_name = "initiatives/admin/rules.html"
    page_title = gettext_lazy("Beoordelingsregels")
    header_icon = "cog"

    def dispatch(self, request, *args, **kwargs):
        if not can_set_review_rules(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*_queue_breadcrumbs(), {"url": "", "label": _("Beoordelingsregels")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        portal = self.request.tenant
        context.setdefault(
            "form",
            ReviewRulesForm(initial={"implausible": portal.implausible, "hold_threshold": portal.hold_threshold}),
        )
        context["portal"] = portal
        return context

    def post(self, request):
        form = ReviewRulesForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        portal = set_review_rules(
            request.tenant,
            implausible=form.cleaned_data["implausible"],
            hold_threshold=form.cleaned_data["hold_threshold"],
        )
        record(portal, "maex.portal.review_rules", by=request.user, data=form.cleaned_data)
        messages.success(request, _("De beoordelingsregels zijn opgeslagen."))
        return redirect("initiatives_review:rules")


queue = ReviewQueueView.as_view()
review = ReviewDetailView.as_view()
publish = ReviewDecisionView.as_view(decision="publish")
reject = ReviewDecisionView.as_view(decision="reject")
change = ChangeReviewView.as_view()
approve_change = ChangeDecisionView.as_view(decision="approve")
reject_change = ChangeDecisionView.as_view(decision="reject")
history = HistoryView.as_view()
rules = ReviewRulesView.as_view()
