"""Writes of portal pages: the pages every portal starts with (the initiative list, the starter pages of a new
portal) and the helpers that make them, which the demo (``demo/``) uses too."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from geo.models import Municipality
from tenants.models import Portal

from .models import (
    EDITIONS_SLUG,
    INITIATIVES_SLUG,
    ContentPage,
    EditionIndexPage,
    EditionPage,
    HomePage,
    InitiativeIndexPage,
    MunicipalityPage,
    NewsIndexPage,
    NewsPage,
    PartnerIndexPage,
    current_portal,
    edition_title,
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


def rich_text(*paragraphs: str) -> str:
    """The value of a rich-text field or block: one ``<p>`` per paragraph."""
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def stream(*blocks) -> list[dict]:
    """The value of a StreamField from ``(block type, value)`` pairs."""
    return [{"type": kind, "value": value} for kind, value in blocks]


def _home() -> HomePage:
    return HomePage.objects.first()


def set_hero(home: HomePage, title: str, text: str) -> None:
    """Give the home page this banner, unless it has one."""
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


def ensure_initiative_index(home) -> None:
    """The page that serves /initiatieven/ and every initiative's page, under the portal's home page."""
    if not InitiativeIndexPage.objects.child_of(home).exists():
        child(home, InitiativeIndexPage, INITIATIVES_SLUG, title="Initiatieven")  # content is Dutch first


def ensure_starter_pages(portal: Portal) -> list[str]:
    """The first page tree of a newly launched portal, in its schema: a banner on the home page, an "about"
    page with the portal's key figures, news with a first message, a partner index for the editors to fill,
    and a municipality page per covered municipality. Editors change or remove all of it; a second call
    creates nothing. Returns the titles made."""
    made = Made()
    name = portal.name
    # The pages are content, in the portal's language (Dutch), whatever language the admin screen speaks.
    with schema_context(portal.schema_name), translation.override(settings.LANGUAGE_CODE):
        home = _home()
        set_hero(
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
            body=stream(
                (
                    "paragraph",
                    rich_text(
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


# --- yearly editions of the Stand (docs/decisions/0035-yearly-editions.md) -----------------------------------------


def refreeze_edition(page_id: int) -> EditionPage:
    """ "Cijfers opnieuw vastleggen": the figures of the edition's area now, while it is a draft. Raises
    ``EditionFrozen`` (a Dutch message) once it has been published: its figures never change again."""
    with transaction.atomic():
        # The row locked: a publication at the same moment waits, and then publishes these figures
        page = EditionPage.objects.select_for_update().get(pk=page_id)
        page.freeze()
        page.save(update_fields=["area_key", "area_name", "frozen_at", "area_figures", "figures_sha256"])
    return page


def ensure_editions_index(home, title: str = "Edities van de Stand", intro: str = "") -> EditionIndexPage:
    """The portal's ``/edities/`` page (created and published when missing)."""
    existing = EditionIndexPage.objects.child_of(home).first()
    if existing is not None:
        return existing
    return child(home, EditionIndexPage, EDITIONS_SLUG, title=title, intro=intro, show_in_menus=False)


def add_edition(index: EditionIndexPage, year: int, intro: str = "", area_key: str = "", *, publish_it: bool = True):
    """An edition of ``year`` under ``index``: its figures frozen now (on this first save), then published, as an
    editor saving a draft and publishing it would. The title is the one the admin gives it."""
    page = EditionPage(year=year, title=edition_title(current_portal(), year), slug=str(year), intro=intro)
    page.area_key = area_key
    page.live = False
    index.add_child(instance=page)
    revision = page.save_revision()
    if publish_it:
        revision.publish()
        page.refresh_from_db()
    return page
