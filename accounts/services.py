"""Writes of accounts."""

from allauth.account.models import EmailAddress

from .models import User


def ensure_verified_user(email: str, password: str, full_name: str = "", superuser: bool = False) -> User:
    """A user whose email address is verified (for the demo and for platform set-up)."""
    user = User.objects.filter(email=email.lower()).first()
    if user is None:
        create = User.objects.create_superuser if superuser else User.objects.create_user
        user = create(email=email, password=password, full_name=full_name)
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    return user


def _apps_labels(app_names) -> set[str]:
    from django.apps import apps
    from django_tenants.routers import TenantSyncRouter

    router = TenantSyncRouter()  # an app may be listed by name or by its AppConfig's path
    return {cfg.label for cfg in apps.get_app_configs() if router.app_in_list(cfg.label, app_names)}


def _relations_to_user(labels: set[str]):
    for rel in User._meta.get_fields(include_hidden=True):
        if rel.is_relation and rel.auto_created and not rel.concrete and not rel.many_to_many:
            if rel.related_model._meta.app_label in labels:
                yield rel


def _detach(user, labels: set[str]) -> int:
    """Apply each relation's on_delete for ``user`` in the current schema; returns rows touched."""
    from django.db import models

    touched = 0
    for rel in _relations_to_user(labels):
        rows = rel.related_model._base_manager.filter(**{rel.field.name: user})
        if rel.on_delete is models.SET_NULL or (rel.on_delete is models.DO_NOTHING and rel.field.null):
            touched += rows.update(**{rel.field.name: None})
        else:
            touched += rows.count()
            rows.delete()
    return touched


def delete_account(user) -> dict[str, int]:
    """Delete a person from the whole platform: every portal's schema first (memberships, ownerships,
    Wagtail profile; authored revisions and uploads are kept but anonymised), then the account itself.

    Initiatives the person owned stay: they belong to the initiative, not to one person. One transaction:
    a failure anywhere leaves the account and every portal as they were.
    """
    from django.conf import settings
    from django.db import connection, transaction
    from django_tenants.utils import schema_context

    from tenants.models import Portal

    tenant_labels = _apps_labels(settings.TENANT_APPS) - _apps_labels(settings.SHARED_APPS)
    shared_labels = _apps_labels(settings.SHARED_APPS)
    report = {}
    with transaction.atomic():
        for schema in Portal.objects.exclude(schema_name="public").values_list("schema_name", flat=True):
            with schema_context(schema):
                report[schema] = _detach(user, tenant_labels)
        connection.set_schema_to_public()
        report["public"] = _detach(user, shared_labels - {"accounts"})
        # Every related row is gone or anonymised in every schema: remove the account row itself.
        User.objects.filter(pk=user.pk)._raw_delete(User.objects.db)
    return report
