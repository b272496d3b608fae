"""Plausible, obviously fictional initiative profiles for the demo, the tests and the benchmark.

Names are built from the word lists of ``demo/data/initiatives.json`` ("Buurtkracht De Vlinder 1 (demo)"),
never real organisations'. Only builds the data; ``demo.loader`` registers it through the initiative services.
"""

from __future__ import annotations

import csv
import random
from decimal import Decimal

from initiatives.models import LegalForm, NeedKind, Phase, TargetGroup
from valuation.plausibility import Scale, unit_limit
from valuation.services import DEFAULT_CSV

from .content import INITIATIVES

KINDS: list[str] = INITIATIVES["kinds"]
NAMES: list[str] = INITIATIVES["names"]
DOMAIN_SDGS: dict[str, list[int]] = INITIATIVES["domain_sdgs"]
PARTNERS: list[str] = INITIATIVES["partners"]
# The demo's own list, not every ``initiatives.PartnerKind``: a new kind there must not change the demo.
PARTNER_KINDS: list[str] = INITIATIVES["partner_kinds"]
DISTRICTS: list[str] = INITIATIVES["districts"]
QUANTITIES: dict[str, tuple[int, int]] = {unit: tuple(span) for unit, span in INITIATIVES["quantities"].items()}


def _default_items() -> list[tuple[str, str]]:
    """(code, unit) of every item of the default price list, the activities a demo initiative reports."""
    with open(DEFAULT_CSV, encoding="utf-8", newline="") as fh:
        return [(row["code"], row["unit"]) for row in csv.DictReader(fh)]


DEFAULT_ITEMS = _default_items()


def name_for(i: int) -> str:
    return (
        f"{KINDS[i % len(KINDS)]} {NAMES[(i // len(KINDS)) % len(NAMES)]} {i // (len(KINDS) * len(NAMES)) + 1} (demo)"
    )


def income_mix(rng: random.Random) -> dict[str, int]:
    cuts = sorted(rng.sample(range(1, 100), 4))
    parts = [a - b for a, b in zip(cuts + [100], [0] + cuts, strict=True)]
    keys = ["income_subsidy", "income_funds", "income_sales", "income_contributions", "income_other"]
    return dict(zip(keys, parts, strict=True))


def _within_scale(fields: dict, activities: list[dict]) -> None:
    """Lower the quantities an initiative of this size could not deliver to the most it can
    (``valuation.plausibility``, docs/decisions/0019-plausible-figures.md): the random spans of
    ``demo/data/initiatives.json`` are drawn independently of the initiative's size, so a few draws (a small
    group declaring thousands of hours over several items) are implausible. Hour items share one budget and are
    lowered in proportion. Draws nothing: the random stream, and so every other figure, stays the same."""
    scale = Scale(fields["people_reached"], fields["volunteers"], fields["paid_staff"], fields["paid_fte"])
    units = dict(DEFAULT_ITEMS)
    hours = sum((a["quantity"] for a in activities if units[a["item_code"]] == "hour"), Decimal(0))
    for activity in activities:
        limit = unit_limit(units[activity["item_code"]], scale)
        if limit is None:
            continue
        most = int(limit[1])
        if limit[0] == "hours" and hours > most:
            activity["quantity"] = max(Decimal(1), Decimal(int(activity["quantity"] * most / hours)))
        elif limit[0] != "hours" and activity["quantity"] > most:
            activity["quantity"] = Decimal(max(1, most))


def phase_for(i: int, founding_year: int) -> str:
    """A plausible phase from the founding year, without drawing from the random stream (every other figure of
    demo initiative ``i`` stays what it was): young initiatives start, older ones grow or are mature; every
    tenth is an idea or starting anew whatever its age, so each phase occurs."""
    if i % 10 == 3:
        return Phase.IDEA if i % 20 == 3 else Phase.START
    if founding_year >= 2024:
        return Phase.START
    if founding_year >= 2015:
        return Phase.GROWTH
    return Phase.MATURE if i % 3 else Phase.GROWTH


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
        "district": rng.choice(DISTRICTS),
        "legal_form": rng.choice(
            [LegalForm.FOUNDATION, LegalForm.ASSOCIATION, LegalForm.INFORMAL, LegalForm.COOPERATIVE]
        ),
        "kvk_number": "",
        "founding_year": rng.randint(1985, 2025),
        # A website and a phone number (fictitious, drawn from nothing: every other figure stays as it was), so
        # that a demo profile can be complete and its initiative can apply to a MAEX Impuls round
        "website": f"https://demo-initiatief-{i}.example.org",
        "contact_name": "Demo Contactpersoon",
        "contact_email": f"contact{i}@example.org",
        "contact_phone": f"0100 {i:06d}",
        "target_groups": sorted(rng.sample(list(TargetGroup.values), rng.randint(1, 3))),
        "sdgs": sdgs,
        "value_domains": sorted(domains),
        "people_reached": rng.randint(20, 5000),
        "volunteers": rng.randint(2, 200),
        "paid_staff": paid,
        "paid_fte": Decimal(paid) * Decimal("0.6"),
        **income_mix(rng),
    }
    fields["phase"] = phase_for(i, fields["founding_year"])
    partners = [
        {"name": p, "kind": k} for p, k in zip(rng.sample(PARTNERS, 2), rng.sample(PARTNER_KINDS, 2), strict=True)
    ]
    needs = [
        # Whether a need is already met is drawn from a seed of its own, so the other draws stay as they were.
        {
            "kind": k,
            "text": "Zie toelichting op de pagina (demo).",
            "fulfilled": random.Random(f"need-{i}-{k}").random() < 0.3,
        }
        for k in rng.sample(list(NeedKind.values), rng.randint(0, 3))
    ]
    offers = (
        [{"name": "Catering voor bijeenkomsten", "description": "Lunch en soep (demo)."}] if rng.random() < 0.8 else []
    )
    activities = [
        {"item_code": code, "quantity": Decimal(rng.randint(*QUANTITIES[unit])), "description": "Demo-activiteit."}
        for code, unit in rng.sample(DEFAULT_ITEMS, rng.randint(1, 4))
    ]
    _within_scale(fields, activities)
    return {"fields": fields, "partners": partners, "needs": needs, "offers": offers, "activities": activities}
