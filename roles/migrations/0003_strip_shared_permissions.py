"""Take from every group, direct grant and Wagtail page or collection permission of this portal any permission on
a shared model (accounts, tenants, geo, valuation, national index, ...): a portal role holds permissions only on
what lives in the portal's schema (docs/decisions/0012-permissions-follow-table-ownership.md). Runs in every
portal's schema (the roles app lives there only). A group that could manage portals or the price list, or read
the index, through the shared models' permissions gets the matching duty of ``roles.NationalDuty`` instead, so
national admins keep their screens across the upgrade (``manage.py sync_roles`` gives the same)."""

from django.db import migrations


# old permission on a shared model -> the national duty that replaces it
DUTIES = {
    ("tenants", "manage_portals"): ("manage_portals", "Kan portalen, domeinen en dekking beheren"),
    ("valuation", "change_pricelist"): ("manage_price_list", "Kan de prijslijst beheren"),
    ("national_index", "view_indexentry"): ("view_national_index", "Kan de landelijke index analyseren"),
}


def strip(apps, schema_editor):
    from roles.ownership import lives_in_portal_schema

    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    duty_type, _ = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="roles", model="nationalduty"
    )
    for (app_label, codename), (duty, name) in DUTIES.items():
        holders = Group.objects.filter(permissions__content_type__app_label=app_label, permissions__codename=codename)
        if holders.exists():
            permission, _ = Permission.objects.get_or_create(
                content_type=duty_type, codename=duty, defaults={"name": name}
            )
            for group in holders:
                group.permissions.add(permission)
    labels = set(Permission.objects.values_list("content_type__app_label", flat=True).distinct())
    shared = Permission.objects.filter(
        content_type__app_label__in=[label for label in labels if not lives_in_portal_schema(label)]
    ).values("pk")
    Group.permissions.through.objects.filter(permission__in=shared).delete()
    apps.get_model("roles", "PermissionGrant").objects.filter(permission__in=shared).delete()
    apps.get_model("wagtailcore", "GroupPagePermission").objects.filter(permission__in=shared).delete()
    apps.get_model("wagtailcore", "GroupCollectionPermission").objects.filter(permission__in=shared).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("roles", "0002_national_duties"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(strip, migrations.RunPython.noop)]
