"""MAEX Impuls in Wagtail's admin of each portal: funders, and rounds with their commitments inline, for the portal's
fund managers (and its portal admins); its actions in the audit log (accounts/audit.py).

The admin reads and writes the portal's own schema only, so a portal's rounds are not visible from another
portal's admin, and Wagtail's model permission policy shows the screens only to people whose role in this portal
holds the ``impuls`` permissions (``roles/definitions.py``)."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import path
from django.utils.translation import gettext_lazy as _
from modelcluster.forms import BaseChildFormSet
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView, DeleteView, EditView, IndexView
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from accounts.models import User

from . import admin_views, review
from .models import Application, Commitment, Funder, FunderReviewer, LedgerEntry, Round
from .services import euros

register_permission_policy(Application, admin_views.ApplicationPolicy(Application))

ACTIONS = {
    "maex.impuls.submit": _("Impuls-aanvraag ingediend"),
    "maex.impuls.withdraw": _("Impuls-aanvraag ingetrokken"),
    "maex.impuls.reject": _("Impuls-aanvraag afgewezen"),
    "maex.impuls.approve": _("Impuls-aanvraag toegekend"),
    "maex.impuls.paid": _("Impuls uitbetaald"),
    "maex.impuls.question": _("Vraag gesteld over een Impuls-aanvraag"),
    "maex.impuls.answer": _("Vraag over een Impuls-aanvraag beantwoord"),
    "maex.impuls.accountability": _("Impuls verantwoord"),
    "maex.impuls.reminder": _("Herinnering aan de verantwoording verstuurd"),
    "maex.impuls.exported": _("Impuls-uitbetaling in een SEPA-bestand gezet"),
    "maex.impuls.reviewer": _("Financierbeoordelaar ingesteld"),
    "maex.impuls.reviewer_removed": _("Financierbeoordelaar verwijderd"),
}


@hooks.register("register_log_actions")
def register_impuls_log_actions(actions):
    for action, label in ACTIONS.items():
        actions.register_action(action, label, label)


def _used(commitment) -> int:
    """What a stored commitment has reserved and awarded now."""
    reserved, awarded = Commitment.objects.filter(pk=commitment.pk).values_list("reserved_cents", "awarded_cents").get()
    return reserved + awarded


class CommitmentForm(WagtailAdminModelForm):
    """A commitment that has reservations or awards keeps its funder and cannot drop below what it has reserved
    and awarded (the database would refuse it too: a message here instead of an error page)."""

    def clean(self):
        cleaned = super().clean()
        commitment = self.instance
        if commitment.pk is None:
            return cleaned
        if "funder" in self.changed_data and LedgerEntry.objects.filter(commitment_id=commitment.pk).exists():
            self.add_error("funder", _("Deze toezegging heeft al boekingen: de financier blijft dezelfde."))
        amount, used = cleaned.get("amount_cents"), _used(commitment)
        if amount is not None and amount < used:
            self.add_error(
                "amount_cents",
                _("Er is al %(used)s gereserveerd en toegekend; het bedrag kan niet lager zijn.")
                % {"used": euros(used)},
            )
        return cleaned


class CommitmentFormSet(BaseChildFormSet):
    def clean(self):
        super().clean()
        for form in self.deleted_forms:
            if form.instance.pk and LedgerEntry.objects.filter(commitment_id=form.instance.pk).exists():
                raise ValidationError(
                    _("De toezegging van %(funder)s heeft al boekingen en kan niet worden verwijderd.")
                    % {"funder": form.instance.funder}
                )


class CommitmentsPanel(InlinePanel):
    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name].update(formset=CommitmentFormSet, form=CommitmentForm)
        return options


class RoundForm(WagtailAdminModelForm):
    @classmethod
    def child_form(cls):
        return CommitmentForm


class FunderViewSet(ModelViewSet):
    model = Funder
    icon = "group"
    menu_label = _("Financiers")
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = False
    form_fields = ["name", "kind", "partner_page"]
    list_display = ["name", "kind"]
    search_fields = None


class RoundViewSet(ModelViewSet):
    model = Round
    icon = "calendar"
    menu_label = _("Rondes")
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = ["title", "opens_at", "closes_at"]
    search_fields = None
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("slug"),
            FieldPanel("purpose"),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("unit")]),
            FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
            FieldRowPanel([FieldPanel("min_cents"), FieldPanel("max_cents"), FieldPanel("max_applications")]),
            FieldRowPanel([FieldPanel("spend_months"), FieldPanel("payout_working_days")]),
            MultiFieldPanel(
                [
                    FieldPanel("municipalities", widget=forms.TextInput),
                    FieldPanel("sdgs", widget=forms.TextInput),
                    FieldPanel("min_phase"),
                    FieldPanel("needs_money_need"),
                ],
                heading=_("Voorwaarden van de ronde"),
            ),
            CommitmentsPanel(
                "commitments",
                heading=_("Toezeggingen"),
                label=_("Toezegging"),
                panels=[
                    FieldPanel("funder"),
                    FieldPanel("amount_cents"),
                    FieldPanel("max_per_award_cents"),
                    FieldPanel("sdgs", widget=forms.TextInput),
                    FieldPanel("municipalities", widget=forms.TextInput),
                    FieldPanel("legal_forms", widget=forms.TextInput),
                ],
            ),
        ],
        base_form_class=RoundForm,
    )


def _initiative_name(application) -> str:
    return review.ProfileFacts.of(application.frozen_profile).name or "—"


def _requested(application) -> str:
    return euros(application.requested_cents)


class ApplicationViewSet(ModelViewSet):
    """The review queue: list (arrival order, filters by round and state) and one application with its decisions;
    never added, edited or deleted here (``admin_views.ApplicationPolicy``)."""

    model = Application
    icon = "tasks"
    menu_label = _("Aanvragen")
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = admin_views.ApplicationIndexView
    inspect_view_class = admin_views.ApplicationInspectView
    filterset_class = admin_views.ApplicationFilterSet
    search_fields = None
    list_display = [
        "__str__",
        Column("initiative", label=_("Initiatief"), accessor=_initiative_name),
        Column("requested", label=_("Gevraagd"), accessor=_requested),
        "state",
        "submitted_at",
    ]

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.inspect_view, name="inspect"),
        ]


class FunderReviewerForm(WagtailAdminModelForm):
    """A funder reviewer by the e-mail address of their account, and the funders they review for."""

    email = forms.EmailField(label=_("E-mailadres van het account"))

    class Meta:
        model = FunderReviewer
        fields = ["funders"]
        widgets = {"funders": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["email"].initial = self.instance.user.email
            self.fields["email"].disabled = True

    def clean_email(self):
        if self.instance.pk:
            return self.instance.user.email
        email = self.cleaned_data["email"]
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise ValidationError(
                _("Er is geen account met dit e-mailadres. Vraag de persoon eerst een account aan te maken.")
            )
        if FunderReviewer.objects.filter(user=user).exists():
            raise ValidationError(_("Deze persoon is al financierbeoordelaar; pas die instelling aan."))
        self.instance.user = user
        return email


class FunderReviewerCreateView(CreateView):
    def save_instance(self):
        instance = self.form.save(commit=False)
        return review.link_reviewer(instance, self.form.cleaned_data["funders"], by=self.request.user)


class FunderReviewerEditView(EditView):
    def save_instance(self):
        instance = self.form.save(commit=False)
        return review.link_reviewer(instance, self.form.cleaned_data["funders"], by=self.request.user)


class FunderReviewerDeleteView(DeleteView):
    def delete_action(self):
        review.unlink_reviewer(self.object, by=self.request.user)


def _funder_names(reviewer) -> str:
    return ", ".join(f.name for f in reviewer.funders.all()) or "—"


class FunderReviewerIndexView(IndexView):
    def get_base_queryset(self):
        return FunderReviewer.objects.select_related("user").prefetch_related("funders")


class FunderReviewerViewSet(ModelViewSet):
    model = FunderReviewer
    icon = "user"
    menu_label = _("Financierbeoordelaars")
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = False
    search_fields = None
    index_view_class = FunderReviewerIndexView
    add_view_class = FunderReviewerCreateView
    edit_view_class = FunderReviewerEditView
    delete_view_class = FunderReviewerDeleteView
    list_display = ["__str__", Column("funders", label=_("Financiers"), accessor=_funder_names)]

    def get_form_class(self, for_update=False):
        return FunderReviewerForm


def _shown_to(check):
    return type("ImpulsMenuItem", (MenuItem,), {"is_shown": lambda self, request: check(request.user)})


class PayoutsViewSet(ViewSet):
    """The treasurer's screen (``impuls.pay_payout``)."""

    icon = "doc-full"
    menu_label = _("Uitbetalingen")
    menu_item_class = _shown_to(review.can_pay)

    def get_urlpatterns(self):
        return [path("", admin_views.PayoutsView.as_view(), name="index")]


class ReportViewSet(ViewSet):
    """The funder report: a page, a CSV download and a printable page."""

    icon = "table"
    menu_label = _("Financiersrapportage")
    menu_item_class = _shown_to(review.can_report)

    def get_urlpatterns(self):
        return [
            path("", admin_views.FunderReportView.as_view(), name="report"),
            path("csv/", admin_views.FunderReportCSVView.as_view(), name="report_csv"),
            path("afdrukken/", admin_views.FunderReportPrintView.as_view(), name="report_print"),
        ]


class ImpulsViewSetGroup(ViewSetGroup):
    menu_label = _("Impuls")
    menu_icon = "doc-full"
    menu_order = 250
    items = (
        ApplicationViewSet("impuls_applications", url_prefix="impuls/aanvragen"),
        RoundViewSet("impuls_rounds", url_prefix="impuls/rondes"),
        FunderViewSet("impuls_funders", url_prefix="impuls/financiers"),
        FunderReviewerViewSet("impuls_reviewers", url_prefix="impuls/financierbeoordelaars"),
        PayoutsViewSet("impuls_payouts", url_prefix="impuls/uitbetalingen"),
        ReportViewSet("impuls_admin", url_prefix="impuls/rapportage"),
    )


@hooks.register("register_admin_viewset")
def register_impuls_viewsets():
    return ImpulsViewSetGroup()
