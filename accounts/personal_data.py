"""What the platform holds about a person: one definition for the download (GDPR art. 15 and 20) and for
erasure (art. 17) (docs/decisions/0016-personal-data-export-erasure-and-audit-trail.md).

"What points at a user" is every relation to ``accounts.User`` found by walking the models, per schema: the
shared apps' tables in public, the portal apps' tables in each portal's schema. ``accounts.services``
applies each relation's ``on_delete`` with the same walk; ``export`` serialises the same rows. On top of that
walk come the rows that name the person without a foreign key: the initiatives they own (with the contact
details they typed) and co-owner invitations sent to one of their addresses.

Secrets never leave: no password hash, no token, key or session data, no MFA secret or recovery code.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from .models import User

FORMAT = "maex-personal-data/1"

# Field names that hold secrets, on any model; never exported.
SECRET_FIELDS = frozenset(
    {"password", "token", "key", "secret", "session_key", "session_data", "recovery_codes", "code", "codes"}
)
# Models whose rows are secrets as a whole (confirmation keys), or whose payload is (MFA: only that an
# authenticator exists is exported, ``mfa_authenticators`` below).
SECRET_MODELS = frozenset({"account.emailconfirmation", "mfa.authenticator", "sessions.session"})
# Fields left out because they are a portal's content rather than data about the person (a page revision's
# whole page); the row itself (which page, when) is exported.
CONTENT_FIELDS = {"wagtailcore.revision": {"content"}}
# Wagtail's audit log keeps the acting user's id after erasure (shown as "user 42 (deleted)"), so the trail
# of who did what stays readable without naming anyone (decision 0016).
KEEP_USER_ID = frozenset({"wagtailcore.modellogentry", "wagtailcore.pagelogentry"})

README = {
    "nl": (
        "Dit bestand bevat alle gegevens die het MAEX-platform over u bewaart, op alle portalen. "
        "'account' is uw gedeelde account (e-mailadressen, naam, datums, of u tweestapsverificatie gebruikt). "
        "'portals' bevat per portaal uw rollen, de initiatieven waarvan u eigenaar bent (met de "
        "contactgegevens die u invulde), uitnodigingen als mede-eigenaar en alles wat u daar deed (pagina's, "
        "opmerkingen, de logboekregels van uw acties); '(u)' staat daar voor uzelf. Wachtwoorden, sleutels en "
        "codes staan er niet in."
    ),
    "en": (
        "This file holds everything the MAEX platform keeps about you, on every portal. "
        "'account' is your shared account (email addresses, name, dates, whether you use two-factor "
        "authentication). 'portals' holds, per portal, your roles, the initiatives you own (with the contact "
        "details you entered), co-owner invitations and everything you did there (pages, comments, the audit "
        "log entries of your actions); '(u)' there stands for you. Passwords, keys and codes are not included."
    ),
}


def app_labels(app_names) -> set[str]:
    """Labels of the installed apps in ``app_names``, which may name an app by its module or by its AppConfig's
    path (``roles.apps.PortalUsersAdminConfig`` stands for Wagtail's users app): django-tenants' own rule."""
    from django.apps import apps
    from django_tenants.routers import TenantSyncRouter

    router = TenantSyncRouter()
    return {cfg.label for cfg in apps.get_app_configs() if router.app_in_list(cfg.label, app_names)}


def tenant_labels() -> set[str]:
    return app_labels(settings.TENANT_APPS) - app_labels(settings.SHARED_APPS)


def shared_labels() -> set[str]:
    return app_labels(settings.SHARED_APPS)


def relations_to_user(labels: set[str]):
    """Every reverse relation from a model of ``labels`` to ``User`` (foreign keys and one-to-ones)."""
    for rel in User._meta.get_fields(include_hidden=True):
        if rel.is_relation and rel.auto_created and not rel.concrete and not rel.many_to_many:
            if rel.related_model._meta.app_label in labels:
                yield rel


def rows_pointing_at(user, rel):
    return rel.related_model._base_manager.filter(**{rel.field.name: user})


def user_emails(user) -> set[str]:
    """Every address of the person: the account's and each allauth address (lower case)."""
    from allauth.account.models import EmailAddress

    emails = {user.email.lower()}
    emails.update(e.lower() for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    return emails


def portal_schemas():
    from tenants.models import Portal

    return Portal.objects.exclude(schema_name="public").order_by("schema_name")


# --- export -------------------------------------------------------------------------------------------------


def _value(obj, field):
    if field.is_relation:
        target_id = getattr(obj, field.attname)
        if target_id is None:
            return None
        if field.related_model is User:
            return target_id if target_id != getattr(obj, "_export_user_id", None) else "(u)"
        try:
            return {"id": target_id, "text": str(getattr(obj, field.name))}
        except ObjectDoesNotExist:  # gone (a key without constraint): the id says enough
            return {"id": target_id}
    return field.value_from_object(obj)


def serialise(obj, user=None) -> dict:
    """One row as plain data, without secrets (``user``: the person, shown as "(u)" where referenced)."""
    label = obj._meta.label_lower
    skip = SECRET_FIELDS | CONTENT_FIELDS.get(label, set())
    obj._export_user_id = user.pk if user is not None else None
    row = {f.name: _value(obj, f) for f in obj._meta.concrete_fields if f.name not in skip}
    if label in KEEP_USER_ID and user is not None and _is_about_another_user(obj, user):
        row["label"] = "(een andere gebruiker / another user)"  # the person acted on someone else's account
    return row


def _is_about_another_user(entry, user) -> bool:
    from django.contrib.contenttypes.models import ContentType

    return entry.content_type_id == ContentType.objects.get_for_model(User).pk and str(entry.object_id) != str(user.pk)


def _related_rows(user, labels: set[str], exclude: set[str] = frozenset()) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for rel in relations_to_user(labels):
        label = rel.related_model._meta.label_lower
        if label in SECRET_MODELS or label in exclude:
            continue
        # Each row names what it points at (its text): fetch those rows in the same query.
        joined = [
            f.name
            for f in rel.related_model._meta.concrete_fields
            if f.is_relation and f.related_model is not User and f.name not in SECRET_FIELDS
        ]
        rows = rows_pointing_at(user, rel).order_by("pk")
        rows = [serialise(obj, user) for obj in (rows.select_related(*joined) if joined else rows)]
        if rows:
            out.setdefault(label, []).extend(rows)
    return out


def mfa_authenticators(user) -> list[dict]:
    """That an authenticator exists (its kind and dates), never its secret or codes."""
    from django.apps import apps

    if not apps.is_installed("allauth.mfa"):
        return []
    from allauth.mfa.models import Authenticator

    return [
        {"type": a.type, "created_at": a.created_at, "last_used_at": a.last_used_at}
        for a in Authenticator.objects.filter(user=user).order_by("pk")
    ]


def _initiative(initiative, portal) -> dict:
    from initiatives.models import Initiative

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


def _log_entries_about(user) -> list[dict]:
    """Audit log entries about the person's account (a role given to them, an edit of their account)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q
    from wagtail.models import ModelLogEntry

    about = Q(data__user_id=user.pk) | Q(content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk))
    return [
        {"action": e.action, "label": e.label, "timestamp": e.timestamp, "data": e.data}
        for e in ModelLogEntry.objects.filter(about).order_by("timestamp", "pk")
    ]


def _portal_part(user, portal, emails: set[str]) -> dict:
    from initiatives.models import Initiative, Invitation

    owned = (
        Initiative.objects.filter(ownerships__user=user)
        .select_related("municipality")
        .prefetch_related("partners", "needs", "offers", "activities")
        .order_by("name")
    )
    part = {
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
        "records": _related_rows(user, tenant_labels()),
        "log_entries_about_you": _log_entries_about(user),
    }
    if not any(part.values()):
        return {}
    return {"name": portal.name, "url": portal.absolute_url("/"), **part}


def export(user) -> dict:
    """Everything the platform holds about ``user``, across every portal, as JSON-ready data."""
    from allauth.account.models import EmailAddress
    from django_tenants.utils import schema_context

    emails = user_emails(user)
    data = {
        "format": FORMAT,
        "readme": README,
        "created_at": timezone.now(),
        "account": {
            **serialise(user),
            "email_addresses": [
                {"email": e.email, "verified": e.verified, "primary": e.primary}
                for e in EmailAddress.objects.filter(user=user).order_by("pk")
            ],
            "mfa_authenticators": mfa_authenticators(user),
            "records": _related_rows(user, shared_labels(), exclude={"account.emailaddress"}),
        },
        "portals": {},
    }
    for portal in portal_schemas().prefetch_related("domains"):
        with schema_context(portal.schema_name):
            part = _portal_part(user, portal, emails)
        if part:
            data["portals"][portal.schema_name] = part
    return data


def export_json(user) -> str:
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    return json.dumps(export(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def is_relation_kept(rel) -> bool:
    """Erasure keeps this relation's rows and their user id (the audit trail, decision 0016)."""
    return rel.related_model._meta.label_lower in KEEP_USER_ID and rel.field.name == "user"
