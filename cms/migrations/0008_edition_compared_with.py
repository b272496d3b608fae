from importlib import import_module

from django.db import migrations, models

# The comparison of a published edition is recorded once and never changes (docs/decisions/0035-yearly-editions.md):
# the guard of 0007 now also refuses any change of ``compared_with`` once it holds a value, whatever wrote it.
GUARD = """
CREATE OR REPLACE FUNCTION cms_edition_frozen() RETURNS trigger AS $$
DECLARE
    published timestamptz;
BEGIN
    IF OLD.compared_with IS NOT NULL AND NEW.compared_with IS DISTINCT FROM OLD.compared_with THEN
        RAISE EXCEPTION 'the comparison of a published edition never changes (page %)', OLD.page_ptr_id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF (NEW.area_key, NEW.area_name, NEW.frozen_at, NEW.area_figures, NEW.figures_sha256)
        IS DISTINCT FROM (OLD.area_key, OLD.area_name, OLD.frozen_at, OLD.area_figures, OLD.figures_sha256) THEN
        EXECUTE format('SELECT first_published_at FROM %I.wagtailcore_page WHERE id = $1', TG_TABLE_SCHEMA)
            INTO published USING OLD.page_ptr_id;
        IF published IS NOT NULL THEN
            RAISE EXCEPTION 'the figures of a published edition never change (page %)', OLD.page_ptr_id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
"""
# Undone: the guard as 0007 made it.
GUARD_OF_0007 = import_module("cms.migrations.0007_editions").FROZEN_GUARD


def record_comparisons(apps, schema_editor):
    """Editions published before this migration get the comparison they show now, once."""
    EditionPage = apps.get_model("cms", "EditionPage")
    published = EditionPage.objects.filter(first_published_at__isnull=False, compared_with__isnull=True)
    for page in published.order_by("frozen_at"):
        found = (
            EditionPage.objects.filter(live=True, area_key=page.area_key, frozen_at__lt=page.frozen_at)
            .exclude(pk=page.pk)
            .order_by("-frozen_at")
            .first()
        )
        record = (
            {"page": found.pk, "year": found.year, "title": found.title, "figures": found.area_figures} if found else {}
        )
        EditionPage.objects.filter(pk=page.pk).update(compared_with=record)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0007_editions"),
    ]

    operations = [
        migrations.AddField(
            model_name="editionpage",
            name="compared_with",
            field=models.JSONField(blank=True, editable=False, null=True, verbose_name="vergeleken met"),
        ),
        migrations.RunPython(record_comparisons, migrations.RunPython.noop),
        migrations.RunSQL(GUARD, GUARD_OF_0007),
    ]
