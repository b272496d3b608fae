"""A person's initiatives in their data download and in their erasure (docs/decisions/0016-personal-data-export-
erasure-and-audit-trail.md).

``accounts/personal_data.py`` finds every row that points at an account by walking the models; what this app
holds about a person beyond that walk (the initiatives they own, with the contact details they typed, and
co-owner invitations sent to one of their addresses) it adds through the hooks registered in
``initiatives/wagtail_hooks.py``. Each function runs in one portal's schema, ``portal``'s.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from accounts.audit import record
from accounts.models import User
from maex.mail import send_templated_mail
from national_index import projector
from tenants.services import hold_municipalities

from .models import Initiative, Invitation, Ownership, ProfileChange
from .services import language_of


@dataclass
class InitiativeOutcome:
    """What erasure does with one initiative the person owned."""

    HANDED_OVER = "handed_over"  # the person was the contact: a remaining owner is now
    KEPT = "kept"  # co-owned, and the contact is someone else's: unchanged
    WITHDRAWN = "withdrawn"  # the person owned it alone: contact details cleared, withdrawn from publication

    portal: str
    initiative: str
    outcome: str
    heir: str = ""  # the remaining owner who is now the contact (HANDED_OVER)

    def describe(self) -> str:
        values = {"name": self.initiative, "portal": self.portal, "heir": self.heir}
        if self.outcome == self.HANDED_OVER:
            return _("%(name)s (%(portal)s): contactgegevens overgedragen aan mede-eigenaar %(heir)s.") % values
        if self.outcome == self.KEPT:
            return _("%(name)s (%(portal)s): blijft bij de andere eigenaren; de contactgegevens waren niet van u.") % (
                values
            )
        return _("%(name)s (%(portal)s): contactgegevens gewist en het initiatief is ingetrokken.") % values


# --- export -------------------------------------------------------------------------------------------------


def _initiative(initiative, portal) -> dict:
    fields = {
        f.name: f.value_from_object(initiative)
        for f in Initiative._meta.concrete_fields
        if f.name not in {"id", "municipality"}
    }
    fields["municipality"] = initiative.municipality.name
    fields["url"] = initiative.absolute_url(portal)
    fields["partners"] = [{"name": p.name, "kind": p.kind} for p in initiative.partners.all()]
    fields["needs"] = [{"kind": n.kind, "text": n.text} for n in initiative.needs.all()]
    fields["offers"] = [{"name": o.name, "description": o.description} for o in initiative.offers.all()]
    fields["activities"] = [
        {"item_code": a.item_code, "quantity": a.quantity, "description": a.description}
        for a in initiative.activities.all()
    ]
    return fields


def export_in_portal(user, portal, emails: set[str]) -> dict:
    """The initiatives the person owns and the co-owner invitations sent to their addresses, in this portal."""
    owned = (
        Initiative.objects.filter(ownerships__user=user)
        .select_related("municipality")
        .prefetch_related("partners", "needs", "offers", "activities")
        .order_by("name")
    )
    return {
        "initiatives_owned": [_initiative(i, portal) for i in owned],
        "invitations_received": [
            {
                "initiative": inv.initiative.name,
                "email": inv.email,
                "created_at": inv.created_at,
                "accepted_at": inv.accepted_at,
            }
            for inv in Invitation.objects.filter(email__in=emails).select_related("initiative").order_by("pk")
        ],
    }


# --- erasure ------------------------------------------------------------------------------------------------


def _is_contact(initiative, user, emails: set[str]) -> bool:
    """Whether the profile's contact details are the person's own (their address, or their name)."""
    name = user.full_name.strip().lower()
    return initiative.contact_email.lower() in emails or bool(name and initiative.contact_name.strip().lower() == name)


def _remaining_owners(initiative, user) -> list[User]:
    ids = list(
        Ownership.objects.filter(initiative=initiative)
        .exclude(user=user)
        .order_by("created_at", "pk")
        .values_list("user_id", flat=True)
    )
    found = User.objects.in_bulk(ids)
    return [found[i] for i in ids if i in found]


def _owned_initiatives(user):
    return Initiative.objects.filter(pk__in=Ownership.objects.filter(user=user).values("initiative_id"))


def _outcome(initiative, user, emails, heirs) -> str:
    if not heirs:
        return InitiativeOutcome.WITHDRAWN
    return InitiativeOutcome.HANDED_OVER if _is_contact(initiative, user, emails) else InitiativeOutcome.KEPT


def erasure_preview_in_portal(user, portal, emails: set[str]) -> list[InitiativeOutcome]:
    """What erasure would do with each initiative the person owns in this portal (nothing is written)."""
    outcomes = []
    for initiative in _owned_initiatives(user).order_by("name"):
        heirs = _remaining_owners(initiative, user)
        outcome = _outcome(initiative, user, emails, heirs)
        heir = heirs[0].get_full_name() if outcome == InitiativeOutcome.HANDED_OVER else ""
        outcomes.append(InitiativeOutcome(portal.name, initiative.name, outcome, heir))
    return outcomes


def _notify_remaining_owners(initiative, portal, heirs, outcome: str) -> None:
    handed_over = outcome == InitiativeOutcome.HANDED_OVER
    context = {
        "initiative": initiative,
        "handed_over": handed_over,
        "heir": heirs[0].get_full_name() if handed_over else "",
        "link": initiative.absolute_url(portal, "bewerken/"),
    }
    # One mail per remaining owner (owners do not see each other's addresses), in the language they last acted in.
    for heir in heirs:
        send_templated_mail(portal, "mail/co_owner_left", context, [heir.email], language=language_of(heir))


CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")


def _keep_contact_in_pending_changes(initiative) -> None:
    """A held change (docs/decisions/0021-held-changes.md) proposes contact details too: it now proposes the
    initiative's contact as erasure left it, so applying it later cannot bring the erased details back."""
    for change in ProfileChange.objects.filter(initiative=initiative, state=ProfileChange.State.PENDING):
        change.proposed["fields"].update({name: getattr(initiative, name) for name in CONTACT_FIELDS})
        change.save(update_fields=["proposed"])


def _release_initiatives(user, portal, emails: set[str], by) -> list[InitiativeOutcome]:
    """Hand each initiative the person owns to its remaining owners, or clear and withdraw it when they owned
    it alone; re-project each through the national index projector (current schema: ``portal``'s)."""
    owned = list(_owned_initiatives(user).values_list("pk", "municipality_id"))
    if not owned:
        return []
    # The same lock as registration, profile edits and launches: the initiative cannot move meanwhile.
    hold_municipalities([municipality for _pk, municipality in owned])
    outcomes = []
    for initiative in Initiative.objects.select_for_update().filter(pk__in=[pk for pk, _m in owned]).order_by("pk"):
        heirs = _remaining_owners(initiative, user)
        outcome = _outcome(initiative, user, emails, heirs)
        if outcome == InitiativeOutcome.HANDED_OVER:
            heir = heirs[0]
            initiative.contact_name = heir.full_name or heir.email
            initiative.contact_email = heir.email
            initiative.contact_phone = ""
            record(initiative, "maex.initiative.contact_handover", by=by)
        elif outcome == InitiativeOutcome.WITHDRAWN:
            initiative.contact_name = initiative.contact_email = initiative.contact_phone = ""
            initiative.status = Initiative.Status.WITHDRAWN
            record(initiative, "maex.initiative.contact_cleared", by=by)
        initiative.save()
        _keep_contact_in_pending_changes(initiative)
        fresh = Initiative.objects.for_index()
        projector.project(fresh.get(pk=initiative.pk), portal)
        if heirs:
            _notify_remaining_owners(initiative, portal, heirs, outcome)
        heir_name = heirs[0].get_full_name() if outcome == InitiativeOutcome.HANDED_OVER else ""
        outcomes.append(InitiativeOutcome(portal.name, initiative.name, outcome, heir_name))
    return outcomes


def erase_in_portal(user, portal, emails: set[str], by) -> tuple[list[InitiativeOutcome], int]:
    """Before the rows that point at the account go: release the initiatives the person owns, and delete the
    co-owner invitations sent to their addresses. Returns the outcomes and the number of invitations deleted."""
    outcomes = _release_initiatives(user, portal, emails, by)
    deleted, _rows = Invitation.objects.filter(email__in=emails).delete()
    return outcomes, deleted
