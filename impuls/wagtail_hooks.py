"""MAEX Impuls in Wagtail's admin: its actions in the audit log (accounts/audit.py)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

ACTIONS = {
    "maex.impuls.submit": _("Impuls-aanvraag ingediend"),
    "maex.impuls.withdraw": _("Impuls-aanvraag ingetrokken"),
    "maex.impuls.reject": _("Impuls-aanvraag afgewezen"),
    "maex.impuls.approve": _("Impuls-aanvraag toegekend"),
    "maex.impuls.paid": _("Impuls uitbetaald"),
    "maex.impuls.question": _("Vraag gesteld over een Impuls-aanvraag"),
    "maex.impuls.answer": _("Vraag over een Impuls-aanvraag beantwoord"),
}


@hooks.register("register_log_actions")
def register_impuls_log_actions(actions):
    for action, label in ACTIONS.items():
        actions.register_action(action, label, label)
