"""Writes of initiatives. Plain arguments, never a request.

Each write runs in the initiative's home schema and calls the national index projector inside the same
transaction (docs/architecture.md, "The write path"): the index is never behind and never holds a rolled-back row.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tenants.utils import schema_context

from accounts.audit import record
from geo.models import Municipality
from maex.mail import send_templated_mail
from national_index import projector
from national_index import version as index_version
from national_index.models import InitiativeLocator
from national_index.selectors import locate
from roles.selectors import holders_of
from tenants.models import Portal
from tenants.selectors import home_portal_for  # noqa: F401 (re-exported for callers)
from tenants.services import hold_municipalities
from valuation.engine import ActivityLine, value
from valuation.selectors import current_book

from . import plausibility, selectors
from .models import (
    Activity,
    Initiative,
    Invitation,
    Need,
    NewsItem,
    Offer,
    Ownership,
    Partner,
    ProfileChange,
    initiative_url,
)
from .plausibility import ImplausibleDeclaration
from .revaluation import value_with_current_list


@dataclass
class Profile:
    """The uniform profile as plain data: the fields plus partners, needs and offers."""

    fields: dict
    partners: list[dict] = field(default_factory=list)  # {"name", "kind"}
    needs: list[dict] = field(default_factory=list)  # {"kind", "text"} and optionally "fulfilled": bool
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


class ChangeAlreadyDecided(Exception):
    """The held change was applied, rejected or superseded meanwhile."""


# --- the profile as plain JSON and as the public text the change history compares -------------------------------
# The headline figures a change may not move beyond the portal's threshold without review (with the social value).
HEADLINE_FIELDS = ("people_reached", "volunteers", "paid_staff", "paid_fte")
# What the change history compares: the public profile (the contact fields are never public).
PUBLIC_FIELDS = tuple(name for name in Initiative.PROFILE_FIELDS if not name.startswith("contact_"))


def profile_to_json(profile: Profile) -> dict:
    """The profile as plain JSON, as a held change keeps it (``ProfileChange.proposed``)."""
    fields = {}
    for name, raw in profile.fields.items():
        if name == "municipality":
            raw = raw.pk
        elif isinstance(raw, Decimal):
            raw = str(raw)
        fields[name] = raw
    return {
        "fields": fields,
        "partners": [dict(p) for p in profile.partners],
        "needs": [dict(n) for n in profile.needs],
        "offers": [dict(o) for o in profile.offers],
        "activities": [{**a, "quantity": str(a["quantity"])} for a in profile.activities],
    }


def profile_from_json(data: dict) -> Profile:
    fields = dict(data["fields"])
    if "municipality" in fields:
        fields["municipality"] = Municipality.objects.get(pk=fields["municipality"])
    if fields.get("paid_fte") is not None:
        fields["paid_fte"] = Decimal(fields["paid_fte"])
    return Profile(
        fields=fields,
        partners=data.get("partners", []),
        needs=data.get("needs", []),
        offers=data.get("offers", []),
        activities=[{**a, "quantity": Decimal(a["quantity"])} for a in data.get("activities", [])],
    )


def profile_of(initiative: Initiative) -> Profile:
    """The stored profile of ``initiative`` as plain data."""
    return Profile(
        fields={name: getattr(initiative, name) for name in Initiative.PROFILE_FIELDS},
        partners=[{"name": p.name, "kind": p.kind} for p in initiative.partners.all()],
        needs=[{"kind": n.kind, "text": n.text, "fulfilled": n.fulfilled} for n in initiative.needs.all()],
        offers=[{"name": o.name, "description": o.description} for o in initiative.offers.all()],
        activities=[
            {"item_code": a.item_code, "quantity": a.quantity, "description": a.description}
            for a in initiative.activities.all()
        ],
    )


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize())
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, Municipality):
        return value.name
    return str(value)


def public_text(profile: Profile, social_value) -> dict[str, str]:
    """The public profile as text per field, what the change history shows before and after."""
    text = {name: _text(profile.fields[name]) for name in PUBLIC_FIELDS if name in profile.fields}
    text["partners"] = "; ".join(f"{p['name']} ({p['kind']})" for p in profile.partners)
    text["needs"] = "; ".join(
        f"{n['kind']}: {n['text']}" + (" (vervuld)" if n.get("fulfilled") else "") for n in profile.needs
    )
    text["offers"] = "; ".join(
        o["name"] + (f": {o['description']}" if o.get("description") else "") for o in profile.offers
    )
    text["activities"] = "; ".join(f"{a['item_code']} × {_text(Decimal(a['quantity']))}" for a in profile.activities)
    text["social_value"] = _text(Decimal(social_value).quantize(Decimal("0.01"))) if social_value is not None else ""
    return text


def diff(before: dict[str, str], after: dict[str, str]) -> list[dict]:
    """``[{"field", "before", "after"}]`` for every field that differs, in the order of ``after``."""
    return [
        {"field": name, "before": before.get(name, ""), "after": value}
        for name, value in after.items()
        if before.get(name, "") != value
    ]


def _new_value(profile: Profile) -> Decimal | None:
    """The social value the profile's activities would have with the current price list (None: none published)."""
    book = current_book()
    if book is None:
        return None
    return value(book, [ActivityLine(a["item_code"], Decimal(a["quantity"])) for a in profile.activities]).total


def moved_beyond(old, new, percent: int) -> bool:
    """Whether ``new`` differs from ``old`` by more than ``percent`` % of ``old`` (from zero: any change)."""
    old, new = Decimal(old or 0), Decimal(new or 0)
    if old == new:
        return False
    if old == 0:
        return True
    return abs(new - old) * 100 > percent * old


def _implausible_reasons(fields: dict, activities: list[dict], initiative=None) -> list[str]:
    """The plausibility problems as sentences in the platform's language (Dutch), for the editors."""
    with override(settings.LANGUAGE_CODE):
        try:
            plausibility.check(fields, activities, initiative)
        except ImplausibleDeclaration as exc:
            return [_("Niet aannemelijk: %(problem)s") % {"problem": p.message} for p in exc.problems]
    return []


def _threshold_reasons(initiative: Initiative, portal: Portal, profile: Profile, new_value) -> list[str]:
    """Why a change of a published initiative moves its figures beyond the portal's threshold (Dutch)."""
    threshold = portal.hold_threshold
    if threshold is None or initiative.status != Initiative.Status.PUBLISHED:
        return []
    figures = [(name, getattr(initiative, name), profile.fields.get(name)) for name in HEADLINE_FIELDS]
    if new_value is not None:
        figures.insert(0, ("social_value", initiative.social_value, new_value))
    reasons = []
    with override(settings.LANGUAGE_CODE):
        for name, old, new in figures:
            if new is not None and moved_beyond(old, new, threshold):
                reasons.append(
                    _("%(field)s: van %(before)s naar %(after)s, meer dan %(threshold)s%% verschil.")
                    % {
                        "field": str(Initiative._meta.get_field(name).verbose_name),
                        "before": _text(Decimal(old or 0)),
                        "after": _text(Decimal(new)),
                        "threshold": threshold,
                    }
                )
    return reasons


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


def register_initiative(
    *, owner, profile: Profile, language: str | None = None, is_demo: bool = False
) -> tuple[Initiative, Portal]:
    """Store a new initiative once, in the schema of the portal that covers its municipality. Implausible
    figures are refused before anything is written (``ImplausibleDeclaration``; docs/decisions/0019), unless the
    home portal holds them for review: then the initiative is stored and waits (status submitted) with the
    reasons for its editors (docs/decisions/0021-held-changes.md).
    ``language``: the one the owner acts in (the request's), kept as theirs for later mail. ``is_demo``: a fictional
    initiative of the demo, marked as such wherever figures include it."""
    refusal = None
    try:
        plausibility.check(profile.fields, profile.activities)
    except ImplausibleDeclaration as exc:
        refusal = exc
        if home_portal_for(profile.fields["municipality"]).implausible != Portal.Implausible.HOLD:
            raise
    with transaction.atomic():
        # Hold the municipality while its home portal is chosen and the initiative stored: a portal launch
        # that takes the municipality over locks the same row, so a registration lands either before the
        # move (and moves along) or after the launch (in the new portal), never behind it in the old one.
        hold_municipalities([profile.fields["municipality"].pk])
        return _register_in_home_portal(owner, profile, language, refusal, is_demo)


def _register_in_home_portal(
    owner, profile: Profile, language: str | None, refusal: ImplausibleDeclaration | None, is_demo: bool
) -> tuple[Initiative, Portal]:
    portal = home_portal_for(profile.fields["municipality"])
    if refusal is not None and portal.implausible != Portal.Implausible.HOLD:
        raise refusal  # the municipality's home portal changed meanwhile, and this one refuses
    with schema_context(portal.schema_name), transaction.atomic():
        reasons = _implausible_reasons(profile.fields, profile.activities) if refusal is not None else []
        duplicate = find_duplicate(profile.fields)
        if duplicate:
            raise duplicate
        initiative = Initiative(**{k: profile.fields[k] for k in Initiative.PROFILE_FIELDS if k in profile.fields})
        initiative.name = initiative.name.strip()
        initiative.slug = _unique_slug(initiative.name, initiative.municipality)
        initiative.is_demo = is_demo
        if not portal.review_required and not reasons:
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
        ProfileChange.objects.create(
            initiative=initiative,
            kind=ProfileChange.Kind.REGISTRATION,
            state=ProfileChange.State.APPLIED,
            diff=diff({}, public_text(profile_of(initiative), initiative.social_value)),
            social_value=initiative.social_value,
            reasons=reasons,
            by=owner,
        )
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
    """Change the profile of an initiative in its home schema (the current schema), or hold the change for review
    (``change_profile``). Returns the initiative as it now stands: unchanged while the change waits."""
    change = change_profile(initiative=initiative, portal=portal, profile=profile, by=by)
    return initiative if change.is_pending else change.initiative


def change_profile(*, initiative: Initiative, portal: Portal, profile: Profile, by=None) -> ProfileChange:
    """An owner's (or editor's) change of the profile, kept in the history (``ProfileChange``). ``by``: who.

    Implausible figures are refused before anything is written (``ImplausibleDeclaration``; docs/decisions/0019):
    what is stored stays as it was. On a portal that holds them instead, and for a change of a published
    initiative that moves its social value or a headline figure beyond the portal's threshold, the change is
    kept as a pending ``ProfileChange`` and the published initiative and its index entry stay as they are until
    an editor applies (``approve_change``) or rejects it (docs/decisions/0021-held-changes.md). Otherwise it is
    applied at once. Either way a pending change of this initiative is superseded."""
    reasons = []
    try:
        plausibility.check(profile.fields, profile.activities, initiative)
    except ImplausibleDeclaration:
        if portal.implausible != Portal.Implausible.HOLD:
            raise
        reasons = _implausible_reasons(profile.fields, profile.activities, initiative)
    new_value = _new_value(profile)
    # Compared with what is stored, not with ``initiative``: a caller's instance may already carry the new
    # values (a ModelForm writes what was posted into its instance while it validates).
    stored = Initiative.objects.filter(pk=initiative.pk).first()
    if stored is None:  # moved to another portal meanwhile
        raise WrongPortal(_("Dit initiatief is net naar een ander portaal verhuisd; open het daar opnieuw."))
    if stored.status == Initiative.Status.PUBLISHED:
        reasons += _threshold_reasons(stored, portal, profile, new_value)
        if reasons:
            return _hold(initiative, portal, profile, by, reasons, new_value)
    return _apply(initiative, portal, profile, by=by, reasons=reasons)


def _checked_home(initiative: Initiative, portal: Portal, profile: Profile) -> None:
    if home_portal_for(profile.fields["municipality"]).pk != portal.pk:
        raise WrongPortal(_("Deze gemeente valt onder een ander portaal."))
    duplicate = find_duplicate(profile.fields, exclude_uuid=initiative.uuid)
    if duplicate:
        raise duplicate


def _hold(initiative: Initiative, portal: Portal, profile: Profile, by, reasons: list[str], new_value):
    with transaction.atomic():
        locked = Initiative.objects.select_for_update().filter(pk=initiative.pk).first()
        if locked is None:  # moved to another portal meanwhile
            raise WrongPortal(_("Dit initiatief is net naar een ander portaal verhuisd; open het daar opnieuw."))
        _checked_home(locked, portal, profile)
        _supersede_pending(locked)
        before = public_text(profile_of(locked), locked.social_value)
        change = ProfileChange.objects.create(
            initiative=locked,
            state=ProfileChange.State.PENDING,
            proposed=profile_to_json(profile),
            diff=diff(before, public_text(profile, new_value if new_value is not None else locked.social_value)),
            social_value=new_value,
            reasons=reasons,
            by=by if getattr(by, "pk", None) else None,
        )
        record(locked, "maex.initiative.change_held", by=by, data={"fields": [d["field"] for d in change.diff]})
    return change


def _supersede_pending(initiative: Initiative, keep: ProfileChange | None = None) -> None:
    pending = ProfileChange.objects.filter(initiative=initiative, state=ProfileChange.State.PENDING)
    if keep is not None:
        pending = pending.exclude(pk=keep.pk)
    pending.update(state=ProfileChange.State.SUPERSEDED, decided_at=timezone.now())


def _apply(
    initiative: Initiative,
    portal: Portal,
    profile: Profile,
    *,
    by=None,
    reasons: list[str] | None = None,
    change: ProfileChange | None = None,
    decided_by=None,
) -> ProfileChange:
    """The write path of a profile change: locks, checks, writes, values and projects in one transaction, and
    keeps the change in the history (a new row, or ``change``, the held one being applied)."""
    with transaction.atomic():
        # The same lock as registration and coverage changes: a launch cannot move the initiative, or take its
        # new municipality over, halfway through this change.
        hold_municipalities([initiative.municipality_id, profile.fields["municipality"].pk])
        locked = Initiative.objects.select_for_update().filter(pk=initiative.pk).first()
        if locked is None:  # moved to another portal meanwhile
            raise WrongPortal(_("Dit initiatief is net naar een ander portaal verhuisd; open het daar opnieuw."))
        _checked_home(locked, portal, profile)
        before = public_text(profile_of(locked), locked.social_value)
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
        _supersede_pending(locked, keep=change)
        after = public_text(profile_of(locked), locked.social_value)
        if change is None:
            change = ProfileChange(initiative=locked, by=by if getattr(by, "pk", None) else None, reasons=reasons or [])
        else:
            change.decided_by, change.decided_at = decided_by, timezone.now()
        change.state = ProfileChange.State.APPLIED
        change.diff = diff(before, after)
        change.social_value = locked.social_value
        change.save()
        change.initiative = locked
    return change


def approve_change(change: ProfileChange, portal: Portal, by=None) -> ProfileChange:
    """Apply a held change through the write path of ``change_profile`` (the index in the same transaction) and
    tell the owners. ``ChangeAlreadyDecided`` when it no longer waits; ``WrongPortal`` or ``DuplicateInitiative``
    when it can no longer be applied (it stays pending)."""
    with transaction.atomic():
        locked = ProfileChange.objects.select_for_update().filter(pk=change.pk).first()
        if locked is None or not locked.is_pending:
            raise ChangeAlreadyDecided(_("Deze wijziging is al beoordeeld of vervangen."))
        initiative = Initiative.objects.get(pk=locked.initiative_id)
        applied = _apply(
            initiative, portal, profile_from_json(locked.proposed), by=locked.by, change=locked, decided_by=by
        )
        record(applied.initiative, "maex.initiative.change_approve", by=by)
        _mail_owners(applied.initiative, portal, "mail/profile_change_approved", {})
    return applied


def reject_change(change: ProfileChange, portal: Portal, by=None, reason: str = "") -> ProfileChange:
    """Keep the published profile as it is and tell the owners why (``reason``, the editor's explanation)."""
    with transaction.atomic():
        locked = ProfileChange.objects.select_for_update().filter(pk=change.pk).first()
        if locked is None or not locked.is_pending:
            raise ChangeAlreadyDecided(_("Deze wijziging is al beoordeeld of vervangen."))
        locked.state = ProfileChange.State.REJECTED
        locked.note = reason.strip()
        locked.decided_by, locked.decided_at = by, timezone.now()
        locked.save(update_fields=["state", "note", "decided_by", "decided_at"])
        initiative = Initiative.objects.get(pk=locked.initiative_id)
        record(initiative, "maex.initiative.change_reject", by=by)
        _mail_owners(initiative, portal, "mail/profile_change_rejected", {"reason": locked.note})
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
    """Tell this portal's editors (whoever may review here) in one mail per language which registrations and held
    changes wait for review and were not announced before, and mark those announced. Run in the portal's schema.
    Idempotent: a second run finds nothing new and sends nothing; two at once share nothing (``SKIP LOCKED``).
    Returns how many registrations and changes it announced."""
    with transaction.atomic():
        waiting = list(
            selectors.awaiting_review().filter(announced_at=None).select_for_update(skip_locked=True, of=("self",))
        )
        changes = list(
            selectors.pending_changes().filter(announced_at=None).select_for_update(skip_locked=True, of=("self",))
        )
        editors = list(holders_of("initiatives.review_initiative")) if waiting or changes else []
        if not editors:  # nothing waits, or nobody to tell yet: the first editor's digest will name it
            return 0
        now = timezone.now()
        Initiative.objects.filter(pk__in=[i.pk for i in waiting]).update(announced_at=now)
        ProfileChange.objects.filter(pk__in=[c.pk for c in changes]).update(announced_at=now)
        by_language: dict[str, list[str]] = {}
        for editor in editors:
            by_language.setdefault(language_of(editor), []).append(editor.email)
        context = {
            "initiatives": waiting,
            "changes": changes,
            "total_waiting": selectors.awaiting_review().count(),
            "total_changes": selectors.pending_changes().count(),
            "queue_url": portal.absolute_url(reverse("initiatives_review:queue")),
        }
        for language, addresses in sorted(by_language.items()):
            send_templated_mail(portal, "mail/registrations_waiting", context, addresses, language=language)
    return len(waiting) + len(changes)


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


# --- news on an initiative's page (docs/decisions/0028-impuls-accountability-projection-reminders.md) -----------


def publish_news(*, initiative: Initiative, title: str, text: str, by=None, at=None) -> NewsItem:
    """Publish a news item on the initiative's public page (in the initiative's own schema). Pages that show it
    are cached by the national index's version, which moves with it."""
    title, text = title.strip(), text.strip()
    if not title or not text:
        raise ValueError("a news item needs a title and a text")
    item = NewsItem.objects.create(initiative=initiative, title=title, text=text, published_at=at or timezone.now())
    record(initiative, "maex.initiative.news", by=by, data={"news": str(item.uuid), "title": title})
    index_version.bump()
    return item
