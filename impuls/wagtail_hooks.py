"""MAEX Impuls in Wagtail's admin of each portal: funders, and rounds with their commitments inline, for the portal's
fund managers (and its portal admins); its actions in the audit log (accounts/audit.py).

The admin reads and writes the portal's own schema only, so a portal's rounds are not visible from another
portal's admin, and Wagtail's model permission policy shows the screens only to people whose role in this portal
holds the ``impuls`` permissions (``roles/definitions.py``)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from modelcluster.forms import BaseChildFormSet
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Commitment, Funder, LedgerEntry, Round
from .services import euros

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


class ImpulsViewSetGroup(ViewSetGroup):
    menu_label = _("Impuls")
    menu_icon = "doc-full"
    menu_order = 250
    items = (
        RoundViewSet("impuls_rounds", url_prefix="impuls/rondes"),
        FunderViewSet("impuls_funders", url_prefix="impuls/financiers"),
    )


@hooks.register("register_admin_viewset")
def register_impuls_viewsets():
    return ImpulsViewSetGroup()
