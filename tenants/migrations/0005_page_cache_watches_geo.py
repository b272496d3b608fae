"""The public schema's page cache version also follows the municipalities' population and boundaries, which the
map shows (tenants/page_cache.py, docs/decisions/0033-municipality-map.md)."""

from django.db import migrations

from tenants import page_cache


def install(apps, schema_editor):
    if schema_editor.connection.schema_name != "public":
        return
    page_cache.install(page_cache.PUBLIC_PREFIXES, schema_editor=schema_editor)


class Migration(migrations.Migration):
    dependencies = [("tenants", "0004_page_cache_version"), ("geo", "0004_load_population_and_shapes")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
