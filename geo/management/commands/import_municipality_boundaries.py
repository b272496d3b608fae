"""Import municipality boundaries as compact SVG paths (docs/decisions/0033-municipality-map.md)."""

import json
from pathlib import Path
from urllib.parse import urlencode

from django.core.management.base import BaseCommand, CommandError

from geo import boundaries, http, services

PDOK_ITEMS = "https://api.pdok.nl/cbs/gebiedsindelingen/ogc/v1/collections/gemeente_gegeneraliseerd/items"
RD_CRS = "http://www.opengis.net/def/crs/EPSG/0/28992"
MAX_PAGES = 10


def pdok_url(year: int) -> str:
    """CBS's generalised municipality boundaries of one year on PDOK's OGC API Features, in RD New."""
    return f"{PDOK_ITEMS}?{urlencode({'f': 'json', 'jaarcode': year, 'limit': 1000, 'crs': RD_CRS})}"


def fetch_features(url: str) -> dict:
    """Every feature of the collection, following the ``next`` links, as one FeatureCollection."""
    features = []
    for _ in range(MAX_PAGES):
        page = http.get_json(url)
        if not isinstance(page.get("features"), list):
            raise CommandError("Het antwoord van PDOK is geen GeoJSON FeatureCollection.")
        features.extend(page["features"])
        url = next((link.get("href") for link in page.get("links", []) if link.get("rel") == "next"), "")
        if not url:
            return {"type": "FeatureCollection", "features": features}
    raise CommandError(f"Meer dan {MAX_PAGES} pagina's van PDOK: gestopt.")


class Command(BaseCommand):
    help = (
        "Importeert gemeentegrenzen (CBS/PDOK gebiedsindelingen, gegeneraliseerd; CC BY 4.0) uit PDOK's OGC API of "
        "uit een GeoJSON- of TopoJSON-bestand, vereenvoudigt ze en slaat per gemeente een SVG-pad op voor de kaart."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, default=2024, help="Jaar van de gemeentelijke indeling (standaard 2024)."
        )
        parser.add_argument("--file", default="", help="GeoJSON- of TopoJSON-bestand in plaats van PDOK.")
        parser.add_argument("--url", default="", help="Volledige URL van een GeoJSON-dienst in plaats van PDOK.")
        parser.add_argument(
            "--tolerance",
            type=float,
            default=boundaries.DEFAULT_TOLERANCE,
            help="Vereenvoudiging in hectometers (standaard 2, dus 200 m).",
        )
        parser.add_argument("--source", default="", help="Bronvermelding die bij de grenzen wordt opgeslagen.")

    def handle(self, *args, year, file, url, tolerance, source, **options):
        if tolerance < 0:
            raise CommandError("De tolerantie kan niet negatief zijn.")
        try:
            if file:
                try:
                    data = json.loads(Path(file).read_text(encoding="utf-8"))
                except (OSError, ValueError) as exc:
                    raise CommandError(f"{file} is geen leesbaar JSON-bestand: {exc}") from exc
                if not isinstance(data, dict):
                    raise CommandError(f"{file} is geen GeoJSON of TopoJSON.")
            else:
                data = fetch_features(url or pdok_url(year))
            shapes = boundaries.read(data, tolerance)
        except (http.FetchError, boundaries.BoundaryError) as exc:
            raise CommandError(str(exc)) from exc
        if not shapes:
            raise CommandError("Geen gemeentegrenzen met een CBS-code gevonden; niets gewijzigd.")
        source = source or (f"{Path(file).name}" if file else f"CBS/PDOK gebiedsindelingen, gemeenten {year}")
        result = services.store_shapes(shapes, year=year, source=source)
        size = sum(len(s.path) for s in shapes)
        self.stdout.write(
            f"{result.stored} gemeentegrenzen opgeslagen ({size / 1024:.0f} kB aan SVG-paden), indeling {year}."
        )
        if result.unknown_codes:
            self.stdout.write(
                f"{len(result.unknown_codes)} codes horen niet bij de huidige gemeentelijke indeling en zijn "
                f"overgeslagen: {', '.join(result.unknown_codes[:10])}"
            )
        if result.missing:
            self.stdout.write(
                f"{len(result.missing)} gemeenten hebben nog geen grens: {', '.join(result.missing[:10])}"
            )
