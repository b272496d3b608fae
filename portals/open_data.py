"""Open data files: the national index as CSV, JSON and JSON lines, the snapshots as a time series, the data
dictionary page and the DCAT-AP catalogue entry (docs/decisions/0031-open-data-files.md).

Every row of the initiatives files is the API's own item (``national_index.api.InitiativeOut``, the same field
logic and so the same euro rule of decision 0020), ``uses_examples`` included (the index's own column since
decision 0034, so file and API cannot disagree); the files are streamed from a server-side cursor, so memory
does not grow with the number of rows.
"""

from __future__ import annotations

import csv
import json
from dataclasses import replace

from django.http import HttpResponseBadRequest, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from ninja.responses import NinjaJSONEncoder
from pydantic import ValidationError

from national_index import graadmeter_store, selectors
from national_index.api import Filters, InitiativeOut
from national_index.cells import cell
from national_index.conditional import conditional, graadmeter_conditional, snapshots_conditional
from national_index.licence import LICENCE_URL, with_licence
from national_index.models import Snapshot
from national_index.stand import PARAMETER, graadmeter_area

CHUNK = 2000  # rows per fetch from the server-side cursor

# The initiatives files' columns: the API item's fields (without its deprecated ``sdgs``).
# (name, meaning, unit)
INITIATIVE_COLUMNS = [
    ("uuid", gettext_lazy("Vaste identificatie van het initiatief"), ""),
    ("name", gettext_lazy("Naam"), ""),
    ("short_description", gettext_lazy("Korte omschrijving"), ""),
    ("url", gettext_lazy("Pagina van het initiatief op zijn portaal"), gettext_lazy("URL")),
    ("portal", gettext_lazy("Portaal (schemanaam)"), ""),
    ("portal_name", gettext_lazy("Naam van het portaal"), ""),
    ("municipality_code", gettext_lazy("Gemeente"), gettext_lazy("CBS-gemeentecode")),
    ("municipality", gettext_lazy("Naam van de gemeente"), ""),
    ("province_code", gettext_lazy("Provincie"), gettext_lazy("CBS-provinciecode")),
    ("province", gettext_lazy("Naam van de provincie"), ""),
    ("legal_form", gettext_lazy("Rechtsvorm"), gettext_lazy("code")),
    ("founding_year", gettext_lazy("Jaar van oprichting"), gettext_lazy("jaar")),
    (
        "declared_sdgs",
        gettext_lazy("SDG's die het initiatief zelf aanvinkt"),
        gettext_lazy("SDG-nummers, ; gescheiden"),
    ),
    (
        "handprint_sdgs",
        gettext_lazy("SDG's met waarde volgens de prijslijst (Social Handprint)"),
        gettext_lazy("SDG-nummers, ; gescheiden"),
    ),
    ("value_domains", gettext_lazy("Waardedomeinen"), gettext_lazy("codes, ; gescheiden")),
    ("target_groups", gettext_lazy("Doelgroepen"), gettext_lazy("codes, ; gescheiden")),
    ("needs", gettext_lazy("Open behoeften"), gettext_lazy("codes, ; gescheiden")),
    ("offers_count", gettext_lazy("Aantal aanbiedingen"), gettext_lazy("aantal")),
    ("people_reached", gettext_lazy("Mensen bereikt per jaar"), gettext_lazy("personen")),
    ("volunteers", gettext_lazy("Vrijwilligers"), gettext_lazy("personen")),
    ("paid_staff", gettext_lazy("Betaalde medewerkers"), gettext_lazy("personen")),
    ("paid_fte", gettext_lazy("Betaalde medewerkers"), gettext_lazy("fte")),
    ("income_subsidy", gettext_lazy("Inkomsten uit subsidie"), gettext_lazy("procent van de inkomsten")),
    ("income_funds", gettext_lazy("Inkomsten uit fondsen"), gettext_lazy("procent van de inkomsten")),
    (
        "income_sales",
        gettext_lazy("Inkomsten uit verkoop van producten of diensten"),
        gettext_lazy("procent van de inkomsten"),
    ),
    (
        "income_contributions",
        gettext_lazy("Inkomsten uit bijdragen en giften"),
        gettext_lazy("procent van de inkomsten"),
    ),
    ("income_other", gettext_lazy("Overige inkomsten"), gettext_lazy("procent van de inkomsten")),
    (
        "published_at",
        gettext_lazy("Gepubliceerd op, in Europe/Amsterdam"),
        gettext_lazy("datum en tijd met UTC-verschil, ISO 8601"),
    ),
    ("valued_with", gettext_lazy("Prijslijstversie waarmee de waarde is berekend"), ""),
    (
        "price_list_version",
        gettext_lazy("Prijslijstversie waarmee social_value is berekend; leeg als social_value"),
        "",
    ),
    (
        "uses_examples",
        gettext_lazy("Een voorbeeldwaarde zonder citeerbare bron telt mee in de waarde"),
        gettext_lazy("true/false; leeg als social_value"),
    ),
    ("deliveries", gettext_lazy("Welzijnsleveringen per jaar"), gettext_lazy("aantal")),
    (
        "social_value",
        gettext_lazy("Maatschappelijke waarde per jaar; leeg waar het portaal geen eurobedragen toont"),
        gettext_lazy("euro"),
    ),
    ("value_by_domain", gettext_lazy("Waarde per domein; leeg als social_value"), gettext_lazy("euro, JSON-object")),
    (
        "value_by_sdg",
        gettext_lazy("Waarde per SDG volgens de prijslijst; leeg als social_value"),
        gettext_lazy("euro, JSON-object"),
    ),
    ("share_by_domain", gettext_lazy("Aandeel per domein (altijd openbaar)"), gettext_lazy("procent, JSON-object")),
    (
        "share_by_sdg",
        gettext_lazy("Aandeel per SDG volgens de prijslijst (altijd openbaar)"),
        gettext_lazy("procent, JSON-object"),
    ),
    (
        "is_demo",
        gettext_lazy("Fictief initiatief van de demo (demodata); false buiten een demo"),
        gettext_lazy("true/false"),
    ),
]
INITIATIVE_FIELDS = [name for name, _meaning, _unit in INITIATIVE_COLUMNS]

SNAPSHOT_COLUMNS = [
    ("date", gettext_lazy("Dag van de meting (Europe/Amsterdam)"), gettext_lazy("datum, ISO 8601")),
    ("scope", gettext_lazy("Gebied: nl, portal:<schemanaam> of province:<CBS-provinciecode>"), ""),
    ("initiatives", gettext_lazy("Gepubliceerde initiatieven"), gettext_lazy("aantal")),
    ("people_reached", gettext_lazy("Mensen bereikt per jaar"), gettext_lazy("personen")),
    ("volunteers", gettext_lazy("Vrijwilligers"), gettext_lazy("personen")),
    ("paid_staff", gettext_lazy("Betaalde medewerkers"), gettext_lazy("personen")),
]
SNAPSHOT_FIELDS = [name for name, _meaning, _unit in SNAPSHOT_COLUMNS]

# The MAEX graadmeter of one area (docs/decisions/0032-the-maex-graadmeter.md): the API's series, row by row.
_PUBLIC_ONLY = gettext_lazy("; leeg waar de eurobedragen van het gebied niet openbaar zijn")


def _public_only(meaning):
    """A meaning with ``_PUBLIC_ONLY`` after it, translated when shown (``+`` of two lazy texts would fix the Dutch
    when this module is imported)."""
    return format_lazy("{}{}", meaning, _PUBLIC_ONLY)


GRAADMETER_COLUMNS = [
    (
        "date",
        gettext_lazy("Dag van de meting (Europe/Amsterdam); een dag zonder meting ontbreekt"),
        gettext_lazy("datum, ISO 8601"),
    ),
    ("scope", gettext_lazy("Gebied: nl, portal:<schemanaam> of province:<CBS-provinciecode>"), ""),
    (
        "level",
        _public_only(gettext_lazy("Totaal: kettingindex, 100 bij de eerste meting")),
        gettext_lazy("indexpunten"),
    ),
    (
        "growth_level",
        _public_only(gettext_lazy("Groei van bestaande initiatieven (bij- en afgekomen initiatieven tellen niet)")),
        gettext_lazy("indexpunten"),
    ),
    ("initiatives", gettext_lazy("Gepubliceerde initiatieven"), gettext_lazy("aantal")),
    (
        "valued_initiatives",
        gettext_lazy("Van die initiatieven: zij wier portaal eurobedragen toont"),
        gettext_lazy("aantal"),
    ),
    ("joined_count", gettext_lazy("Initiatieven die sinds de vorige meting erbij kwamen"), gettext_lazy("aantal")),
    ("left_count", gettext_lazy("Initiatieven die sinds de vorige meting eraf gingen"), gettext_lazy("aantal")),
    ("value_cents", _public_only(gettext_lazy("Waarde in constante prijzen")), gettext_lazy("eurocent")),
    (
        "continuing_change_cents",
        _public_only(gettext_lazy("Verandering van de initiatieven die er beide keren waren")),
        gettext_lazy("eurocent"),
    ),
    ("joined_cents", _public_only(gettext_lazy("Waarde van de bijgekomen initiatieven")), gettext_lazy("eurocent")),
    ("left_cents", _public_only(gettext_lazy("Waarde van de afgegane initiatieven")), gettext_lazy("eurocent")),
    ("previous_date", gettext_lazy("De meting waarmee vergeleken is"), gettext_lazy("datum, ISO 8601")),
    ("base_version", gettext_lazy("Prijslijstversie van de constante prijzen"), ""),
    ("uses_examples", gettext_lazy("Een voorbeeldwaarde zonder citeerbare bron telt mee"), gettext_lazy("true/false")),
    ("demo_initiatives", gettext_lazy("Fictieve initiatieven (demodata)"), gettext_lazy("aantal")),
    ("backfilled", gettext_lazy("Teruggerekend (alleen de demo), geen echte meting"), gettext_lazy("true/false")),
]
GRAADMETER_FIELDS = [name for name, _meaning, _unit in GRAADMETER_COLUMNS]


# --- what a request asks for ------------------------------------------------------------------------------------


def entry_filter(request) -> selectors.EntryFilter | None:
    """The API's filters from the query string, within what this portal shows (``selectors.area_of``: a regional
    portal its own initiatives, as its list and its Stand van het Land). None for a portal outside that area (an
    empty file); a ``ValidationError`` for a value the API would refuse too."""
    given = {name: request.GET[name] for name in Filters.model_fields if request.GET.get(name, "").strip()}
    flt = Filters.model_validate(given).to_filter()
    area = selectors.area_of(request.tenant.schema_name)
    if area:
        if flt.portal and flt.portal != area:
            return None
        flt = replace(flt, portal=area)
    return flt


# --- rows -------------------------------------------------------------------------------------------------------


def initiative_rows(flt: selectors.EntryFilter | None):
    """Each initiative as the API gives it (written by the API's JSON encoder), read in chunks from a server-side
    cursor."""
    if flt is None:
        return
    for entry in selectors.entries(flt).iterator(chunk_size=CHUNK):
        item = InitiativeOut.from_orm(entry).model_dump()
        yield {name: item[name] for name in INITIATIVE_FIELDS}


def snapshot_rows():
    """Every stored day and scope, oldest first: the counts only. The snapshots keep every euro, also those of
    portals that hide them (decision 0020), so no euro column leaves the platform from them."""
    rows = Snapshot.objects.order_by("date", "scope").values_list(*SNAPSHOT_FIELDS)
    for row in rows.iterator(chunk_size=CHUNK):
        yield dict(zip(SNAPSHOT_FIELDS, row, strict=True))


def _json(value) -> str:
    """As the API writes it (dates, decimals, UUIDs by the API's encoder)."""
    return json.dumps(value, cls=NinjaJSONEncoder, ensure_ascii=False)


class _Echo:
    def write(self, value):
        return value


def csv_lines(fields: list[str], rows):
    writer = csv.writer(_Echo())
    yield writer.writerow(fields)
    for row in rows:
        yield writer.writerow([cell(row[name]) for name in fields])


def json_array(rows):
    yield "["
    first = True
    for row in rows:
        yield ("\n" if first else ",\n") + _json(row)
        first = False
    yield "]\n"


def json_lines(rows):
    for row in rows:
        yield _json(row) + "\n"


def _download(lines, content_type: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "public, no-cache"  # keep a copy, ask with If-None-Match before using it
    with_licence(response)
    return response


def _bad_filter() -> HttpResponseBadRequest:
    return HttpResponseBadRequest(
        _("Een filter heeft een ongeldige waarde. Zie de datadictionary op /open-data/ voor de filters."),
        content_type="text/plain; charset=utf-8",
    )


# --- views ------------------------------------------------------------------------------------------------------


@require_safe
@conditional
def initiatives_csv(request):
    try:
        flt = entry_filter(request)
    except ValidationError:
        return _bad_filter()
    return _download(csv_lines(INITIATIVE_FIELDS, initiative_rows(flt)), "text/csv; charset=utf-8", "initiatieven.csv")


@require_safe
@conditional
def initiatives_json(request):
    try:
        flt = entry_filter(request)
    except ValidationError:
        return _bad_filter()
    return _download(json_array(initiative_rows(flt)), "application/json", "initiatieven.json")


@require_safe
@conditional
def initiatives_jsonl(request):
    try:
        flt = entry_filter(request)
    except ValidationError:
        return _bad_filter()
    return _download(json_lines(initiative_rows(flt)), "application/x-ndjson", "initiatieven.jsonl")


@require_safe
@snapshots_conditional
def snapshots_csv(request):
    return _download(csv_lines(SNAPSHOT_FIELDS, snapshot_rows()), "text/csv; charset=utf-8", "momentopnamen.csv")


@require_safe
@graadmeter_conditional
def graadmeter_csv(request):
    """The graadmeter of ``?gebied=`` (the portal's own area without it) as a time series, streamed; an area this
    portal does not show: 400 with the reason in Dutch."""
    chosen = graadmeter_area(request.tenant, request.GET.get(PARAMETER))
    if chosen.problem:
        return HttpResponseBadRequest(chosen.problem, content_type="text/plain; charset=utf-8")
    found = graadmeter_store.series(chosen.area.key)
    rows = ({"scope": found.scope, **point} for point in graadmeter_store.points(found))
    name = chosen.area.key.replace(":", "-")
    return _download(csv_lines(GRAADMETER_FIELDS, rows), "text/csv; charset=utf-8", f"graadmeter-{name}.csv")


DATASETS = [
    # (slug, title, description, [(path, media type)], columns)
    (
        "initiatieven",
        gettext_lazy("Maatschappelijke initiatieven"),
        gettext_lazy(
            "Alle gepubliceerde initiatieven van de landelijke index (op een regionaal portaal: die van het eigen "
            "gebied), met dezelfde filters als de lijst en de API: q, municipality, province, portal, sdg, domain, "
            "need. Eurobedragen zijn leeg waar het portaal van het initiatief geen eurobedragen toont."
        ),
        [
            ("/open-data/initiatieven.csv", "text/csv"),
            ("/open-data/initiatieven.json", "application/json"),
            ("/open-data/initiatieven.jsonl", "application/x-ndjson"),
        ],
        INITIATIVE_COLUMNS,
    ),
    (
        "momentopnamen",
        gettext_lazy("Momentopnamen van de index"),
        gettext_lazy(
            "De cijfers van de index per dag, voor het land, elk portaal en elke provincie: een tijdreeks. "
            "Een dag zonder meting ontbreekt (een gat, niet ingevuld). Zonder eurobedragen."
        ),
        [("/open-data/momentopnamen.csv", "text/csv")],
        SNAPSHOT_COLUMNS,
    ),
    (
        "graadmeter",
        gettext_lazy("MAEX graadmeter"),
        gettext_lazy(
            "De dagelijkse index van de maatschappelijke waarde in constante prijzen, voor het land, een portaal of "
            "een provincie (?gebied=, standaard het gebied van het portaal): totaal en groei van bestaande "
            "initiatieven, met de bij- en afgekomen initiatieven. Een dag zonder meting ontbreekt (een gat). "
            "Eurobedragen en standen zijn leeg waar het portaal geen eurobedragen toont. De methode staat op "
            "/graadmeter/methode/."
        ),
        [("/open-data/graadmeter.csv", "text/csv")],
        GRAADMETER_COLUMNS,
    ),
]


def attribution(portal) -> str:
    return _("Bron: %(site)s (%(url)s), licentie CC BY 4.0") % {
        "site": portal.name,
        "url": portal.absolute_url("/open-data/"),
    }


@require_safe
def dictionary(request):
    """The data dictionary: each dataset with its stable URLs, columns (meaning, unit) and the licence."""
    portal = request.tenant
    return render(
        request,
        "portals/open_data.html",
        {
            "datasets": [
                {
                    "slug": slug,
                    "title": title,
                    "description": description,
                    "distributions": [(portal.absolute_url(path), media) for path, media in distributions],
                    "columns": columns,
                }
                for slug, title, description, distributions, columns in DATASETS
            ],
            "licence_url": LICENCE_URL,
            "attribution": attribution(portal),
            "catalogue_url": portal.absolute_url("/open-data/catalogus.jsonld"),
        },
    )


def catalogue_document(portal) -> dict:
    """The DCAT-AP catalogue of this portal's open data, with absolute URLs on its canonical host."""
    home = portal.absolute_url("/")
    publisher = {"@id": home, "@type": "foaf:Organization", "foaf:name": portal.name}
    licence = {"@id": LICENCE_URL}
    datasets = []
    for slug, title, description, distributions, _columns in DATASETS:
        datasets.append(
            {
                "@id": portal.absolute_url(f"/open-data/#{slug}"),
                "@type": "dcat:Dataset",
                "dct:identifier": slug,
                "dct:title": str(title),
                "dct:description": str(description),
                "dct:publisher": publisher,
                "dct:license": licence,
                "dct:language": {"@id": "http://publications.europa.eu/resource/authority/language/NLD"},
                "dcat:landingPage": {"@id": portal.absolute_url("/open-data/")},
                "dcat:keyword": ["maatschappelijke initiatieven", "MAEX", "maatschappelijke waarde"],
                "dcat:distribution": [
                    {
                        "@id": portal.absolute_url(path),
                        "@type": "dcat:Distribution",
                        "dcat:accessURL": {"@id": portal.absolute_url(path)},
                        "dcat:downloadURL": {"@id": portal.absolute_url(path)},
                        "dcat:mediaType": media,
                        "dct:license": licence,
                        "dct:conformsTo": {"@id": portal.absolute_url("/open-data/")},
                    }
                    for path, media in distributions
                ],
            }
        )
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
        },
        "@id": portal.absolute_url("/open-data/catalogus.jsonld"),
        "@type": "dcat:Catalog",
        "dct:title": _("Open data van %(site)s") % {"site": portal.name},
        "dct:description": attribution(portal),
        "dct:publisher": publisher,
        "dct:license": licence,
        "foaf:homepage": {"@id": home},
        "dcat:dataset": datasets,
    }


@require_safe
@conditional
def catalogue(request):
    response = JsonResponse(catalogue_document(request.tenant), json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/ld+json"
    return response
