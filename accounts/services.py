"""Writes of accounts."""

from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django_tenants.utils import schema_context
from wagtail import hooks
from wagtail.models import ModelLogEntry, TaskState
from wagtail.users.utils import get_deleted_user_display_name

from .audit import record
from .models import User
from .personal_data import (
    ERASE_HOOK,
    ERASURE_PREVIEW_HOOK,
    is_relation_kept,
    portal_schemas,
    relations_to_user,
    rows_pointing_at,
    shared_labels,
    tenant_labels,
    user_emails,
)


def ensure_verified_user(email: str, password: str, full_name: str = "", superuser: bool = False) -> User:
    """A user whose email address is verified (for the demo and for platform set-up)."""
    user = User.objects.filter(email=email.lower()).first()
    if user is None:
        create = User.objects.create_superuser if superuser else User.objects.create_user
        user = create(email=email, password=password, full_name=full_name)
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    return user


@dataclass
class Erasure:
    rows: dict[str, int] = field(default_factory=dict)  # per schema: rows removed or anonymised
    # what became of the initiatives the person owned (``initiatives.personal_data.InitiativeOutcome``)
    initiatives: list = field(default_factory=list)


def erasure_preview(user) -> list:
    """What ``delete_account`` would do in every portal (each item has ``describe()``); nothing is written."""
    emails = user_emails(user)
    outcomes = []
    for portal in portal_schemas():
        with schema_context(portal.schema_name):
            for preview in hooks.get_hooks(ERASURE_PREVIEW_HOOK):
                outcomes += preview(user, portal, emails)
    return outcomes


def _erase_messages(user) -> int:
    """What the person wrote in the current portal's Wagtail, beyond the rows that point at the account: their
    review notes in Wagtail's workflow, and the labels of audit log entries about their account (the entries
    stay; decision 0016)."""
    touched = TaskState.objects.filter(finished_by=user).exclude(comment="").update(comment="")
    touched += ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(label=str(get_deleted_user_display_name(user.pk)), data={})
    return touched


def _detach(user, labels: set[str]) -> int:
    """Apply each relation's on_delete for ``user`` in the current schema; returns rows touched. The audit
    log's rows keep the acting user's id (``personal_data.is_relation_kept``)."""
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

    One transaction: a failure anywhere leaves the account and every portal as they were. What an app holds
    about the person beyond the rows pointing at the account (their initiatives, invitations to their addresses)
    it erases first, through ``personal_data.ERASE_HOOK``.
    """
    erasure = Erasure()
    with transaction.atomic():
        emails = user_emails(user)
        for portal in portal_schemas().with_domains():
            with schema_context(portal.schema_name):
                touched = 0
                for erase in hooks.get_hooks(ERASE_HOOK):
                    outcomes, rows = erase(user, portal, emails, by)
                    erasure.initiatives += outcomes
                    touched += rows
                touched += _erase_messages(user) + _detach(user, tenant_labels())
                erasure.rows[portal.schema_name] = touched
                if touched:
                    title = str(get_deleted_user_display_name(user.pk))
                    record(user, "maex.account.delete", by=by, title=title, data={"rows": touched})
        with schema_context("public"):  # and back to the caller's schema afterwards
            erasure.rows["public"] = _detach(user, shared_labels() - {"accounts"})
            # Every related row is gone or anonymised in every schema: remove the account row itself.
            User.objects.filter(pk=user.pk)._raw_delete(User.objects.db)
    return erasure
