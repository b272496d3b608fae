"""Export one portal's schema and media to one file (docs/architecture.md, "Restoring one portal").

manage.py export_portal zeeland /backups/zeeland-2026-12-02.tar.gz
"""

from django.core.management.base import BaseCommand, CommandError

from portals.backup import RestoreRefused, export_portal


class Command(BaseCommand):
    help = "Export one portal (its schema's rows and its media folder) to a .tar.gz file; import_portal restores it."

    def add_arguments(self, parser):
        parser.add_argument("schema", help="the portal's schema name, e.g. zeeland")
        parser.add_argument("file", help="the file to write, e.g. zeeland.tar.gz")

    def handle(self, *args, schema, file, **options):
        try:
            result = export_portal(schema, file)
        except RestoreRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Portaal {result.schema} geëxporteerd naar {result.path}: {result.tables} tabellen, "
                f"{result.rows} rijen, {result.files} bestanden."
            )
        )
