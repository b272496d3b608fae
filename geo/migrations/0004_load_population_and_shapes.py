"""Loads the shipped CBS population figures and simplified municipality boundaries (geo/data/SOURCES.md), where
the files are there; ``import_cbs_population`` and ``import_municipality_boundaries`` update them later."""

from django.db import migrations


def load(apps, schema_editor):
    if schema_editor.connection.schema_name != "public":
        return
    from geo.loading import load_population, load_shapes

    load_population(apps)
    load_shapes(apps)


class Migration(migrations.Migration):
    dependencies = [("geo", "0003_population_and_shapes")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
