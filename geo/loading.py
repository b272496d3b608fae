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
