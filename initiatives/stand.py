"""The labels of the Stand van het Land's figures (docs/decisions/0034-the-full-stand-van-het-land.md): the
national index stores the codes of the profile's choices, this layer knows their names. The page's sections
(``initiatives/templatetags/stand_tags.py``) and the Stand's CSV read their labels here, so both name a kind
alike."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext_lazy as _

from geo.models import SDG, ValueDomain
from national_index.cells import cell
from national_index.figures import ROW_FIGURES

from .models import LegalForm, NeedKind, PartnerKind, Phase

NOT_STATED = _("Niet opgegeven")

CHOICES = {
    "needs": NeedKind,
    "needs_fulfilled": NeedKind,
    "partner_kinds": PartnerKind,
    "legal_forms": LegalForm,
    "phases": Phase,
}

INCOME = {
    "income_subsidy": _("Subsidie"),
    "income_funds": _("Fondsen"),
    "income_sales": _("Verkoop van producten of diensten"),
    "income_contributions": _("Bijdragen en giften"),
    "income_other": _("Overige inkomsten"),
}

TOTALS = {
    "initiatives": _("Initiatieven"),
    "people_reached": _("Mensen bereikt per jaar"),
    "volunteers": _("Vrijwilligers"),
    "paid_staff": _("Betaalde medewerkers (personen)"),
    "paid_fte": _("Betaalde medewerkers (fte)"),
    "deliveries": _("Welzijnsleveringen per jaar"),
    "social_value": _("Maatschappelijke waarde per jaar (euro)"),
    "valued_initiatives": _("Initiatieven die meetellen in de waarde in euro"),
    "withheld_initiatives": _("Initiatieven die niet meetellen in de waarde in euro"),
    "price_list_version": _("Prijslijstversies"),
    "uses_examples": _("Voorbeeldwaarden tellen mee in de waarde"),
    "demo_initiatives": _("Fictieve initiatieven (demodata)"),
    "selling_initiatives": _("Initiatieven die producten of diensten verkopen"),
    "selling_share": _("Aandeel initiatieven dat verkoopt (procent)"),
    "sales_share_of_sellers": _("Gemiddeld aandeel verkoop in de inkomsten van de verkopers (procent)"),
}

MEASURES = {
    "initiatives": _("Initiatieven"),
    "people_reached": _("Mensen bereikt"),
    "volunteers": _("Vrijwilligers"),
    "paid_staff": _("Betaalde medewerkers"),
    "paid_fte": _("Fte"),
    "deliveries": _("Welzijnsleveringen"),
    "social_value": _("Waarde in euro"),
    "valued_initiatives": _("Initiatieven in de waarde in euro"),
    "withheld_initiatives": _("Initiatieven niet in de waarde in euro"),
    "demo_initiatives": _("Fictief"),
    "uses_examples": _("Voorbeeldwaarden"),
    "share": _("Aandeel (procent)"),
    "name": _("Naam"),
}


def euros_per_key(totals: dict) -> bool:
    """Whether the value per domain and per SDG of an area may be shown in euros (decision 0020): only when every
    initiative of the area counts in euros; else as shares of the value."""
    return bool(totals["valued_initiatives"]) and not totals["withheld_initiatives"]


def label(figure: str, key: str) -> str:
    """The name of ``key`` in the breakdown ``figure`` (a code of the profile's choices, an income source); "" is
    "Niet opgegeven"; a code no longer offered keeps its code."""
    if key == "" or key is None:
        return str(NOT_STATED)
    if figure in CHOICES:
        try:
            return str(CHOICES[figure](key).label)
        except ValueError:
            return str(key)
    if figure == "income_mix":
        return str(INCOME.get(key, key))
    if figure == "totals":
        return str(TOTALS.get(key, key))
    return str(key)


def choice_rows(figure: str, counts: dict) -> list[tuple[str, str, int]]:
    """[(code, label, initiatives)] for a breakdown by a choice: every choice in the model's order (0 where none),
    then any code no longer offered, then "not stated" when some did not state it."""
    rows = [(str(value), str(name), counts.get(value, 0)) for value, name in CHOICES[figure].choices]
    known = {value for value, _name in CHOICES[figure].choices}
    rows += [(k, label(figure, k), n) for k, n in sorted(counts.items()) if k not in known and k != ""]
    if counts.get(""):
        rows.append(("", str(NOT_STATED), counts[""]))
    return rows


def needs_rows(open_needs: dict, fulfilled: dict) -> list[tuple[str, str, list[int]]]:
    """[(kind, label, [open, fulfilled])] for every kind of need."""
    return [
        (str(value), str(name), [open_needs.get(value, 0), fulfilled.get(value, 0)]) for value, name in NeedKind.choices
    ]


def income_rows(mix: dict) -> list[tuple[str, str, object]]:
    return [(key, str(name), mix.get(key)) for key, name in INCOME.items()]


def decade_rows(founding_years: dict) -> list[tuple[str, str, int]]:
    """Initiatives per decade of founding (``{"1994": n}`` → ``("1990", "1990–1999", n)``), oldest first."""
    decades: dict[int, int] = {}
    for year, n in founding_years.items():
        decade = int(year) // 10 * 10
        decades[decade] = decades.get(decade, 0) + n
    return [(str(d), f"{d}–{d + 9}", n) for d, n in sorted(decades.items())]


def district_rows(districts: dict) -> list[tuple[str, str, dict]]:
    """[(district, label, measures)], named districts by name, "not stated" last."""
    rows = [(k, k, v) for k, v in sorted(districts.items()) if k]
    if "" in districts:
        rows.append(("", str(NOT_STATED), districts[""]))
    return rows


MEASURES_NEEDS = (_("open"), _("vervuld"))


# --- the Stand's figures as rows: the Stand's CSV (portals/stand_csv.py) and a yearly edition's CSV (cms) -----

FIELDS = ["figure", "breakdown", "key", "label", "value"]
KEYED = ("needs", "needs_fulfilled", "partner_kinds", "legal_forms", "phases")
BY_KEY_MEASURES = ("social_value", "initiatives", "valued_initiatives", "share")
DISTRICT_MEASURES = ("initiatives", "people_reached", "volunteers")


def key_names() -> dict[str, dict[str, str]]:
    """The names of the keys of ``domains`` (a value domain's code) and ``sdgs`` (an SDG's number, "3. Goede
    gezondheid en welzijn"), as the CSV and an edition's PDF name them (two queries)."""
    return {
        "domains": {d.code: d.name for d in ValueDomain.objects.all()},
        "sdgs": {str(s.number): f"{s.number}. {s.name}" for s in SDG.objects.all()},
    }


def figure_rows(figures: dict) -> list[tuple[str, str, str, str, object]]:
    """Every number of ``figures`` (``national_index.figures.public_figures``) as (figure, breakdown, key, label,
    value), in the order of the page (two queries: the names of the domains and the SDGs)."""
    rows: list[tuple[str, str, str, str, object]] = []
    totals = figures["totals"]
    for key in TOTALS:
        rows.append(("totals", "", key, label("totals", key), totals[key]))
    for key, value in figures["income_mix"].items():
        rows.append(("income_mix", "", key, label("income_mix", key), value))
    for figure in KEYED:
        for key, value in figures[figure].items():
            rows.append((figure, "", key, label(figure, key), value))
    names = key_names()
    for figure in ("domains", "sdgs"):
        for key, measures in figures[figure].items():
            for measure in BY_KEY_MEASURES:
                rows.append((figure, measure, key, names[figure].get(key, key), measures[measure]))
    for key, value in figures["founding_years"].items():
        rows.append(("founding_years", "", key, key, value))
    for key, measures in figures["districts"].items():
        for measure in DISTRICT_MEASURES:
            rows.append(("districts", measure, key, key or str(NOT_STATED), measures[measure]))
    for figure in ("portals", "provinces"):
        for key, measures in figures[figure].items():
            for measure in ROW_FIGURES:
                rows.append((figure, measure, key, measures["name"], measures[measure]))
    return rows


def figures_csv(figures: dict) -> str:
    """The CSV text of ``figures`` (``FIELDS``, one row per number of ``figure_rows``): the Stand's CSV and a
    yearly edition's CSV are this one text of their figures."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(FIELDS)
    for figure, breakdown, key, label, value in figure_rows(figures):
        writer.writerow([figure, breakdown, cell(key), cell(label), cell(value)])
    return out.getvalue()
