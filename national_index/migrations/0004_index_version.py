"""The national index version (national_index/version.py): a sequence in the public schema."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("national_index", "0003_snapshot_social_value")]

    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE IF NOT EXISTS public.national_index_version",
            "DROP SEQUENCE IF EXISTS public.national_index_version",
        )
    ]
