"""The page cache's trigger on the initiatives' news items too (tenants/page_cache.py, docs/decisions/0030-page-cache.md):
an initiative's page shows them."""

from django.db import migrations

from tenants import page_cache


def install(apps, schema_editor):
    page_cache.install(page_cache.PORTAL_PREFIXES, page_cache.PORTAL_EXCLUDE, schema_editor=schema_editor)


class Migration(migrations.Migration):
    dependencies = [("cms", "0005_page_cache_version"), ("initiatives", "0009_newsitem")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
