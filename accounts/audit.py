"""The audit trail: Wagtail's own log (``wagtail.log_actions``), kept in each portal's schema and shown in that
portal's admin under Reports > "Site history" (docs/decisions/0016-personal-data-export-erasure-and-audit-trail.md).

Wagtail logs what its admin does by itself (pages, images, documents, groups, users, settings). The platform's
own writes in services are logged here, explicitly, with the acting person. What is logged never holds a
secret or contact details: a profile edit names the fields that changed, not their values; an invitation
does not name the address; a role change names the account by id only (shown by name while it exists).
"""

from __future__ import annotations

from django.db import connection
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import schema_context
from wagtail.log_actions import LogFormatter, log
from wagtail.users.utils import get_deleted_user_display_name

from tenants.models import NATIONAL_SCHEMA, Portal

from .models import User

ACTIONS = {
    "maex.initiative.register": (_("Initiatief aangemeld"), _("Initiatief aangemeld")),
    "maex.initiative.edit": (_("Profiel gewijzigd"), _("Profiel gewijzigd")),
    "maex.initiative.news": (_("Nieuwsbericht geplaatst"), _("Nieuwsbericht geplaatst")),
    "maex.initiative.change_held": (_("Wijziging wacht op beoordeling"), _("Wijziging wacht op beoordeling")),
    "maex.initiative.change_approve": (_("Wijziging doorgevoerd"), _("Wijziging doorgevoerd")),
    "maex.initiative.change_reject": (_("Wijziging afgewezen"), _("Wijziging afgewezen")),
    "maex.portal.review_rules": (_("Beoordelingsregels gewijzigd"), _("Beoordelingsregels gewijzigd")),
    "maex.initiative.publish": (_("Initiatief gepubliceerd"), _("Initiatief gepubliceerd")),
    "maex.initiative.reject": (_("Initiatief afgewezen"), _("Initiatief afgewezen")),
    "maex.initiative.withdraw": (_("Initiatief ingetrokken"), _("Initiatief ingetrokken")),
    "maex.initiative.invite": (_("Mede-eigenaar uitgenodigd"), _("Mede-eigenaar uitgenodigd")),
    "maex.initiative.accept": (_("Uitnodiging als mede-eigenaar aanvaard"), _("Uitnodiging aanvaard")),
    "maex.initiative.contact_handover": (
        _("Contactgegevens overgedragen"),
        _("Contactgegevens overgedragen aan een mede-eigenaar (account verwijderd)"),
    ),
    "maex.initiative.contact_cleared": (
        _("Contactgegevens gewist"),
        _("Contactgegevens gewist en initiatief ingetrokken (enige eigenaar heeft account verwijderd)"),
    ),
    "maex.account.delete": (_("Account verwijderd"), _("Account verwijderd")),
    "maex.portal.launch": (_("Portaal gelanceerd"), _("Portaal gelanceerd")),
    "maex.portal.coverage_add": (_("Gemeente toegevoegd aan portaal"), _("Gemeente toegevoegd")),
    "maex.portal.coverage_remove": (_("Gemeente verwijderd uit portaal"), _("Gemeente verwijderd")),
    "maex.portal.domain_add": (_("Domein toegevoegd"), _("Domein toegevoegd")),
    "maex.portal.domain_remove": (_("Domein verwijderd"), _("Domein verwijderd")),
}


def account_display(user_id) -> str:
    """A person by name while the account exists; after erasure only "user 42 (deleted)"."""
    user = User.objects.filter(pk=user_id).first() if user_id else None
    return user.get_full_name() if user else get_deleted_user_display_name(user_id)


class RoleFormatter(LogFormatter):
    def __init__(self, label, template):
        self.label = label
        self.template = template

    def format_message(self, log_entry):
        return self.template % {"user": account_display(log_entry.data.get("user_id"))}


def register_actions(actions) -> None:
    """Called by the ``register_log_actions`` hook (accounts/wagtail_hooks.py)."""
    for action, (label, message) in ACTIONS.items():
        actions.register_action(action, label, message)
    for action, label, template in (
        ("maex.role.assign", _("Rol toegekend"), _("Rol toegekend aan %(user)s")),
        ("maex.role.remove", _("Rol ingetrokken"), _("Rol ingetrokken bij %(user)s")),
    ):
        actions.formatters[action] = RoleFormatter(label, template)
        actions.choices.append((action, label))


def record(instance, action: str, *, by=None, data: dict | None = None, title: str | None = None, schema=None):
    """Log ``action`` on ``instance`` in the log of portal ``schema``, else the current portal's (the national
    portal's when called from the public schema, where no portal's log lives)."""
    if by is not None and not getattr(by, "pk", None):
        by = None  # an anonymous visitor is no one to name
    schema = schema or connection.schema_name
    with schema_context(NATIONAL_SCHEMA if schema == "public" else schema):
        return log(instance, action, user=by, data=data or {}, title=title)


def record_national(portal, action: str, *, by=None, data: dict | None = None):
    """A change to the portal registry (launch, settings, domains, coverage): logged in the national portal,
    whose admins make these changes."""
    if not Portal.objects.filter(schema_name=NATIONAL_SCHEMA).exists():
        return None  # the platform's first set-up: no national portal, so no log to write to yet
    return record(portal, action, by=by, data=data, schema=NATIONAL_SCHEMA)
