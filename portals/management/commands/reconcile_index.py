from django.core.management.base import BaseCommand

from portals.reconcile import reconcile


class Command(BaseCommand):
    help = "Verify the national index against every portal; rebuild what differs (or only report with --check)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Only report; change nothing.")

    def handle(self, *args, check, **options):
        report = reconcile(repair=not check)
        for line in report.lines():
            self.stdout.write(line)
        if check and not report.clean:
            raise SystemExit(1)
