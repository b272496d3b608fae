"""Bring one portal back to the state of an export, leaving every other portal as it is.

    manage.py import_portal /backups/zeeland-2026-12-02.tar.gz [--schema zeeland]

All or nothing: refused with a message when the export's migrations differ from the code's or when the restore
would lose or double an initiative (docs/architecture.md, "Restoring one portal").
"""

from django.core.management.base import BaseCommand, CommandError

from portals.backup import RestoreRefused, import_portal


class Command(BaseCommand):
    help = "Replace one portal's schema and media by an export of export_portal, then align the national index."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a file written by export_portal")
        parser.add_argument("--schema", help="the portal to restore (default: the schema the export was made of)")

    def handle(self, *args, file, schema, **options):
        try:
            result = import_portal(file, schema=schema)
        except (RestoreRefused, FileNotFoundError) as exc:
            raise CommandError(f"Niets geïmporteerd. {exc}") from exc
        for uuid, slug in result.left_out_moved:
            self.stdout.write(f"  niet teruggezet (woont nu op een ander portaal): {slug} ({uuid})")
        for uuid, slug in result.removed_since:
            self.stdout.write(f"  verdwenen (na de export aangemeld): {slug} ({uuid})")
        self.stdout.write(
            self.style.SUCCESS(
                f"Portaal {result.schema} teruggezet: {result.tables} tabellen, {result.rows} rijen, "
                f"{result.files} bestanden, {result.initiatives} initiatieven in de landelijke index bijgewerkt."
            )
        )
