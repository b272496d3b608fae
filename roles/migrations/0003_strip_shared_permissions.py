"""Take from every group, direct grant and Wagtail page or collection permission of this portal any permission on
a shared model (accounts, tenants, geo, valuation, national index, ...): a portal role holds permissions only on
what lives in the portal's schema (docs/decisions/0012-permissions-follow-table-ownership.md). Runs in every
portal's schema (the roles app lives there only). The national roles get their duties back from
``manage.py sync_roles``."""

from django.db import migrations


def strip(apps, schema_editor):
    from roles.ownership import lives_in_portal_schema

    Permission = apps.get_model("auth", "Permission")
    labels = set(Permission.objects.values_list("content_type__app_label", flat=True).distinct())
    shared = Permission.objects.filter(
        content_type__app_label__in=[label for label in labels if not lives_in_portal_schema(label)]
    ).values("pk")
    apps.get_model("auth", "Group").permissions.through.objects.filter(permission__in=shared).delete()
    apps.get_model("roles", "PermissionGrant").objects.filter(permission__in=shared).delete()
    apps.get_model("wagtailcore", "GroupPagePermission").objects.filter(permission__in=shared).delete()
    apps.get_model("wagtailcore", "GroupCollectionPermission").objects.filter(permission__in=shared).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("roles", "0002_national_duties"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(strip, migrations.RunPython.noop)]
