"""Areas the figures can be read for: the country, a portal, a province or a municipality
(docs/decisions/0034-the-full-stand-van-het-land.md).

An area has a stable key, used in URLs, the API, CSV files and yearly editions: ``nl``, ``portal:<schema>``,
``province:<PVxx>`` or ``gemeente:<GMxxxx>``. ``Area.filter`` is the ``EntryFilter`` of its initiatives, so every
surface reads the same figures for the same key (``figures.cached_area_figures``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from geo.models import Municipality, Province
from tenants.models import NATIONAL_SCHEMA, Portal

from .selectors import EntryFilter

COUNTRY = "nl"
KINDS = {
    "portal": _("Portaal"),
    "province": _("Provincie"),
    "gemeente": _("Gemeente"),
}


@dataclass(frozen=True)
class Area:
    kind: str  # "nl", "portal", "province" or "gemeente"
    code: str  # "" for the country; a schema name, PVxx or GMxxxx
    name: str

    @property
    def key(self) -> str:
        return COUNTRY if self.kind == COUNTRY else f"{self.kind}:{self.code}"

    @property
    def filter(self) -> EntryFilter:
        if self.kind == "portal":
            return EntryFilter(portal=self.code)
        if self.kind == "province":
            return EntryFilter(province=self.code)
        if self.kind == "gemeente":
            return EntryFilter(municipality=self.code)
        return EntryFilter()

    @property
    def is_municipality(self) -> bool:
        return self.kind == "gemeente"

    def __str__(self) -> str:
        return self.name


def country() -> Area:
    return Area(COUNTRY, "", str(_("Nederland")))


def of_portal(portal: Portal) -> Area:
    """What a portal's figures cover by default: the country on the national portal, else the portal's own."""
    if portal.schema_name == NATIONAL_SCHEMA:
        return country()
    return Area("portal", portal.schema_name, portal.name)


def parse(key: str) -> Area | None:
    """The area of a key, or None for a key that names no area (one query at most)."""
    key = (key or "").strip()
    if key == COUNTRY:
        return country()
    kind, _sep, code = key.partition(":")
    if not code or len(code) > 63:
        return None
    if kind == "portal":
        portal = Portal.objects.websites().filter(schema_name=code, is_active=True).first()
        return Area("portal", code, portal.name) if portal else None
    if kind == "province":
        province = Province.objects.filter(cbs_code=code).first()
        return Area("province", code, province.name) if province else None
    if kind == "gemeente":
        municipality = Municipality.objects.filter(cbs_code=code).first()
        return Area("gemeente", code, municipality.display_name) if municipality else None
    return None


def choices(portal: Portal) -> list[tuple[str, list[tuple[str, str]]]]:
    """The areas a visitor of ``portal`` can choose, grouped for a select: on the national portal the country,
    every live portal, every province and every municipality; on a regional portal its own area and the
    municipalities it covers (three queries)."""
    if portal.schema_name != NATIONAL_SCHEMA:
        own = of_portal(portal)
        municipalities = Municipality.objects.filter(coverage__portal=portal).order_by("name")
        return [
            (str(KINDS["portal"]), [(own.key, own.name)]),
            (str(KINDS["gemeente"]), [(f"gemeente:{m.cbs_code}", m.display_name) for m in municipalities]),
        ]
    portals = Portal.objects.websites().filter(is_active=True).exclude(schema_name=NATIONAL_SCHEMA).order_by("name")
    return [
        ("", [(COUNTRY, country().name)]),
        (str(KINDS["portal"]), [(f"portal:{p.schema_name}", p.name) for p in portals]),
        (str(KINDS["province"]), [(f"province:{p.cbs_code}", p.name) for p in Province.objects.order_by("name")]),
        (
            str(KINDS["gemeente"]),
            [(f"gemeente:{m.cbs_code}", m.display_name) for m in Municipality.objects.order_by("name")],
        ),
    ]


def allowed(portal: Portal, area: Area) -> bool:
    """Whether ``portal`` shows figures of ``area``: the national portal any area; a regional portal its own and
    its municipalities'."""
    if portal.schema_name == NATIONAL_SCHEMA:
        return True
    if area.kind == "portal":
        return area.code == portal.schema_name
    if area.kind == "gemeente":
        return Municipality.objects.filter(cbs_code=area.code, coverage__portal=portal).exists()
    return False


def municipalities(area: Area):
    """The municipalities an area is made of: all of them, a province's, those a portal covers, or one."""
    qs = Municipality.objects.all()
    if area.kind == "province":
        return qs.filter(province__cbs_code=area.code)
    if area.kind == "portal":
        return qs.filter(coverage__portal__schema_name=area.code)
    if area.kind == "gemeente":
        return qs.filter(cbs_code=area.code)
    return qs


def inhabitants(area: Area) -> int | None:
    """The number of inhabitants of ``area`` (CBS, ``Municipality.population``, loaded by ``import_cbs_population``;
    geo/data/SOURCES.md) when it is known for every one of its municipalities, else None: a sum over part of an
    area would make every per-inhabitant figure too high, so they are then not shown (one query)."""
    found = municipalities(area).aggregate(
        total=Sum("population"), known=Count("id", filter=Q(population__isnull=False)), all=Count("id")
    )
    if not found["all"] or found["known"] != found["all"]:
        return None
    return found["total"]
