"""The public schema's page cache version and its triggers (tenants/page_cache.py, docs/decisions/0030-page-cache.md)."""

from django.db import migrations

from tenants import page_cache


def install(apps, schema_editor):
    page_cache.install(page_cache.PUBLIC_PREFIXES, schema_editor=schema_editor)


def uninstall(apps, schema_editor):
    schema_editor.execute(page_cache.DROP)


class Migration(migrations.Migration):
    dependencies = [("tenants", "0003_review_rules")]
    operations = [migrations.RunPython(install, uninstall)]
