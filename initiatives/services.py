"""Writes of initiatives. Plain arguments, never a request.

Each write runs in the initiative's home schema and calls the national index projector inside the same
transaction (docs/architecture.md, "The write path"): the index is never behind and never holds a rolled-back row.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from accounts.audit import record
from maex.mail import send_templated_mail
from national_index import projector
from national_index.models import InitiativeLocator
from national_index.selectors import locate
from roles.selectors import holders_of
from tenants.models import Portal
from tenants.selectors import home_portal_for  # noqa: F401 (re-exported for callers)
from tenants.services import hold_municipalities

from . import plausibility, selectors
from .models import Activity, Initiative, Invitation, Need, Offer, Ownership, Partner, initiative_url
from .plausibility import ImplausibleDeclaration  # noqa: F401 (raised by the writes below)
from .revaluation import value_with_current_list


@dataclass
class Profile:
    """The uniform profile as plain data: the fields plus partners, needs and offers."""

    fields: dict
    partners: list[dict] = field(default_factory=list)  # {"name", "kind"}
    needs: list[dict] = field(default_factory=list)  # {"kind", "text"}
    offers: list[dict] = field(default_factory=list)  # {"name", "description"}
    activities: list[dict] = field(default_factory=list)  # {"item_code", "quantity", "description"}


class DuplicateInitiative(Exception):
    """The initiative is already registered; ``url`` points at the existing one."""

    def __init__(self, message: str, url: str, field: str):
        super().__init__(message)
        self.url = url
        self.field = field


class WrongPortal(Exception):
    """A municipality that another portal covers: the initiative would have to move."""


def _existing_url(uuid) -> str:
    locator = locate(uuid)
    return initiative_url(locator.portal, locator.slug)


def find_duplicate(fields: dict, exclude_uuid=None) -> DuplicateInitiative | None:
    """The same KvK number anywhere on the platform, or the same name in the same municipality."""
    kvk = fields.get("kvk_number") or ""
    if kvk:
        clash = InitiativeLocator.objects.filter(kvk_number=kvk).exclude(uuid=exclude_uuid).first()
        if clash:
            return DuplicateInitiative(
                _("Er is al een initiatief aangemeld met dit KvK-nummer."), _existing_url(clash.uuid), "kvk_number"
            )
    same_name = (
        Initiative.objects.annotate(lname=Lower("name"))
        .filter(lname=fields["name"].strip().lower(), municipality=fields["municipality"])
        .exclude(uuid=exclude_uuid)
        .first()
    )
    if same_name:
        return DuplicateInitiative(
            _("Er is al een initiatief met deze naam in deze gemeente."), _existing_url(same_name.uuid), "name"
        )
    return None


def _unique_slug(name: str, municipality, exclude_pk=None) -> str:
    base = slugify(name)[:100] or "initiatief"
    candidates = [base, f"{base}-{slugify(municipality.name)}"[:110]]
    taken = set(Initiative.objects.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True))
    for slug in candidates:
        if slug not in taken:
            return slug
    return f"{base}-{secrets.token_hex(3)}"


def _write_children(initiative: Initiative, profile: Profile) -> None:
    initiative.partners.all().delete()
    initiative.needs.all().delete()
    initiative.offers.all().delete()
    initiative.activities.all().delete()
    Activity.objects.bulk_create([Activity(initiative=initiative, **a) for a in profile.activities])
    Partner.objects.bulk_create([Partner(initiative=initiative, **p) for p in profile.partners])
    Need.objects.bulk_create([Need(initiative=initiative, **n) for n in profile.needs])
    Offer.objects.bulk_create([Offer(initiative=initiative, **o) for o in profile.offers])


def _reload(initiative: Initiative) -> Initiative:
    return Initiative.objects.for_revaluation().get(pk=initiative.pk)


def register_initiative(*, owner, profile: Profile, language: str | None = None) -> tuple[Initiative, Portal]:
    """Store a new initiative once, in the schema of the portal that covers its municipality. Implausible
    figures are refused before anything is written (``ImplausibleDeclaration``; docs/decisions/0019).
    ``language``: the one the owner acts in (the request's), kept as theirs for later mail."""
    plausibility.check(profile.fields, profile.activities)
    with transaction.atomic():
        # Hold the municipality while its home portal is chosen and the initiative stored: a portal launch
        # that takes the municipality over locks the same row, so a registration lands either before the
        # move (and moves along) or after the launch (in the new portal), never behind it in the old one.
        hold_municipalities([profile.fields["municipality"].pk])
        return _register_in_home_portal(owner, profile, language)


def _register_in_home_portal(owner, profile: Profile, language: str | None) -> tuple[Initiative, Portal]:
    portal = home_portal_for(profile.fields["municipality"])
    with schema_context(portal.schema_name), transaction.atomic():
        duplicate = find_duplicate(profile.fields)
        if duplicate:
            raise duplicate
        initiative = Initiative(**{k: profile.fields[k] for k in Initiative.PROFILE_FIELDS if k in profile.fields})
        initiative.name = initiative.name.strip()
        initiative.slug = _unique_slug(initiative.name, initiative.municipality)
        if not portal.review_required:
            initiative.status = Initiative.Status.PUBLISHED
            initiative.published_at = timezone.now()
        try:
            with transaction.atomic():
                initiative.save()
        except IntegrityError as exc:  # a concurrent registration won the race
            duplicate = find_duplicate(profile.fields)
            if duplicate:
                raise duplicate from exc
            raise
        Ownership.objects.create(initiative=initiative, user=owner)
        _write_children(initiative, profile)
        initiative = _reload(initiative)
        value_with_current_list(initiative)
        try:
            with transaction.atomic():
                projector.project(initiative, portal)
        except IntegrityError as exc:  # KvK number claimed on another portal meanwhile
            duplicate = find_duplicate(profile.fields, exclude_uuid=initiative.uuid)
            if duplicate:
                raise duplicate from exc
            raise
        record(initiative, "maex.initiative.register", by=owner)
        _remember_language(owner, language)
        send_templated_mail(
            portal,
            "mail/registration_received",
            {
                "initiative": initiative,
                "review_required": initiative.status == Initiative.Status.SUBMITTED,
                "link": initiative_url(portal, initiative.slug),
                "mine_url": portal.absolute_url(reverse("portals:mine")),
            },
            [owner.email],
            language=language_of(owner),
        )
    return initiative, portal


# --- mail to people about their initiatives (docs/architecture.md, "Pages, branding and templates") ----------
def language_of(user) -> str:
    """The language to write to ``user`` in: the one they last acted in on the platform (``User.language``),
    else the platform's (Dutch)."""
    return user.language if user.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _remember_language(user, language: str | None) -> None:
    """Keep the language this person acts in (the language switch's choice in their request), for mail sent
    later. ``None`` (a command, a task): nothing is known about the person's language, nothing changes."""
    if language in dict(settings.LANGUAGES) and user.language != language:
        get_user_model().objects.filter(pk=user.pk).update(language=language)
        user.language = language


def _mail_owners(initiative: Initiative, portal: Portal, template_prefix: str, context: dict) -> None:
    """One mail per owner (owners do not see each other's addresses), each in the owner's language."""
    context = {
        "initiative": initiative,
        "link": initiative_url(portal, initiative.slug),
        "mine_url": portal.absolute_url(reverse("portals:mine")),
        **context,
    }
    for ownership in initiative.ownerships.select_related("user").order_by("created_at"):
        owner = ownership.user
        send_templated_mail(portal, template_prefix, context, [owner.email], language=language_of(owner))


def update_profile(*, initiative: Initiative, portal: Portal, profile: Profile, by=None) -> Initiative:
    """Change the profile of an initiative in its home schema (the current schema). ``by``: who, for the
    audit log (which names the changed fields, never their values). Implausible figures are refused before
    anything is written (``ImplausibleDeclaration``; docs/decisions/0019): what is stored stays as it was."""
    plausibility.check(profile.fields, profile.activities, initiative)
    with transaction.atomic():
        # The same lock as registration and coverage changes: a launch cannot move the initiative, or take its
        # new municipality over, halfway through this change.
        hold_municipalities([initiative.municipality_id, profile.fields["municipality"].pk])
        if home_portal_for(profile.fields["municipality"]).pk != portal.pk:
            raise WrongPortal(_("Deze gemeente valt onder een ander portaal."))
        locked = Initiative.objects.select_for_update().filter(pk=initiative.pk).first()
        if locked is None:  # moved to another portal meanwhile
            raise WrongPortal(_("Dit initiatief is net naar een ander portaal verhuisd; open het daar opnieuw."))
        duplicate = find_duplicate(profile.fields, exclude_uuid=locked.uuid)
        if duplicate:
            raise duplicate
        changed = []
        for name in Initiative.PROFILE_FIELDS:
            if name in profile.fields:
                if getattr(locked, name) != profile.fields[name]:
                    changed.append(name)
                setattr(locked, name, profile.fields[name])
        locked.name = locked.name.strip()
        locked.save()
        _write_children(locked, profile)
        locked = _reload(locked)
        value_with_current_list(locked)
        projector.project(locked, portal)
        record(locked, "maex.initiative.edit", by=by, data={"fields": changed})
    return locked


def _set_status(initiative: Initiative, portal: Portal, status: str, by=None, note: str | None = None) -> Initiative:
    with transaction.atomic():
        locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
        previous = locked.status
        locked.status = status
        if status == Initiative.Status.PUBLISHED and locked.published_at is None:
            locked.published_at = timezone.now()
        if note is not None:
            locked.review_note = note
        locked.save(update_fields=["status", "published_at", "review_note", "updated_at"])
        locked = _reload(locked)
        projector.project(locked, portal)
        action = {
            Initiative.Status.PUBLISHED: "maex.initiative.publish",
            Initiative.Status.REJECTED: "maex.initiative.reject",
            Initiative.Status.WITHDRAWN: "maex.initiative.withdraw",
        }[status]
        record(locked, action, by=by)
        # The owners hear of a review decision that changed something (not of their own withdrawal)
        if status != previous and status == Initiative.Status.PUBLISHED:
            _mail_owners(locked, portal, "mail/initiative_published", {})
        elif status != previous and status == Initiative.Status.REJECTED:
            _mail_owners(locked, portal, "mail/initiative_rejected", {"reason": locked.review_note})
    return locked


def publish(initiative: Initiative, portal: Portal, by=None) -> Initiative:
    return _set_status(initiative, portal, Initiative.Status.PUBLISHED, by, note="")


def reject(initiative: Initiative, portal: Portal, by=None, reason: str = "") -> Initiative:
    """Reject a registration; ``reason``, the editor's explanation, goes to the owners."""
    return _set_status(initiative, portal, Initiative.Status.REJECTED, by, note=reason.strip())


def withdraw(initiative: Initiative, portal: Portal, by=None) -> Initiative:
    return _set_status(initiative, portal, Initiative.Status.WITHDRAWN, by)


def announce_waiting(portal: Portal) -> int:
    """Tell this portal's editors (whoever may review here) in one mail per language which registrations wait
    for review and were not announced before, and mark those announced. Run in the portal's schema. Idempotent:
    a second run finds nothing new and sends nothing; two at once share nothing (``SKIP LOCKED``). Returns how
    many registrations it announced."""
    with transaction.atomic():
        waiting = list(
            selectors.awaiting_review().filter(announced_at=None).select_for_update(skip_locked=True, of=("self",))
        )
        editors = list(holders_of("initiatives.review_initiative")) if waiting else []
        if not editors:  # nothing waits, or nobody to tell yet: the first editor's digest will name it
            return 0
        Initiative.objects.filter(pk__in=[i.pk for i in waiting]).update(announced_at=timezone.now())
        by_language: dict[str, list[str]] = {}
        for editor in editors:
            by_language.setdefault(language_of(editor), []).append(editor.email)
        context = {
            "initiatives": waiting,
            "total_waiting": selectors.awaiting_review().count(),
            "queue_url": portal.absolute_url(reverse("initiatives_review:queue")),
        }
        for language, addresses in sorted(by_language.items()):
            send_templated_mail(portal, "mail/registrations_waiting", context, addresses, language=language)
    return len(waiting)


def invite_co_owner(*, initiative: Initiative, portal: Portal, email: str, invited_by) -> Invitation:
    invitation = Invitation.objects.create(
        initiative=initiative, email=email.lower(), token=secrets.token_urlsafe(32), invited_by=invited_by
    )
    link = portal.absolute_url(f"/uitnodiging/{invitation.token}/")
    context = {"initiative": initiative, "invited_by": invited_by, "link": link}
    # In the invitee's language when they have an account that has used the platform, else the inviter's
    invitee = get_user_model().objects.filter(email__iexact=invitation.email).first()
    language = language_of(invitee) if invitee is not None and invitee.language else None
    send_templated_mail(portal, "mail/co_owner_invitation", context, [invitation.email], language=language)
    record(initiative, "maex.initiative.invite", by=invited_by)  # not the address: it is the invitee's
    return invitation


class InvitationInvalid(Exception):
    pass


def accept_invitation(*, token: str, user, language: str | None = None) -> Initiative:
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().select_related("initiative").filter(token=token).first()
        if invitation is None or invitation.accepted_at is not None:
            raise InvitationInvalid(_("Deze uitnodiging is ongeldig of al gebruikt."))
        if invitation.email != user.email.lower():
            raise InvitationInvalid(_("Deze uitnodiging is voor een ander e-mailadres."))
        Ownership.objects.get_or_create(initiative=invitation.initiative, user=user)
        _remember_language(user, language)
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        record(invitation.initiative, "maex.initiative.accept", by=user)
    return invitation.initiative
