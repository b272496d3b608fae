"""CBS population per municipality from StatLine's open data service (OData v3 JSON), for
``import_cbs_population`` and the shipped reference file (geo/data/SOURCES.md, docs/decisions/0033-municipality-map.md).

The default table is 70072ned, *Regionale kerncijfers Nederland*: one row per region (``RegioS``, a CBS code padded
with spaces, e.g. ``"GM0014    "``) and period (``Perioden``, ``"2024JJ00"`` for 2024), the population on 1 January
in the topic ``TotaleBevolking_1``. The TypedDataSet answers at most 10 000 rows a request and names the next page
in ``odata.nextLink``."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from django.db import transaction

from . import http
from .models import Municipality

ODATA_BASE = "https://opendata.cbs.nl/ODataApi/odata"
DEFAULT_TABLE = "70072ned"
DEFAULT_TOPIC = "TotaleBevolking_1"
MAX_PAGES = 20  # 342 municipalities fit in one page; a bound, not an expectation


class PopulationError(ValueError):
    """The answer is not what the command reads; the message says why (Dutch)."""


@dataclass(frozen=True)
class Result:
    updated: int
    unknown_codes: list[str]  # CBS codes in the answer that are not a municipality of the current division
    missing: list[str]  # municipalities without a figure in the answer


def dataset_url(year: int, *, table: str = DEFAULT_TABLE, topic: str = DEFAULT_TOPIC, base: str = ODATA_BASE) -> str:
    """The municipalities' rows of one year: ``RegioS`` starting with GM, ``Perioden`` the year."""
    query = f"startswith(RegioS,'GM') and Perioden eq '{year}JJ00'"
    return (
        f"{base.rstrip('/')}/{table}/TypedDataSet?$format=json"
        f"&$filter={quote(query)}&$select={quote(f'RegioS,Perioden,{topic}')}"
    )


def fetch_rows(url: str) -> list[dict]:
    """Every row of the dataset at ``url``, following ``odata.nextLink``."""
    rows: list[dict] = []
    for _ in range(MAX_PAGES):
        page = http.get_json(url)
        if not isinstance(page.get("value"), list):
            raise PopulationError("Het antwoord van CBS heeft geen lijst 'value'.")
        rows.extend(page["value"])
        url = page.get("odata.nextLink") or page.get("@odata.nextLink") or ""
        if not url:
            return rows
    raise PopulationError(f"Meer dan {MAX_PAGES} pagina's: gestopt.")


def figures(rows: list[dict], year: int, topic: str = DEFAULT_TOPIC) -> dict[str, int]:
    """CBS code -> inhabitants, for the rows of ``year`` with a figure (CBS leaves a figure out as null)."""
    period = f"{year}JJ00"
    found: dict[str, int] = {}
    for row in rows:
        code = str(row.get("RegioS") or "").strip()
        if not code.startswith("GM") or str(row.get("Perioden") or "").strip() != period:
            continue
        value = row.get(topic)
        if value is None:
            continue
        try:
            inhabitants = int(value)
        except (TypeError, ValueError) as exc:
            raise PopulationError(f"{code}: {value!r} is geen aantal inwoners.") from exc
        if inhabitants < 0:
            raise PopulationError(f"{code}: {inhabitants} is geen aantal inwoners.")
        found[code] = inhabitants
    return found


def store(found: dict[str, int], year: int, municipalities=None) -> Result:
    """Write the figures onto the municipalities of the current division, in one transaction."""
    municipalities = municipalities if municipalities is not None else Municipality.objects
    with transaction.atomic():
        rows = list(municipalities.select_for_update().filter(cbs_code__in=found))
        for municipality in rows:
            municipality.population = found[municipality.cbs_code]
            municipality.population_year = year
        municipalities.bulk_update(rows, ["population", "population_year"])
        known = {m.cbs_code for m in rows}
        missing = sorted(municipalities.exclude(cbs_code__in=found).values_list("cbs_code", flat=True))
    return Result(len(rows), sorted(set(found) - known), missing)
