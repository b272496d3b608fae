"""The review queue in each portal's Wagtail admin (/beheer/aanmeldingen/).

Every view checks ``can_review`` on the server: roles are per portal, so an editor of Zeeland can review
Zeeland's registrations and nobody else's. Publishing and rejecting go through ``initiatives.services``,
which write the national index in the same transaction.
"""

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

from accounts.models import User
from geo.models import SDG, ValueDomain

from . import selectors, services
from .models import Initiative, LegalForm, TargetGroup
from .permissions import can_review


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
        context["portal"] = self.request.tenant
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


queue = ReviewQueueView.as_view()
review = ReviewDetailView.as_view()
publish = ReviewDecisionView.as_view(decision="publish")
reject = ReviewDecisionView.as_view(decision="reject")
