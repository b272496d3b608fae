"""Writes of accounts."""

from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from .models import User


def ensure_verified_user(email: str, password: str, full_name: str = "", superuser: bool = False) -> User:
    """A user whose email address is verified (for the demo and for platform set-up)."""
    user = User.objects.filter(email=email.lower()).first()
    if user is None:
        create = User.objects.create_superuser if superuser else User.objects.create_user
        user = create(email=email, password=password, full_name=full_name)
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    return user


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


@dataclass
class Erasure:
    rows: dict[str, int] = field(default_factory=dict)  # per schema: rows removed or anonymised
    initiatives: list[InitiativeOutcome] = field(default_factory=list)


def _is_contact(initiative, user, emails: set[str]) -> bool:
    """Whether the profile's contact details are the person's own (their address, or their name)."""
    name = user.full_name.strip().lower()
    return initiative.contact_email.lower() in emails or bool(name and initiative.contact_name.strip().lower() == name)


def _remaining_owners(initiative, user) -> list[User]:
    from initiatives.models import Ownership

    ids = list(
        Ownership.objects.filter(initiative=initiative)
        .exclude(user=user)
        .order_by("created_at", "pk")
        .values_list("user_id", flat=True)
    )
    found = User.objects.in_bulk(ids)
    return [found[i] for i in ids if i in found]


def _owned_initiatives(user):
    from initiatives.models import Initiative, Ownership

    return Initiative.objects.filter(pk__in=Ownership.objects.filter(user=user).values("initiative_id"))


def _outcome(initiative, user, emails, heirs) -> str:
    if not heirs:
        return InitiativeOutcome.WITHDRAWN
    return InitiativeOutcome.HANDED_OVER if _is_contact(initiative, user, emails) else InitiativeOutcome.KEPT


def erasure_preview(user) -> list[InitiativeOutcome]:
    """What ``delete_account`` would do with each initiative the person owns (nothing is written)."""
    from django_tenants.utils import schema_context

    from .personal_data import portal_schemas, user_emails

    emails = user_emails(user)
    outcomes = []
    for portal in portal_schemas():
        with schema_context(portal.schema_name):
            for initiative in _owned_initiatives(user).order_by("name"):
                heirs = _remaining_owners(initiative, user)
                outcome = _outcome(initiative, user, emails, heirs)
                heir = heirs[0].get_full_name() if outcome == InitiativeOutcome.HANDED_OVER else ""
                outcomes.append(InitiativeOutcome(portal.name, initiative.name, outcome, heir))
    return outcomes


def _notify_remaining_owners(initiative, portal, heirs, outcome: str) -> None:
    from django.core.mail import send_mail
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):  # the owners' language is unknown: the platform's
        subject, body = _remaining_owners_mail(initiative, portal, heirs, outcome)
    recipients = [heir.email for heir in heirs]
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients))


def _remaining_owners_mail(initiative, portal, heirs, outcome: str) -> tuple[str, str]:
    link = initiative.absolute_url(portal, "bewerken/")
    values = {"name": initiative.name, "portal": portal.name, "link": link}
    subject = _("Een mede-eigenaar van %(name)s heeft het account verwijderd") % values
    if outcome == InitiativeOutcome.HANDED_OVER:
        values["heir"] = heirs[0].get_full_name()
        body = (
            _(
                "Een mede-eigenaar van het profiel van %(name)s op %(portal)s heeft het account verwijderd. "
                "Die persoon was de contactpersoon; de contactgegevens zijn overgezet naar %(heir)s.\n\n"
                "Controleer de contactgegevens en vul zo nodig een telefoonnummer in:\n%(link)s\n"
            )
            % values
        )
    else:
        body = (
            _(
                "Een mede-eigenaar van het profiel van %(name)s op %(portal)s heeft het account verwijderd. "
                "U blijft eigenaar; de contactgegevens zijn niet gewijzigd.\n\n%(link)s\n"
            )
            % values
        )
    return subject, body


def _release_initiatives(user, portal, emails: set[str], by) -> list[InitiativeOutcome]:
    """Hand each initiative the person owns to its remaining owners, or clear and withdraw it when they owned
    it alone; re-project each through the national index projector (current schema: ``portal``'s)."""
    from initiatives.models import Initiative
    from national_index import projector
    from tenants.services import hold_municipalities

    from .audit import record

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
        projector.project(Initiative.objects.for_index().get(pk=initiative.pk), portal)
        if heirs:
            _notify_remaining_owners(initiative, portal, heirs, outcome)
        heir_name = heirs[0].get_full_name() if outcome == InitiativeOutcome.HANDED_OVER else ""
        outcomes.append(InitiativeOutcome(portal.name, initiative.name, outcome, heir_name))
    return outcomes


def _erase_messages(user, emails: set[str]) -> int:
    """What the person wrote or was sent in the current portal, beyond the rows that point at the account:
    co-owner invitations to one of their addresses, their review notes in Wagtail's workflow, and the labels of
    audit log entries about their account (the entries stay; decision 0016)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ModelLogEntry, TaskState
    from wagtail.users.utils import get_deleted_user_display_name

    from initiatives.models import Invitation

    touched, _rows = Invitation.objects.filter(email__in=emails).delete()
    touched += TaskState.objects.filter(finished_by=user).exclude(comment="").update(comment="")
    touched += ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(label=str(get_deleted_user_display_name(user.pk)), data={})
    return touched


def _detach(user, labels: set[str]) -> int:
    """Apply each relation's on_delete for ``user`` in the current schema; returns rows touched. The audit
    log's rows keep the acting user's id (``personal_data.is_relation_kept``)."""
    from django.db import models

    from .personal_data import is_relation_kept, relations_to_user, rows_pointing_at

    touched = 0
    for rel in relations_to_user(labels):
        if is_relation_kept(rel):
            continue
        rows = rows_pointing_at(user, rel)
        if rel.on_delete is models.SET_NULL or (rel.on_delete is models.DO_NOTHING and rel.field.null):
            touched += rows.update(**{rel.field.name: None})
        else:
            touched += rows.count()
            rows.delete()
    return touched


def delete_account(user, *, by=None) -> Erasure:
    """Delete a person from the whole platform: every portal's schema first, then the account itself.

    In each portal: initiatives they co-own stay with the other owners (the contact details, when they were
    the person's, go to the longest-standing remaining owner, who gets a mail); initiatives they owned alone
    are withdrawn and their contact details cleared; invitations to their addresses and their review notes
    are removed; memberships, ownerships and Wagtail profile go; authored revisions and uploads are kept but
    anonymised; audit log entries stay with the account's id only. ``by``: who asked (the person themself,
    platform staff, or None for a command), named in each portal's log.

    One transaction: a failure anywhere leaves the account and every portal as they were.
    """
    from django_tenants.utils import schema_context
    from wagtail.users.utils import get_deleted_user_display_name

    from .audit import record
    from .personal_data import portal_schemas, shared_labels, tenant_labels, user_emails

    erasure = Erasure()
    with transaction.atomic():
        emails = user_emails(user)
        for portal in portal_schemas().prefetch_related("domains"):
            with schema_context(portal.schema_name):
                erasure.initiatives += _release_initiatives(user, portal, emails, by)
                touched = _erase_messages(user, emails) + _detach(user, tenant_labels())
                erasure.rows[portal.schema_name] = touched
                if touched:
                    title = str(get_deleted_user_display_name(user.pk))
                    record(user, "maex.account.delete", by=by, title=title, data={"rows": touched})
        with schema_context("public"):  # and back to the caller's schema afterwards
            erasure.rows["public"] = _detach(user, shared_labels() - {"accounts"})
            # Every related row is gone or anonymised in every schema: remove the account row itself.
            User.objects.filter(pk=user.pk)._raw_delete(User.objects.db)
    return erasure
