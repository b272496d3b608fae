"""Update the municipalities' population from CBS StatLine (docs/decisions/0033-municipality-map.md)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from geo import http, population


class Command(BaseCommand):
    help = (
        "Werkt het aantal inwoners per gemeente bij uit CBS StatLine (open data, OData v3 JSON; standaard tabel "
        "70072ned, Regionale kerncijfers Nederland, bevolking op 1 januari). Bron: CBS, CC BY 4.0."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Jaar van de peildatum 1 januari, bv. 2025.")
        parser.add_argument("--table", default=population.DEFAULT_TABLE, help="CBS-tabel (standaard 70072ned).")
        parser.add_argument("--topic", default=population.DEFAULT_TOPIC, help="Onderwerp met het aantal inwoners.")
        parser.add_argument("--url", default="", help="Volledige URL van de dataset (in plaats van de standaard).")
        parser.add_argument("--file", default="", help="Een opgeslagen JSON-antwoord van CBS in plaats van de dienst.")
        parser.add_argument("--dry-run", action="store_true", help="Alleen tellen, niets opslaan.")

    def handle(self, *args, year, table, topic, url, file, dry_run, **options):
        if not 1990 <= year <= 2100:
            raise CommandError(f"{year} is geen geldig jaar.")
        try:
            if file:
                try:
                    data = json.loads(Path(file).read_text(encoding="utf-8"))
                except (OSError, ValueError) as exc:
                    raise CommandError(f"{file} is geen leesbaar JSON-bestand: {exc}") from exc
                rows = data.get("value") if isinstance(data, dict) else None
                if not isinstance(rows, list):
                    raise CommandError(f"{file} heeft geen lijst 'value' (het antwoord van CBS).")
            else:
                rows = population.fetch_rows(url or population.dataset_url(year, table=table, topic=topic))
            found = population.figures(rows, year, topic)
        except (http.FetchError, population.PopulationError) as exc:
            raise CommandError(str(exc)) from exc
        if not found:
            raise CommandError(f"Geen inwonertallen van gemeenten voor {year} in het antwoord; niets gewijzigd.")
        if dry_run:
            self.stdout.write(f"{len(found)} gemeenten met een inwonertal voor {year} (niets opgeslagen).")
            return
        result = population.store(found, year)
        self.stdout.write(f"{result.updated} gemeenten bijgewerkt: inwoners op 1 januari {year} (Bron: CBS).")
        if result.unknown_codes:
            self.stdout.write(
                f"{len(result.unknown_codes)} codes horen niet bij de huidige gemeentelijke indeling en zijn "
                f"overgeslagen: {', '.join(result.unknown_codes[:10])}"
            )
        if result.missing:
            self.stdout.write(
                f"{len(result.missing)} gemeenten kregen geen cijfer en houden hun vorige: "
                f"{', '.join(result.missing[:10])}"
            )
