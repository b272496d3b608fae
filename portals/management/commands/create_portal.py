"""Launch a regional portal from the command line, with the same service as the national admin's form.

    manage.py create_portal --name "MAEX Zeeland" --schema zeeland --kind province \\
        --host zeeland.maex.nl --municipality GM0718 --municipality GM0716 --admin-email beheer@example.org

Prints each step with its time (clone, coverage, move, index, invitation) and the total. All or nothing.
"""

from django.core.management.base import BaseCommand, CommandError

from branding.palettes import PALETTES
from portals.launch import LAUNCH_KINDS, LaunchRefused, launch_portal


class Command(BaseCommand):
    help = "Launch a regional portal: clone, coverage, move its initiatives, index, invite its first admin."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="the portal's name, e.g. 'MAEX Zeeland'")
        parser.add_argument("--schema", required=True, help="schema name: lowercase letters, digits, _")
        parser.add_argument("--kind", required=True, choices=[str(k) for k in LAUNCH_KINDS])
        parser.add_argument("--host", action="append", required=True, help="a host name (repeat; the first is primary)")
        parser.add_argument(
            "--municipality",
            action="append",
            required=True,
            help="a CBS municipality code such as GM0718 (repeat, or separate with commas)",
        )
        parser.add_argument("--admin-email", required=True, help="the first admin, who gets an invitation")
        parser.add_argument(
            "--palette",
            choices=[palette.key for palette in PALETTES],
            default="",
            help="starting colours (branding/palettes.py); default: the national colours",
        )
        parser.add_argument(
            "--no-review", action="store_true", help="publish new registrations at once (default: review first)"
        )

    def handle(self, *args, **options):
        steps = []

        def progress(step):
            steps.append(step)
            self.stdout.write(f"  {len(steps)}. {step.label:30} {step.seconds:7.2f} s  {step.detail}")

        self.stdout.write(f"Portaal {options['schema']} wordt aangemaakt ...")
        try:
            report = launch_portal(
                name=options["name"],
                schema_name=options["schema"],
                kind=options["kind"],
                hosts=options["host"],
                municipality_codes=",".join(options["municipality"]),
                first_admin_email=options["admin_email"],
                review_required=not options["no_review"],
                palette=options["palette"],
                progress=progress,
            )
        except LaunchRefused as exc:
            raise CommandError("Niets aangemaakt. " + " ".join(exc.problems.values())) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Portaal {report.portal.name} ({report.portal.schema_name}) staat live op "
                f"{report.portal.absolute_url()} in {report.seconds:.2f} s totaal; "
                f"verhuisde initiatieven: {report.moved}; uitnodiging aan {report.admin_email}."
            )
        )
