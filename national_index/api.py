"""Read-only open-data API over the national index (OpenAPI document at /api/v1/openapi.json).

Private fields (contact details) are not in the index and therefore cannot appear here. Every error is JSON,
``{"detail": ...}``, and every operation documents its error answers (400, 404, 422, 429); errors outside the
API's views (an unknown path, a NUL character refused by ``maex.middleware``) get the same shape from
``maex/errors.py``.
"""

# No `from __future__ import annotations` in this module: django-ninja must see `Query[Filters]` as a real
# type; as a string it leaves the query model undefined and every request that reads it fails with a 500.
import datetime
import logging
import uuid as uuid_mod
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Query, Schema
from ninja.decorators import decorate_view
from ninja.errors import HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import PageNumberPagination, paginate
from ninja.throttling import AnonRateThrottle

from . import areas, graadmeter_store, selectors
from .conditional import conditional, graadmeter_conditional, version_of
from .stand import read


class PlatformRateThrottle(AnonRateThrottle):
    """The anonymous rate, counted per client address across every portal's host (a global cache key, see
    maex/cache.py); the address is the one NINJA_NUM_PROXIES trusts, not whatever X-Forwarded-For claims."""

    cache_format = "maex-global:throttle_%(scope)s_%(ident)s"


api = NinjaAPI(
    title="MAEX open data",
    version="1",
    description="De landelijke index van maatschappelijke initiatieven: alleen openbare gegevens.",
    throttle=[PlatformRateThrottle(settings.API_RATE)],
    urls_namespace="api-v1",
)

# --- errors: always JSON, always documented ---------------------------------------------------------------------
PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000  # 5 million initiatives at 50 a page; anything higher is a mistake or a probe (422)


class ErrorOut(Schema):
    detail: str = Field(..., description="Wat er mis is, in het Nederlands (of Engels als die taal is gekozen)")


class ValidationErrorOut(Schema):
    detail: list[dict] = Field(
        ..., description="Per ongeldige parameter: waar (loc, bijv. ['query', 'page']), wat (msg) en het soort fout"
    )


ERRORS = {
    400: ErrorOut,  # the request itself is unusable, e.g. a NUL character in a parameter (maex.middleware)
    404: ErrorOut,
    422: ValidationErrorOut,
    429: ErrorOut,
}


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": _("Niet gevonden.")}, status=404)


# The message of each kind of invalid parameter, in the reader's language (pydantic's own is English). ``ctx``
# carries the bound where there is one.
VALIDATION_MESSAGES = {
    "int_parsing": lambda ctx: _("Moet een geheel getal zijn."),
    "int_from_float": lambda ctx: _("Moet een geheel getal zijn."),
    "greater_than_equal": lambda ctx: _("Moet minstens %(n)s zijn.") % {"n": ctx.get("ge")},
    "greater_than": lambda ctx: _("Moet meer dan %(n)s zijn.") % {"n": ctx.get("gt")},
    "less_than_equal": lambda ctx: _("Mag hoogstens %(n)s zijn.") % {"n": ctx.get("le")},
    "less_than": lambda ctx: _("Moet minder dan %(n)s zijn.") % {"n": ctx.get("lt")},
    "string_too_long": lambda ctx: _("Mag hoogstens %(n)s tekens lang zijn.") % {"n": ctx.get("max_length")},
    "uuid_parsing": lambda ctx: _("Moet een UUID zijn, bijv. 123e4567-e89b-12d3-a456-426614174000."),
    "bool_parsing": lambda ctx: _("Moet true of false zijn."),
    "missing": lambda ctx: _("Ontbreekt."),
}


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc):
    """Per invalid parameter: where (``loc``), the kind (``type``, pydantic's), what is wrong (``msg``) in the
    reader's language and the bound it passed (``ctx``, where there is one)."""
    detail = []
    for error in exc.errors:
        ctx = {k: v for k, v in (error.get("ctx") or {}).items() if isinstance(v, int | float | str)}  # the bounds
        known = VALIDATION_MESSAGES.get(error.get("type"))
        message = known(ctx) if known else _("Ongeldige waarde.")
        item = {"loc": list(error.get("loc", ())), "type": error.get("type", ""), "msg": message}
        detail.append(item | ({"ctx": ctx} if ctx else {}))
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(Throttled)
def _throttled(request, exc):
    # ninja adds the Retry-After header to this response.
    return api.create_response(
        request, {"detail": _("Te veel verzoeken. Wacht even en probeer het daarna opnieuw.")}, status=429
    )


@api.exception_handler(Exception)
def _server_error(request, exc):
    """Logged as Django logs an unhandled error; the client gets JSON, never a page or a traceback."""
    logging.getLogger("django.request").error(
        "Internal Server Error: %s", request.path, exc_info=exc, extra={"status_code": 500, "request": request}
    )
    return api.create_response(
        request, {"detail": _("Er ging aan onze kant iets mis. Probeer het later opnieuw.")}, status=500
    )


class Pages(PageNumberPagination):
    """Page numbers with bounds, documented in the OpenAPI document: out of range is a 422 naming the parameter
    (a page past the last one within the bounds is an empty list, as before)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="Paginanummer, vanaf 1")
        page_size: int | None = Field(
            None, ge=1, le=MAX_PAGE_SIZE, description=f"Aantal per pagina (standaard {PAGE_SIZE})"
        )


class Filters(Schema):
    q: str = Field("", description="Zoekterm in naam en korte omschrijving")
    municipality: str = Field("", description="CBS-gemeentecode, bijv. GM0718")
    province: str = Field("", description="CBS-provinciecode, bijv. PV29")
    portal: str = Field("", description="Portaal (schemanaam), bijv. zeeland")
    sdg: int | None = Field(
        None, ge=1, le=17, description="SDG-nummer 1-17: initiatieven die dit doel zelf aanvinken (declared_sdgs)"
    )
    domain: str = Field("", description="Waardedomein (code)")
    need: str = Field("", description="Behoefte (code), bijv. vrijwilligers")

    def to_filter(self) -> selectors.EntryFilter:
        return selectors.EntryFilter(**self.dict())


class InitiativeOut(Schema):
    uuid: uuid_mod.UUID
    name: str
    short_description: str
    url: str
    portal: str = Field(..., alias="portal.schema_name")
    portal_name: str = Field(..., alias="portal.name")
    municipality_code: str = Field(..., alias="municipality.cbs_code")
    municipality: str = Field(..., alias="municipality.name")
    province_code: str = Field(..., alias="province.cbs_code")
    province: str = Field(..., alias="province.name")
    legal_form: str
    founding_year: int
    sdgs: list[int] = Field(
        ...,
        deprecated=True,
        description="Oude naam van declared_sdgs, met dezelfde inhoud; gebruik declared_sdgs",
    )
    declared_sdgs: list[int] = Field(
        ...,
        description=(
            "Doelen waar het initiatief aan wil bijdragen: de SDG's die het initiatief zelf aanvinkt. "
            "Een keuze van het initiatief, geen berekening; kan verschillen van handprint_sdgs"
        ),
    )
    handprint_sdgs: list[int] = Field(
        ...,
        description=(
            "SDG's met waarde volgens de prijslijst (Social Handprint): berekend uit de activiteiten van het "
            "initiatief, met de SDG-koppeling van elke prijslijstpost; de sleutels van share_by_sdg (altijd openbaar)"
        ),
    )
    value_domains: list[str]
    target_groups: list[str]
    needs: list[str]
    offers_count: int
    people_reached: int
    volunteers: int
    paid_staff: int
    paid_fte: Decimal
    income_subsidy: int
    income_funds: int
    income_sales: int
    income_contributions: int
    income_other: int
    published_at: datetime.datetime = Field(..., description="Gepubliceerd op, in Europe/Amsterdam (met UTC-verschil)")
    valued_with: str = Field(..., description="Prijslijstversie waarmee de waarde is berekend")
    price_list_version: str | None = Field(
        None,
        description=(
            "Prijslijstversie waarmee social_value is berekend (als valued_with); null waar social_value null is "
            "of zonder prijslijstversie"
        ),
    )
    uses_examples: bool | None = Field(
        None,
        description=(
            "Een voorbeeldwaarde zonder citeerbare bron telt mee in social_value; null waar social_value null is "
            "(het portaal toont geen eurobedragen)"
        ),
    )
    deliveries: Decimal = Field(..., description="Welzijnsleveringen per jaar")
    social_value: Decimal | None = Field(
        None,
        description=(
            "Maatschappelijke waarde per jaar in euro; null waar het portaal van het initiatief geen eurobedragen "
            "toont (dan ook niet op zijn pagina)"
        ),
    )
    value_by_domain: dict[str, Decimal] | None = Field(None, description="Waarde per domein (euro), idem")
    value_by_sdg: dict[str, Decimal] | None = Field(
        None,
        description=(
            "Waarde per SDG volgens de prijslijst (Social Handprint, euro), berekend uit de activiteiten; "
            "kan andere SDG's bevatten dan declared_sdgs; null als social_value"
        ),
    )
    share_by_domain: dict[str, Decimal] = Field(..., description="Aandeel per domein in procenten (altijd openbaar)")
    share_by_sdg: dict[str, Decimal] = Field(
        ..., description="Aandeel per SDG in procenten volgens de prijslijst (Social Handprint; altijd openbaar)"
    )
    is_demo: bool = Field(..., description="Fictief initiatief van de demo (demodata); false buiten een demo")

    @staticmethod
    def resolve_published_at(obj):
        return timezone.localtime(obj.published_at)

    @staticmethod
    def resolve_declared_sdgs(obj):
        return obj.sdgs

    @staticmethod
    def resolve_handprint_sdgs(obj):
        return handprint_sdgs(obj.value_by_sdg)

    @staticmethod
    def resolve_social_value(obj):
        return obj.social_value if obj.portal.show_amounts else None

    @staticmethod
    def resolve_price_list_version(obj):
        return (obj.valued_with or None) if obj.portal.show_amounts else None

    @staticmethod
    def resolve_uses_examples(obj):
        return obj.uses_examples if obj.portal.show_amounts else None

    @staticmethod
    def resolve_value_by_domain(obj):
        return obj.value_by_domain if obj.portal.show_amounts else None

    @staticmethod
    def resolve_value_by_sdg(obj):
        return obj.value_by_sdg if obj.portal.show_amounts else None

    @staticmethod
    def resolve_share_by_domain(obj):
        return _shares(obj.value_by_domain, obj.social_value)

    @staticmethod
    def resolve_share_by_sdg(obj):
        return _shares(obj.value_by_sdg, obj.social_value)


def handprint_sdgs(value_by_sdg: dict) -> list[int]:
    """The SDGs an initiative's activities give value to, by the price list: the Social Handprint's SDGs."""
    return sorted(int(k) for k, v in value_by_sdg.items() if Decimal(v) > 0)


def _shares(values: dict, total) -> dict[str, Decimal]:
    if not total:
        return {}
    return {k: (Decimal(v) * 100 / total).quantize(Decimal("0.1"), ROUND_HALF_UP) for k, v in values.items()}


class TotalsOut(Schema):
    initiatives: int
    social_value: Decimal | None = Field(
        ...,
        description=(
            "Som van de maatschappelijke waarde per jaar (euro) van de initiatieven waarvan het portaal "
            "eurobedragen toont (valued_initiatives); null als geen enkel initiatief hier meetelt, zoals bij een "
            "portaal dat geen eurobedragen toont"
        ),
    )
    valued_initiatives: int = Field(..., description="Initiatieven waarvan de waarde in social_value meetelt")
    withheld_initiatives: int = Field(
        ...,
        description=(
            "Initiatieven die wel in de aantallen meetellen, niet in social_value: hun portaal toont geen eurobedragen"
        ),
    )
    valued_with: list[str] = Field(..., description="Prijslijstversies waarmee de getelde waarde is berekend")
    price_list_version: list[str] = Field(
        ..., description="Dezelfde prijslijstversies als valued_with, onder de naam van het initiatief-item"
    )
    uses_examples: bool = Field(
        ..., description="Voorbeeldwaarden zonder citeerbare bron tellen mee in social_value (dan een melding)"
    )
    demo_initiatives: int = Field(
        ..., description="Fictieve initiatieven (demodata) die in deze cijfers meetellen; 0 buiten een demo"
    )
    people_reached: int
    volunteers: int
    paid_staff: int
    paid_fte: Decimal = Field(..., description="Betaalde medewerkers in fte")
    deliveries: Decimal = Field(..., description="Welzijnsleveringen per jaar")

    @staticmethod
    def resolve_price_list_version(obj):
        return list(obj["valued_with"])


class PortalTotalsOut(TotalsOut):
    portal: str = Field(..., alias="portal__schema_name")
    name: str = Field(..., alias="portal__name")


class ProvinceTotalsOut(TotalsOut):
    province_code: str = Field(..., alias="province__cbs_code")
    province: str = Field(..., alias="province__name")


class SdgTotalsOut(Schema):
    sdg: int
    social_value: Decimal | None = Field(
        ...,
        description=(
            "Waarde op deze SDG volgens de prijslijst (Social Handprint, euro), van de initiatieven waarvan het "
            "portaal eurobedragen toont; null als daar geen enkel initiatief bij is"
        ),
    )
    initiatives: int = Field(..., description="Initiatieven met waarde op deze SDG volgens de prijslijst")
    valued_initiatives: int = Field(..., description="Van die initiatieven: zij wier waarde in social_value meetelt")


class AllTotalsOut(Schema):
    euro_rule: str = Field(..., description="De regel voor eurobedragen in deze totalen, in woorden")
    national: TotalsOut
    portals: list[PortalTotalsOut]
    provinces: list[ProvinceTotalsOut]
    sdgs: list[SdgTotalsOut] = Field(
        ..., description="Per SDG volgens de prijslijst (Social Handprint), niet de aangevinkte doelen"
    )


@api.get("/initiatives", response={200: list[InitiativeOut], **ERRORS}, tags=["index"])
@decorate_view(conditional)
@paginate(Pages, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def list_initiatives(request, filters: Query[Filters]):
    """Alle gepubliceerde initiatieven van alle portalen, met dezelfde filters als de lijstpagina."""
    return selectors.entries(filters.to_filter())


@api.get("/initiatives/{uuid}", response={200: InitiativeOut, **ERRORS}, tags=["index"])
@decorate_view(conditional)
def get_initiative(request, uuid: uuid_mod.UUID):
    """Eén initiatief, op zijn vaste UUID."""
    found = selectors.entry(uuid)
    if found is None:
        raise HttpError(404, _("Er is geen gepubliceerd initiatief met deze UUID."))
    return found


@api.get("/totals", response={200: AllTotalsOut, **ERRORS}, tags=["totals"])
@decorate_view(conditional)
def totals(request, filters: Query[Filters]):
    """Totalen: landelijk, per portaal, per provincie en per SDG (met dezelfde filters). Eurobedragen alleen
    van initiatieven waarvan het portaal eurobedragen openbaar toont, net als op de pagina's; zie euro_rule."""
    figures = selectors.cached_breakdowns(filters.to_filter(), version_of(request))
    return {
        "euro_rule": _euro_rule(),
        "national": figures["national"],
        "portals": figures["portals"],
        "provinces": figures["provinces"],
        "sdgs": [
            {
                "sdg": int(k),
                "social_value": v["public_value"],
                "initiatives": v["initiatives"],
                "valued_initiatives": v["valued_initiatives"],
            }
            for k, v in sorted(figures["sdgs"].items(), key=lambda kv: int(kv[0]))
        ],
    }


# --- the Stand van het Land of one area (docs/decisions/0034-the-full-stand-van-het-land.md) ----------------------
# The same figures as /stand-van-het-land/?gebied= and its CSV: ``figures.public_figures`` of the area.

AREA_KEYS = "nl, portal:<schemanaam>, province:<CBS-provinciecode> of gemeente:<CBS-gemeentecode>"


class AreaFilter(Schema):
    gebied: str = Field("", max_length=80, description=f"Gebied: {AREA_KEYS}; standaard nl (het land)")
    area: str = Field("", max_length=80, description="Hetzelfde als gebied (Engelse naam); gebied gaat voor")


class AreaOut(Schema):
    key: str = Field(..., description=AREA_KEYS)
    kind: str = Field(..., description="nl, portal, province of gemeente")
    code: str = Field(..., description="Schemanaam, CBS-provinciecode of CBS-gemeentecode; leeg voor nl")
    name: str


class FigureTotalsOut(TotalsOut):
    selling_initiatives: int = Field(
        ...,
        description="Initiatieven die producten of diensten verkopen: een aanbod op het profiel of verkoopinkomsten",
    )
    selling_share: Decimal | None = Field(..., description="Hun aandeel in procenten; null zonder initiatieven")
    sales_share_of_sellers: Decimal | None = Field(
        ..., description="Gemiddeld aandeel verkoop in de inkomsten van de verkopers, in procenten"
    )


class KeyFiguresOut(Schema):
    social_value: Decimal | None = Field(
        ..., description="Waarde in euro van de initiatieven waarvan het portaal eurobedragen toont; null als geen"
    )
    initiatives: int = Field(..., description="Initiatieven met waarde hier")
    valued_initiatives: int = Field(..., description="Van die initiatieven: zij wier waarde in social_value meetelt")
    share: Decimal | None = Field(..., description="Aandeel in de waarde van alle initiatieven, in procenten")


class DistrictOut(Schema):
    initiatives: int
    people_reached: int
    volunteers: int


class AreaRowOut(Schema):
    name: str
    initiatives: int
    people_reached: int
    volunteers: int
    paid_staff: int
    paid_fte: Decimal
    deliveries: Decimal
    social_value: Decimal | None = Field(..., description="Als in totals: null waar geen eurobedragen openbaar zijn")
    valued_initiatives: int
    withheld_initiatives: int
    demo_initiatives: int
    uses_examples: bool


class FiguresOut(Schema):
    area: AreaOut
    euro_rule: str = Field(..., description="De regel voor eurobedragen in deze cijfers, in woorden")
    totals: FigureTotalsOut
    income_mix: dict[str, Decimal | None] = Field(
        ..., description="Per inkomstenbron het gemiddelde aandeel in procenten over de initiatieven"
    )
    needs: dict[str, int] = Field(..., description="Initiatieven met een open behoefte, per soort")
    needs_fulfilled: dict[str, int] = Field(..., description="Initiatieven met een vervulde behoefte, per soort")
    partner_kinds: dict[str, int] = Field(
        ..., description="Initiatieven met een partner van deze soort (financiersmix)"
    )
    domains: dict[str, KeyFiguresOut] = Field(..., description="Per waardedomein (het waardenweb)")
    sdgs: dict[str, KeyFiguresOut] = Field(..., description="Per SDG volgens de prijslijst (Social Handprint)")
    legal_forms: dict[str, int] = Field(..., description="Initiatieven per rechtsvorm")
    founding_years: dict[str, int] = Field(..., description="Initiatieven per jaar van oprichting")
    phases: dict[str, int] = Field(..., description='Initiatieven per fase; "" is niet opgegeven')
    districts: dict[str, DistrictOut] = Field(
        ..., description='Alleen bij een gemeente: per wijk of kern zoals het profiel die noemt; "" is niet opgegeven'
    )
    portals: dict[str, AreaRowOut] = Field(..., description="Per portaal (schemanaam)")
    provinces: dict[str, AreaRowOut] = Field(..., description="Per provincie (CBS-code)")


def _euro_rule() -> str:
    return _(
        "Eurobedragen tellen alleen mee van initiatieven waarvan het portaal eurobedragen openbaar toont; "
        "de andere tellen mee in de aantallen, niet in de euro's."
    )


@api.get("/figures", response={200: FiguresOut, **ERRORS}, tags=["totals"])
@decorate_view(conditional)
def area_figures(request, filters: Query[AreaFilter]):
    """Alle cijfers van de Maatschappelijke Stand van het Land voor één gebied (land, portaal, provincie of
    gemeente), dezelfde als op /stand-van-het-land/?gebied= en in de CSV daarvan. Een sleutel die geen gebied
    kan zijn: 400; een gebied dat niet bestaat: 404."""
    key = (filters.gebied or filters.area or areas.COUNTRY).strip()
    kind = key.partition(":")[0]
    if key != areas.COUNTRY and (kind not in areas.KINDS or not key.partition(":")[2]):
        raise HttpError(400, _("Onbekend soort gebied. Gebruik %(keys)s.") % {"keys": AREA_KEYS})
    area = areas.parse(key)
    if area is None:
        raise HttpError(404, _("Dit gebied bestaat niet."))
    figures, _current = read(area, version_of(request))
    return {
        "area": {"key": area.key, "kind": area.kind, "code": area.code, "name": area.name},
        "euro_rule": _euro_rule(),
        **figures,
    }


# --- the MAEX graadmeter (docs/decisions/0032-the-maex-graadmeter.md) -------------------------------------------
# The same rows as /graadmeter/?gebied= and /open-data/graadmeter.csv: ``graadmeter_store.series`` of the scope.

GRAADMETER_KEYS = "nl, portal:<schemanaam> of province:<CBS-provinciecode>"
PUBLIC_ONLY = "; null waar de eurobedragen van het gebied niet openbaar zijn"


class GraadmeterPointOut(Schema):
    date: datetime.date = Field(
        ..., description="Dag van de meting (Europe/Amsterdam); een dag zonder meting ontbreekt"
    )
    level: Decimal | None = Field(..., description="Totaal: kettingindex, 100 bij de eerste meting" + PUBLIC_ONLY)
    growth_level: Decimal | None = Field(
        ..., description="Groei van bestaande initiatieven: bij- en afgekomen initiatieven tellen niet" + PUBLIC_ONLY
    )
    initiatives: int = Field(..., description="Gepubliceerde initiatieven in het gebied")
    valued_initiatives: int = Field(..., description="Van die initiatieven: zij wier portaal eurobedragen toont")
    joined_count: int = Field(..., description="Gewaardeerde initiatieven die sinds de vorige meting erbij kwamen")
    left_count: int = Field(..., description="Gewaardeerde initiatieven die sinds de vorige meting eraf gingen")
    value_cents: int | None = Field(..., description="Waarde in constante prijzen, in centen" + PUBLIC_ONLY)
    continuing_change_cents: int | None = Field(
        ..., description="Verandering van de initiatieven die er beide keren waren, in centen" + PUBLIC_ONLY
    )
    joined_cents: int | None = Field(..., description="Waarde van de bijgekomen initiatieven, in centen" + PUBLIC_ONLY)
    left_cents: int | None = Field(..., description="Waarde van de afgegane initiatieven, in centen" + PUBLIC_ONLY)
    previous_date: datetime.date | None = Field(..., description="De meting waarmee deze vergeleken is")
    base_version: str = Field(..., description="Prijslijstversie van de constante prijzen (de basisversie)")
    uses_examples: bool
    demo_initiatives: int
    backfilled: bool = Field(..., description="Teruggerekend (alleen de demo), geen echte meting")


class GraadmeterChangeOut(Schema):
    period: str = Field(..., description="day, month of year")
    since: datetime.date = Field(..., description="De datum een dag, maand of jaar vóór de laatste meting")
    compared_with: datetime.date | None = Field(
        ..., description="De meting op of vóór since waarmee vergeleken is; null: geen gegevens zo ver terug"
    )
    level: Decimal | None = Field(..., description="Verandering van het totaal, in procenten")
    growth_level: Decimal | None = Field(..., description="Verandering van de groei, in procenten")


class GraadmeterOut(Schema):
    area: AreaOut
    public: bool = Field(..., description="false: geen portaal van het gebied toont eurobedragen, dus geen graadmeter")
    base_version: str
    latest: GraadmeterPointOut | None
    changes: list[GraadmeterChangeOut]
    series: list[GraadmeterPointOut] = Field(..., description="Elke meting, oudste eerst")


@api.get("/graadmeter", response={200: GraadmeterOut, **ERRORS}, tags=["totals"])
@decorate_view(graadmeter_conditional)
def graadmeter(request, filters: Query[AreaFilter]):
    """De MAEX graadmeter van het land, een portaal of een provincie: elke meting (totaal en groei van bestaande
    initiatieven, in constante prijzen), de laatste en de verandering over een dag, een maand en een jaar; dezelfde
    als op /graadmeter/?gebied= en in /open-data/graadmeter.csv. Een gemeente of een sleutel die geen gebied kan
    zijn: 400; een gebied dat niet bestaat: 404."""
    key = (filters.gebied or filters.area or areas.COUNTRY).strip()
    kind = key.partition(":")[0]
    if key != areas.COUNTRY and (kind not in ("portal", "province") or not key.partition(":")[2]):
        raise HttpError(400, _("Onbekend soort gebied. Gebruik %(keys)s.") % {"keys": GRAADMETER_KEYS})
    area = areas.parse(key)
    if area is None:
        raise HttpError(404, _("Dit gebied bestaat niet."))
    found = graadmeter_store.series(area.key)
    series = list(graadmeter_store.points(found))
    return {
        "area": {"key": area.key, "kind": area.kind, "code": area.code, "name": area.name},
        "public": found.public,
        "base_version": found.base_version,
        "latest": series[-1] if series else None,
        "changes": [c.__dict__ for c in found.changes],
        "series": series,
    }


# --- MAEX Impuls awards (docs/decisions/0028-impuls-accountability-projection-reminders.md) ----------------------
# From the national projection of every portal's awards: no IBAN, no answers, no person, by construction (the
# table holds none of them).


class AwardFilters(Schema):
    portal: str = Field("", description="Portaal dat toekende (schemanaam), bijv. zeeland")
    year: int | None = Field(None, ge=2000, le=2100, description="Jaar van toekenning, bijv. 2026")


class AwardPartOut(Schema):
    funder: str = Field(..., description="Naam van de financier")
    amount_cents: int = Field(..., description="Wat deze financier van de toekenning betaalt, in centen")


class AwardOut(Schema):
    initiative_uuid: uuid_mod.UUID = Field(..., description="Het initiatief (zie /initiatives/{uuid})")
    portal: str = Field(..., alias="portal.schema_name", description="Portaal dat toekende (schemanaam)")
    portal_name: str = Field(..., alias="portal.name")
    round_slug: str
    round_title: str
    kind: str = Field(..., description="geld of natura")
    unit: str = Field(..., description="Bij natura: de eenheid, bijv. uren deskundige; bij geld leeg")
    amount_cents: int = Field(..., description="Toegekend: centen (geld) of honderdsten van de eenheid (natura)")
    amount: Decimal = Field(..., description="Toegekend in euro (geld) of in de eenheid (natura)")
    awarded_on: datetime.date
    paid_on: datetime.date | None = Field(None, description="Uitbetaald op; null zolang niet uitbetaald")
    accountability_due_on: datetime.date | None = Field(
        None, description="Einde van de bestedingstermijn: uiterlijk verantwoorden op; null zolang niet uitbetaald"
    )
    accounted_on: datetime.date | None = Field(None, description="Verantwoord op; null zolang niet verantwoord")
    funders: list[AwardPartOut] = Field(..., description="Wie wat betaalt (verdeling over de financiers)")

    @staticmethod
    def resolve_funders(obj):
        return [{"funder": p.funder, "amount_cents": p.amount_cents} for p in obj.parts.all()]


class AwardTotalsPortalOut(Schema):
    portal: str = Field(..., alias="portal__schema_name")
    name: str = Field(..., alias="portal__name")
    awards: int
    money_cents: int = Field(..., description="Toegekend in geld, in centen (natura telt hier niet mee)")
    in_kind_awards: int = Field(..., description="Toekenningen in natura")
    paid: int = Field(..., description="Toekenningen die zijn uitbetaald")
    accounted: int = Field(..., description="Toekenningen die zijn verantwoord")


class AwardTotalsFunderOut(Schema):
    funder: str
    awards: int = Field(..., description="Toekenningen die deze financier (mede) betaalt")
    money_cents: int = Field(..., description="Zijn deel in geld, in centen")
    portals: int = Field(..., description="Op hoeveel portalen")


class AwardTotalsOut(Schema):
    portals: list[AwardTotalsPortalOut]
    funders: list[AwardTotalsFunderOut]


@api.get("/impuls/awards", response={200: list[AwardOut], **ERRORS}, tags=["impuls"])
@decorate_view(conditional)
@paginate(Pages, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def list_awards(request, filters: Query[AwardFilters]):
    """MAEX Impuls-toekenningen van alle portalen, nieuwste eerst; te filteren op portaal en jaar. Zonder IBAN's,
    antwoorden of persoonsgegevens."""
    return selectors.awards(portal=filters.portal, year=filters.year)


@api.get("/impuls/totals", response={200: AwardTotalsOut, **ERRORS}, tags=["impuls"])
@decorate_view(conditional)
def award_totals(request, filters: Query[AwardFilters]):
    """Totalen van MAEX Impuls per portaal en per financier (van één jaar, of alle jaren; de financiers ook van één
    portaal)."""
    return {
        "portals": [
            r
            for r in selectors.award_totals_by_portal(year=filters.year)
            if not filters.portal or r["portal__schema_name"] == filters.portal
        ],
        "funders": selectors.award_totals_by_funder(year=filters.year, portal=filters.portal),
    }
