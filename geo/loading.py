"""Loads the reference CSV files in geo/data into the database (idempotent: keyed by code)."""

import csv
from pathlib import Path

from django.apps import apps as installed_apps

DATA = Path(__file__).resolve().parent / "data"


def _rows(name):
    with open(DATA / name, encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def load_reference_data(apps=None):
    """Load or update the reference data, with a migration's historical ``apps`` or else the installed ones."""
    apps = apps or installed_apps
    Province = apps.get_model("geo", "Province")
    Municipality = apps.get_model("geo", "Municipality")
    SDG = apps.get_model("geo", "SDG")
    ValueDomain = apps.get_model("geo", "ValueDomain")

    provinces = {}
    for row in _rows("provinces.csv"):
        provinces[row["cbs_code"]], _ = Province.objects.update_or_create(
            cbs_code=row["cbs_code"], defaults={"name": row["name"]}
        )
    for row in _rows("municipalities.csv"):
        Municipality.objects.update_or_create(
            cbs_code=row["cbs_code"], defaults={"name": row["name"], "province": provinces[row["province_code"]]}
        )
    for row in _rows("sdgs.csv"):
        SDG.objects.update_or_create(
            number=int(row["number"]),
            defaults={"name_nl": row["name_nl"], "name_en": row["name_en"], "color_hex": row["color_hex"]},
        )
    for row in _rows("value_domains.csv"):
        ValueDomain.objects.update_or_create(
            code=row["code"],
            defaults={"name_nl": row["name_nl"], "name_en": row["name_en"], "position": int(row["position"])},
        )


POPULATION_FILE = "population.csv"  # cbs_code, inhabitants, year (geo/data/SOURCES.md)
SHAPES_FILE = "municipality_shapes.csv"  # cbs_code, year, min_x, min_y, max_x, max_y, path (geo/boundaries.py)
SHAPES_SOURCE = "CBS/PDOK gebiedsindelingen (via cartomap/nl), gemeente_2024, vereenvoudigd"


def load_population(apps=None) -> int:
    """The shipped CBS population figures, if the file is there (by CBS code; other municipalities keep theirs)."""
    apps = apps or installed_apps
    Municipality = apps.get_model("geo", "Municipality")
    if not (DATA / POPULATION_FILE).exists():
        return 0
    rows = {r["cbs_code"]: (int(r["inhabitants"]), int(r["year"])) for r in _rows(POPULATION_FILE)}
    found = list(Municipality.objects.filter(cbs_code__in=rows))
    for m in found:
        m.population, m.population_year = rows[m.cbs_code]
    Municipality.objects.bulk_update(found, ["population", "population_year"])
    return len(found)


def load_shapes(apps=None) -> int:
    """The shipped simplified municipality boundaries, if the file is there."""
    apps = apps or installed_apps
    Municipality = apps.get_model("geo", "Municipality")
    MunicipalityShape = apps.get_model("geo", "MunicipalityShape")
    if not (DATA / SHAPES_FILE).exists():
        return 0
    by_code = {m.cbs_code: m for m in Municipality.objects.all()}
    stored = 0
    for r in _rows(SHAPES_FILE):
        municipality = by_code.get(r["cbs_code"])
        if municipality is None:
            continue
        MunicipalityShape.objects.update_or_create(
            municipality=municipality,
            defaults={
                "path": r["path"],
                "min_x": int(r["min_x"]),
                "min_y": int(r["min_y"]),
                "max_x": int(r["max_x"]),
                "max_y": int(r["max_y"]),
                "year": int(r["year"]),
                "source": SHAPES_SOURCE,
            },
        )
        stored += 1
    return stored
