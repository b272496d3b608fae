from django.db import migrations


def load(apps, schema_editor):
    if schema_editor.connection.schema_name != "public":
        return
    from valuation.services import load_default_price_list

    load_default_price_list()


class Migration(migrations.Migration):
    dependencies = [("valuation", "0002_published_lists_never_change"), ("geo", "0002_load_reference_data")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
