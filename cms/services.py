"""Writes of portal pages: the demo content of the four demo portals (idempotent, called from ``seed_demo``).

Everything made here is marked "(demo)". The texts about MAEX Zeeland follow the best-practice document
"Samen werken aan sterke regio's" (MAEX, oktober 2020); no figures or quotes are invented."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from initiatives.models import PartnerKind
from tenants.models import NATIONAL_SCHEMA, Portal

from .models import (
    ContentPage,
    HomePage,
    MunicipalityPage,
    NewsIndexPage,
    NewsPage,
    PartnerIndexPage,
    PartnerPage,
)


@dataclass
class Made:
    created: list[str] = field(default_factory=list)

    def add(self, page) -> None:
        self.created.append(page.title)


def publish(page) -> None:
    """Store a revision and publish it, as an editor pressing "Publiceren" would."""
    page.save_revision().publish()


def child(parent, model, slug: str, made: Made | None = None, **fields):
    """The child of ``parent`` with this slug, created and published when missing (never changed when there)."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    page = parent.add_child(instance=model(slug=slug, **fields))
    publish(page)
    if made is not None:
        made.add(page)
    return page


def _rich(*paragraphs: str) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def _stream(*blocks) -> list[dict]:
    return [{"type": kind, "value": value} for kind, value in blocks]


def _uuids(schema: str, n: int, offset: int = 0) -> list[dict]:
    from national_index.models import IndexEntry

    uuids = (
        IndexEntry.objects.filter(portal__schema_name=schema)
        .order_by("name", "uuid")
        .values_list("uuid", flat=True)[offset : offset + n]
    )
    return _stream(*[("initiative", str(u)) for u in uuids])


PALETTE = {  # by initiatives.PartnerKind value
    "provincie": "#1d4f91",
    "bank": "#0b6e4f",
    "fonds": "#7a1f5c",
    "bibliotheek": "#8a4b08",
    "kennisinstelling": "#3d3d8f",
    "gemeente": "#25606b",
}


def logo(title: str, initials: str, kind: str):
    """A simple generated logo (coloured tile with initials) for a demo partner, made once per portal."""
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from PIL import ImageDraw, ImageFont
    from wagtail.images import get_image_model

    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).first()
    if existing is not None:
        return existing
    tile = PILImage.new("RGB", (320, 160), PALETTE.get(kind, "#333333"))
    draw = ImageDraw.Draw(tile)
    try:
        font = ImageFont.load_default(size=64)
    except TypeError:  # Pillow < 10.1
        font = ImageFont.load_default()
    draw.text((160, 80), initials, fill="#ffffff", font=font, anchor="mm")
    buffer = io.BytesIO()
    tile.save(buffer, format="PNG")
    slug = "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")
    return image_model.objects.create(title=title, file=ImageFile(buffer, name=f"logo-{slug}.png"))


def _home() -> HomePage:
    return HomePage.objects.first()


def _set_hero(home: HomePage, title: str, text: str) -> None:
    if home.hero_title:
        return  # an editor's (or an earlier run's) banner stays
    home.hero_title, home.hero_text = title, text
    publish(home)


def _indexes(home, made, *, news_intro: str, partners_intro: str):
    news = child(home, NewsIndexPage, "nieuws", made, title="Nieuws", show_in_menus=True, intro=news_intro)
    partners = child(
        home, PartnerIndexPage, "partners", made, title="Partners", show_in_menus=True, intro=partners_intro
    )
    return news, partners


def _partner(parent, made, slug, title, kind, role, summary, contribution, initials, *, supported, logos: bool):
    fields = dict(
        title=title,
        kind=kind,
        role=role,
        summary=summary,
        contribution=_rich(contribution),
        supported_initiatives=supported,
    )
    if logos:
        fields["logo"] = logo(f"Logo {title}", initials, kind)
    return child(parent, PartnerPage, slug, made, **fields)


# --- per portal ----------------------------------------------------------------------------------------------


def _zeeland(made: Made, logos: bool) -> None:
    home = _home()
    _set_hero(
        home,
        "Samen werken aan een sterk Zeeland",
        "MAEX Zeeland brengt de Zeeuwse maatschappelijke initiatieven in beeld: wat ze doen, wat ze nodig hebben "
        "en welke waarde ze maken voor de brede welvaart in de regio.",
    )
    child(
        home,
        ContentPage,
        "over-maex-zeeland",
        made,
        title="Over MAEX Zeeland",
        show_in_menus=True,
        intro="Een samenwerkingsverband van overheden, fondsen, bedrijven en kennisinstellingen rond de "
        "initiatieven die Zeeuwen zelf ontplooien. (demo)",
        body=_stream(
            (
                "paragraph",
                _rich(
                    "Provincie Zeeland en Rabobank Walcheren/Noord-Beveland wilden initiatieven uit de samenleving "
                    "centraal stellen. Begin 2019 lanceerden zij het samenwerkingsverband MAEX Zeeland: een "
                    "basisstructuur waarin gemeenten, fondsen en bedrijven gericht samenwerken aan het versterken "
                    "van de initiatieven die Zeeuwen zelf ontplooien.",
                    "Initiatieven melden zich gratis aan, maken een eigen profiel en laten zien wat ze nodig "
                    "hebben en welke impact ze maken, uitgedrukt in de Sustainable Development Goals. "
                    "De doorontwikkeling van MAEX Zeeland is opgenomen als project in de Regio Deal "
                    "'Zeeuwen Zelf aan Zet'.",
                ),
            ),
            ("key_figures", {"title": "MAEX Zeeland in cijfers"}),
            (
                "call_to_action",
                {
                    "title": "Doet uw initiatief mee?",
                    "text": "Aanmelden is gratis. U krijgt een eigen profiel en inzicht in de maatschappelijke "
                    "waarde die u maakt.",
                    "link_text": "Meld uw initiatief aan",
                    "page": None,
                    "url": "/aanmelden/",
                },
            ),
        ),
    )
    news, partners = _indexes(
        home,
        made,
        news_intro="Nieuws over MAEX Zeeland en de Zeeuwse initiatieven. (demo)",
        partners_intro="Deze organisaties maken MAEX Zeeland samen mogelijk. (demo)",
    )
    child(
        news,
        NewsPage,
        "maex-zeeland-in-de-regio-deal",
        made,
        title="MAEX Zeeland onderdeel van de Regio Deal 'Zeeuwen Zelf aan Zet' (demo)",
        date=datetime.date(2020, 10, 1),
        intro="De doorontwikkeling van MAEX Zeeland is opgenomen als project in de Regio Deal. Zo krijgen "
        "maatschappelijke initiatieven een stem in de samenwerking tussen Rijk en regio.",
        body=_stream(
            (
                "paragraph",
                _rich(
                    "Een Regio Deal is een samenwerking tussen Rijk en regio om de kracht van de regio te "
                    "versterken. Met MAEX Zeeland hebben Provincie Zeeland en Rabobank een infrastructuur opgezet "
                    "om beter inzicht te krijgen in de kracht van de regio en om partners aan te sluiten.",
                    "Dit is een demonstratiebericht op de demo-omgeving van MAEX op Maat.",
                ),
            ),
        ),
    )
    child(
        news,
        NewsPage,
        "maex-impuls-voor-organisatiekracht",
        made,
        title="MAEX Impuls versterkt de organisatiekracht van Zeeuwse initiatieven (demo)",
        date=datetime.date(2020, 9, 15),
        intro="Via de MAEX Impuls vragen initiatieven snel en eenvoudig een bijdrage aan om hun organisatie "
        "te versterken, bijvoorbeeld om vrijwilligers op te leiden.",
        body=_stream(
            (
                "paragraph",
                _rich(
                    "Het fonds wordt gevuld door externe partijen, die er hun eigen criteria aan verbinden. Omdat "
                    "over een MAEX-initiatief al veel bekend is, kan de aanvraag snel en doeltreffend verlopen.",
                    "Dit is een demonstratiebericht op de demo-omgeving van MAEX op Maat.",
                ),
            ),
            (
                "call_to_action",
                {
                    "title": "Bekijk de initiatieven",
                    "text": "",
                    "link_text": "Naar de initiatieven",
                    "page": None,
                    "url": "/initiatieven/",
                },
            ),
        ),
    )
    P = PartnerKind
    specs = [
        (
            "provincie-zeeland",
            "Provincie Zeeland (demo)",
            P.PROVINCE,
            PartnerPage.Role.FOUNDING,
            "Initiatiefnemer van MAEX Zeeland.",
            "Maakt samen met Rabobank de basisinfrastructuur van het platform mogelijk en verbindt als "
            "bovenlokale aanjager gemeenten, fondsen en bedrijven.",
            "PZ",
        ),
        (
            "rabobank",
            "Rabobank Walcheren/Noord-Beveland (demo)",
            P.BANK,
            PartnerPage.Role.FOUNDING,
            "Initiatiefnemer van MAEX Zeeland.",
            "Ondersteunt als coöperatieve bank het platform waar maatschappelijke energie in Zeeland gebundeld "
            "en versterkt wordt.",
            "RB",
        ),
        (
            "vsbfonds",
            "VSBfonds (demo)",
            P.FUND,
            PartnerPage.Role.IMPULS,
            "Eerste fonds in de MAEX Impuls in Zeeland.",
            "Draagt via de MAEX Impuls bij aan het versterken van de organisatiekracht van Zeeuwse initiatieven.",
            "VSB",
        ),
        (
            "bibliotheek-van-zeeland",
            "ZB | Planbureau en Bibliotheek van Zeeland (demo)",
            P.LIBRARY,
            PartnerPage.Role.PARTNER,
            "Aangesloten partner.",
            "Brengt kennis over de Zeeuwse samenleving in en helpt initiatieven vindbaar te maken.",
            "ZB",
        ),
        (
            "hz-university",
            "HZ University of Applied Sciences (demo)",
            P.KNOWLEDGE,
            PartnerPage.Role.PARTNER,
            "Kennispartner.",
            "Neemt SDG's en impact op in onderwijs en onderzoek; studenten ondersteunen sociale initiatieven "
            "met hun inzet en kennis.",
            "HZ",
        ),
    ]
    for i, (slug, title, kind, role, summary, contribution, initials) in enumerate(specs):
        _partner(
            partners,
            made,
            slug,
            title,
            kind,
            role,
            summary,
            contribution,
            initials,
            supported=_uuids("zeeland", 3, offset=i * 3),
            logos=logos,
        )
    municipalities = child(
        home,
        ContentPage,
        "gemeenten",
        made,
        title="Gemeenten",
        show_in_menus=True,
        intro="Gemeenten die aangesloten zijn bij MAEX Zeeland hebben een eigen pagina met de initiatieven uit "
        "de gemeente en de SDG's waaraan ze bijdragen. (demo)",
        body=_stream(
            (
                "paragraph",
                _rich(
                    "Gemeente Vlissingen en Tholen zijn als eerste gemeenten aangehaakt. Andere Zeeuwse gemeenten "
                    "worden benaderd om mee te doen.",
                ),
            ),
        ),
    )
    from geo.models import Municipality

    for code, slug, name in [("GM0718", "vlissingen", "Vlissingen"), ("GM0716", "tholen", "Tholen")]:
        municipality = Municipality.objects.filter(cbs_code=code).first()
        if municipality is None:
            continue
        child(
            municipalities,
            MunicipalityPage,
            slug,
            made,
            title=f"Gemeente {name} (demo)",
            municipality=municipality,
            intro=_rich(
                f"Een overzicht van de maatschappelijke initiatieven in {name} en de SDG's waaraan zij "
                "bijdragen. Het overzicht komt rechtstreeks uit de index en is dus altijd actueel.",
                "Dit is een demonstratiepagina op de demo-omgeving van MAEX op Maat.",
            ),
        )


CITY_CODES = {"rotterdam": "GM0599", "denhaag": "GM0518"}  # CBS codes of the city portals' one municipality


def _city(schema: str, city: str, made: Made, logos: bool) -> None:
    home = _home()
    _set_hero(
        home,
        f"Initiatieven in {city} in beeld",
        f"MAEX {city} laat zien wat bewonersinitiatieven en sociale ondernemingen in {city} doen en welke "
        "waarde ze maken. (demo)",
    )
    child(
        home,
        ContentPage,
        f"over-maex-{schema}",
        made,
        title=f"Over MAEX {city}",
        show_in_menus=True,
        intro=f"MAEX {city} is het regionale portaal van de MAEX voor {city}. (demo)",
        body=_stream(
            (
                "paragraph",
                _rich(
                    f"Initiatieven uit {city} melden zich hier gratis aan en verschijnen ook in de landelijke "
                    "MAEX-index. Zo wordt hun maatschappelijke waarde zichtbaar voor gemeente, fondsen en bedrijven.",
                    "Dit is een demonstratiepagina op de demo-omgeving van MAEX op Maat.",
                ),
            ),
            ("key_figures", {"title": f"MAEX {city} in cijfers"}),
            (
                "call_to_action",
                {
                    "title": "Meld uw initiatief aan",
                    "text": "",
                    "link_text": "Aanmelden",
                    "page": None,
                    "url": "/aanmelden/",
                },
            ),
        ),
    )
    news, partners = _indexes(
        home,
        made,
        news_intro=f"Nieuws over MAEX {city}. (demo)",
        partners_intro=f"Deze organisaties maken MAEX {city} mogelijk. (demo)",
    )
    child(
        news,
        NewsPage,
        f"maex-{schema}-van-start",
        made,
        title=f"MAEX {city} van start (demo)",
        date=datetime.date(2026, 1, 15),
        intro=f"Het regionale portaal voor {city} is geopend. Initiatieven uit {city} staan er direct op.",
        body=_stream(("paragraph", _rich("Dit is een demonstratiebericht op de demo-omgeving van MAEX op Maat."))),
    )
    _partner(
        partners,
        made,
        f"gemeente-{schema}",
        f"Gemeente {city} (demo)",
        PartnerKind.MUNICIPALITY,
        PartnerPage.Role.FOUNDING,
        f"Initiatiefnemer van MAEX {city}.",
        f"Maakt het portaal mogelijk en gebruikt het overzicht van initiatieven om samenwerking in {city} te "
        "bevorderen.",
        "".join(w[0] for w in city.split()).upper(),
        supported=_uuids(schema, 3),
        logos=logos,
    )
    from geo.models import Municipality

    municipality = Municipality.objects.filter(cbs_code=CITY_CODES[schema]).first()
    if municipality is not None:
        child(
            home,
            MunicipalityPage,
            "gemeente",
            made,
            title=f"Initiatieven in {city}",
            show_in_menus=True,
            municipality=municipality,
            intro=_rich(
                f"Alle maatschappelijke initiatieven in {city} en de SDG's waaraan zij bijdragen, rechtstreeks uit "
                "de index en dus altijd actueel.",
                "Dit is een demonstratiepagina op de demo-omgeving van MAEX op Maat.",
            ),
        )


def _national(made: Made, logos: bool) -> None:
    home = _home()
    _set_hero(
        home,
        "De maatschappelijke waarde van Nederland in beeld",
        "De MAEX is de index van maatschappelijke initiatieven: bewonersinitiatieven, sociale ondernemingen en "
        "wijkondernemingen laten zien welke waarde ze maken. (demo)",
    )
    child(
        home,
        ContentPage,
        "over-de-maex",
        made,
        title="Over de MAEX",
        show_in_menus=True,
        intro="De Maatschappelijke Exchange maakt de kracht van de samenleving zichtbaar. (demo)",
        body=_stream(
            (
                "paragraph",
                _rich(
                    "Een initiatief meldt zich één keer aan, op welk portaal dan ook, en verschijnt op het portaal "
                    "van zijn gebied en in de landelijke index. Provincies, regio's en gemeenten starten een eigen "
                    "portaal (MAEX op Maat); fondsen vullen een Impuls met hun eigen criteria.",
                    "De maatschappelijke waarde wordt zichtbaar in het waardenweb en de Social Handprint, in de taal "
                    "van de Sustainable Development Goals.",
                ),
            ),
            ("key_figures", {"title": "De MAEX in cijfers"}),
            (
                "call_to_action",
                {
                    "title": "Bekijk alle initiatieven",
                    "text": "",
                    "link_text": "Naar de initiatieven",
                    "page": None,
                    "url": "/initiatieven/",
                },
            ),
        ),
    )
    news, partners = _indexes(
        home,
        made,
        news_intro="Nieuws van het landelijke MAEX-team. (demo)",
        partners_intro="Deze organisaties maken de landelijke MAEX mogelijk. (demo)",
    )
    child(
        news,
        NewsPage,
        "drie-regionale-portalen-live",
        made,
        title="Drie regionale portalen live: Zeeland, Rotterdam en Den Haag (demo)",
        date=datetime.date(2026, 3, 2),
        intro="Met MAEX op Maat heeft elke regio een eigen portaal, terwijl alle initiatieven meetellen in de "
        "Maatschappelijke Stand van het Land.",
        body=_stream(("paragraph", _rich("Dit is een demonstratiebericht op de demo-omgeving van MAEX op Maat."))),
    )
    for i, (slug, title, kind, role, summary, contribution, initials) in enumerate(
        [
            (
                "landelijk-fonds",
                "Landelijk Fonds voor Initiatieven (demo)",
                PartnerKind.FUND,
                PartnerPage.Role.IMPULS,
                "Vult de MAEX Impuls in meerdere regio's.",
                "Financiert initiatieven die een aanvraag doen via de MAEX Impuls van hun regio.",
                "LF",
            ),
            (
                "kennisinstituut-maatschappelijke-waarde",
                "Kennisinstituut Maatschappelijke Waarde (demo)",
                PartnerKind.KNOWLEDGE,
                PartnerPage.Role.PARTNER,
                "Onderzoekt hoe maatschappelijke waarde te meten is.",
                "Adviseert over de prijslijst en de bronnen achter elke waarde.",
                "KM",
            ),
        ]
    ):
        _partner(
            partners,
            made,
            slug,
            title,
            kind,
            role,
            summary,
            contribution,
            initials,
            supported=_uuids(NATIONAL_SCHEMA, 3, offset=i * 3),
            logos=logos,
        )


def ensure_initiative_index(home) -> None:
    """The page that serves /initiatieven/ and every initiative's page, under the portal's home page."""
    from .models import INITIATIVES_SLUG, InitiativeIndexPage

    if not InitiativeIndexPage.objects.child_of(home).exists():
        child(home, InitiativeIndexPage, INITIATIVES_SLUG, title="Initiatieven")  # content is Dutch first


def ensure_starter_pages(portal: Portal) -> list[str]:
    """The first page tree of a newly launched portal, in its schema: a banner on the home page, an "about"
    page with the portal's key figures, news with a first message, a partner index for the editors to fill,
    and a municipality page per covered municipality. Editors change or remove all of it; a second call
    creates nothing. Returns the titles made."""
    from geo.models import Municipality

    made = Made()
    name = portal.name
    # The pages are content, in the portal's language (Dutch), whatever language the admin screen speaks.
    with schema_context(portal.schema_name), translation.override(settings.LANGUAGE_CODE):
        home = _home()
        _set_hero(
            home,
            _("Welkom bij %(name)s") % {"name": name},
            _(
                "%(name)s maakt de maatschappelijke initiatieven in de regio zichtbaar: wat ze doen, wat ze nodig "
                "hebben en welke waarde ze maken."
            )
            % {"name": name},
        )
        child(
            home,
            ContentPage,
            "over",
            made,
            title=_("Over %(name)s") % {"name": name},
            show_in_menus=True,
            intro=_("%(name)s is een regionaal portaal van de MAEX.") % {"name": name},
            body=_stream(
                (
                    "paragraph",
                    _rich(
                        _(
                            "Initiatieven uit dit gebied melden zich hier gratis aan en tellen mee in de landelijke "
                            "MAEX-index. Zo wordt hun maatschappelijke waarde zichtbaar voor overheden, fondsen en "
                            "bedrijven."
                        )
                    ),
                ),
                ("key_figures", {"title": _("%(name)s in cijfers") % {"name": name}}),
                (
                    "call_to_action",
                    {
                        "title": _("Doet uw initiatief mee?"),
                        "text": "",
                        "link_text": _("Meld uw initiatief aan"),
                        "page": None,
                        "url": "/aanmelden/",
                    },
                ),
            ),
        )
        news, _partners = _indexes(
            home,
            made,
            news_intro=_("Nieuws van %(name)s.") % {"name": name},
            partners_intro=_("Deze organisaties maken %(name)s mogelijk.") % {"name": name},
        )
        child(
            news,
            NewsPage,
            "van-start",
            made,
            title=_("%(name)s is van start") % {"name": name},
            date=timezone.localdate(),
            intro=_("Het portaal is geopend. De initiatieven uit het gebied staan er direct op."),
        )
        covered = list(Municipality.objects.filter(coverage__portal=portal).order_by("name"))
        parent = home
        if len(covered) > 1:
            parent = child(
                home,
                ContentPage,
                "gemeenten",
                made,
                title=_("Gemeenten"),
                show_in_menus=True,
                intro=_("Per gemeente de initiatieven en de SDG's waaraan zij bijdragen."),
            )
        for municipality in covered:
            child(
                parent,
                MunicipalityPage,
                slugify(municipality.name),
                made,
                title=municipality.name,
                show_in_menus=len(covered) == 1,
                municipality=municipality,
            )
    return made.created


def ensure_demo_content(*, logos: bool = True) -> list[str]:
    """Create the demo pages of every demo portal that exists; a second run creates nothing. Returns what it
    made, as "schema: title" lines."""
    made = Made()
    existing = set(Portal.objects.filter(is_active=True).values_list("schema_name", flat=True))
    plan = [
        ("zeeland", lambda m: _zeeland(m, logos)),
        ("rotterdam", lambda m: _city("rotterdam", "Rotterdam", m, logos)),
        ("denhaag", lambda m: _city("denhaag", "Den Haag", m, logos)),
        (NATIONAL_SCHEMA, lambda m: _national(m, logos)),
    ]
    for schema, build in plan:
        if schema not in existing:
            continue
        with schema_context(schema), transaction.atomic():
            if HomePage.objects.first() is None:
                continue
            portal_made = Made()
            build(portal_made)
            made.created += [f"{schema}: {title}" for title in portal_made.created]
    return made.created
