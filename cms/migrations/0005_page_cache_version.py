"""A portal's page cache version and the triggers on every table its pages show (tenants/page_cache.py,
docs/decisions/0030-page-cache.md). A later migration that adds such a table calls ``page_cache.install`` again
(tests/cms/test_page_cache.py checks that every one has the trigger)."""

from django.db import migrations

from tenants import page_cache


def install(apps, schema_editor):
    page_cache.install(page_cache.PORTAL_PREFIXES, page_cache.PORTAL_EXCLUDE, schema_editor=schema_editor)


def uninstall(apps, schema_editor):
    schema_editor.execute(page_cache.DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0004_partner_kind_vocabulary"),
        ("branding", "0001_initial"),
        ("initiatives", "0008_initiative_phase"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]
    operations = [migrations.RunPython(install, uninstall)]
