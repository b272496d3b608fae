"""Plausible, obviously fictional initiative profiles for the demo and the benchmark.

Names are built from word lists ("Buurtkracht De Vlinder (demo)"), never real organisations'.
"""

from __future__ import annotations

import random
from decimal import Decimal

from .models import LegalForm, NeedKind, PartnerKind, TargetGroup

KINDS = [
    "Buurtkracht",
    "Wijkkeuken",
    "Repair Café",
    "Taalmaatjes",
    "Moestuin",
    "Energiecoöperatie",
    "Buurthuis",
    "Klusploeg",
    "Voedselbank",
    "Muziekatelier",
    "Sportmaatjes",
    "Kledingruil",
    "Zorgcoöperatie",
    "Jongerenwerkplaats",
    "Fietsatelier",
    "Natuurtuin",
    "Huiswerkklas",
    "Buurtbus",
    "Wijkbedrijf",
    "Stadsimkerij",
]
NAMES = [
    "De Vlinder",
    "Het Anker",
    "De Zeester",
    "Oost",
    "De Linde",
    "Het Baken",
    "De Kaap",
    "Noorderlicht",
    "De Brug",
    "Zonnewijzer",
    "De Duinroos",
    "Het Veer",
    "De Meeuw",
    "Kompas",
    "De Wilg",
    "Het Haventje",
    "De Boei",
    "Morgenrood",
    "De Kastanje",
    "Het Gemaal",
    "De Polder",
    "Zilvermeeuw",
    "De Schelp",
    "Het Dijkje",
]
DOMAIN_SDGS = {
    "armoede": [1, 2, 10],
    "insluiting": [10, 16],
    "zorg": [3],
    "werk": [8],
    "educatie": [4],
    "energie": [7, 13],
    "groen": [11, 15],
    "cultuur": [11, 17],
}
PARTNERS = [
    "Gemeente (demo)",
    "Provincie (demo)",
    "Fonds Voorbeeld",
    "Bouwbedrijf Voorbeeld",
    "Hogeschool Voorbeeld",
    "Vrienden van de buurt",
]


def name_for(i: int) -> str:
    return (
        f"{KINDS[i % len(KINDS)]} {NAMES[(i // len(KINDS)) % len(NAMES)]} {i // (len(KINDS) * len(NAMES)) + 1} (demo)"
    )


def income_mix(rng: random.Random) -> dict[str, int]:
    cuts = sorted(rng.sample(range(1, 100), 4))
    parts = [a - b for a, b in zip(cuts + [100], [0] + cuts, strict=True)]
    keys = ["income_subsidy", "income_funds", "income_sales", "income_contributions", "income_other"]
    return dict(zip(keys, parts, strict=True))


def profile_data(i: int, municipality, rng: random.Random) -> dict:
    """The fields, partners, needs and offers of demo initiative number ``i``."""
    domains = rng.sample(list(DOMAIN_SDGS), rng.randint(1, 3))
    sdgs = sorted({n for d in domains for n in DOMAIN_SDGS[d]})
    paid = rng.choice([0, 0, 0, 1, 2, 3, 5])
    kind_idx = i % len(KINDS)
    name = name_for(i)
    fields = {
        "name": name,
        "short_description": f"{KINDS[kind_idx]} in {municipality.display_name}: samen sterker in de buurt.",
        "description": (
            f"{name} is een fictief demo-initiatief. Bewoners organiseren wekelijks activiteiten "
            f"voor en met de buurt in {municipality.display_name}."
        ),
        "municipality": municipality,
        "district": rng.choice(["", "Centrum", "Noord", "Oost", "Zuid", "West"]),
        "legal_form": rng.choice(
            [LegalForm.FOUNDATION, LegalForm.ASSOCIATION, LegalForm.INFORMAL, LegalForm.COOPERATIVE]
        ),
        "kvk_number": "",
        "founding_year": rng.randint(1985, 2025),
        "website": "",
        "contact_name": "Demo Contactpersoon",
        "contact_email": f"contact{i}@example.org",
        "contact_phone": "",
        "target_groups": sorted(rng.sample(list(TargetGroup.values), rng.randint(1, 3))),
        "sdgs": sdgs,
        "value_domains": sorted(domains),
        "people_reached": rng.randint(20, 5000),
        "volunteers": rng.randint(2, 200),
        "paid_staff": paid,
        "paid_fte": Decimal(paid) * Decimal("0.6"),
        **income_mix(rng),
    }
    partners = [
        {"name": p, "kind": k}
        for p, k in zip(rng.sample(PARTNERS, 2), rng.sample(list(PartnerKind.values), 2), strict=True)
    ]
    needs = [
        {"kind": k, "text": "Zie toelichting op de pagina (demo)."}
        for k in rng.sample(list(NeedKind.values), rng.randint(0, 3))
    ]
    offers = (
        [{"name": "Catering voor bijeenkomsten", "description": "Lunch en soep (demo)."}] if rng.random() < 0.8 else []
    )
    activities = [
        {"item_code": code, "quantity": Decimal(rng.randint(*QUANTITIES[unit])), "description": "Demo-activiteit."}
        for code, unit in rng.sample(DEFAULT_ITEMS, rng.randint(1, 4))
    ]
    return {"fields": fields, "partners": partners, "needs": needs, "offers": offers, "activities": activities}


def _default_items() -> list[tuple[str, str]]:
    import csv

    from valuation.services import DEFAULT_CSV

    with open(DEFAULT_CSV, encoding="utf-8", newline="") as fh:
        return [(row["code"], row["unit"]) for row in csv.DictReader(fh)]


DEFAULT_ITEMS = _default_items()
QUANTITIES = {
    "hour": (50, 4000),
    "meal": (100, 10000),
    "household": (10, 800),
    "participant": (10, 2000),
    "event": (1, 20),
    "kwh": (1000, 200000),
    "item": (20, 1500),
    "person_year": (1, 40),
    "year": (1, 3),
}
