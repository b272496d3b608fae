"""Wagtail pages of a portal (each portal's page tree lives in its own schema).

Data about initiatives always comes from the national index (``cms.selectors``), scoped to the portal's schema;
pages store initiatives by UUID, never by a tenant-local primary key."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.search import index

from geo.models import Municipality
from initiatives import views as initiative_views
from initiatives.models import PartnerKind
from initiatives.stand import figures_csv
from national_index import areas
from national_index.licence import with_licence
from national_index.stand import figures_of
from tenants.models import Portal

from . import editions, selectors
from .blocks import RICH_TEXT_FEATURES, ContentStreamBlock, InitiativeChoiceBlock

INITIATIVES_HELP = _("Alleen gepubliceerde initiatieven van dit portaal kunnen worden gekozen.")


def _initiatives_field(verbose_name):
    return StreamField(
        [("initiative", InitiativeChoiceBlock())], blank=True, verbose_name=verbose_name, help_text=INITIATIVES_HELP
    )


def _uuids(stream) -> list[str]:
    return [str(child.value) for child in stream if child.block_type == "initiative" and child.value]


class FastRouteMixin:
    """Wagtail's ``route`` with the child's content type read in the same query as the child.

    django-tenants empties Django's content-type cache whenever a request chooses its portal, so Wagtail's
    ``subpage.specific`` would look the type up again on every request, one query per level of the URL. The
    page served is the same: the live child with this slug, in its specific type, with its parent cached."""

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        subpage = self.get_children().filter(slug=path_components[0]).select_related("content_type").first()
        if subpage is None:
            raise Http404
        subpage.specific_class = subpage.content_type.model_class()  # Wagtail's cached_property: no second lookup
        subpage._cached_parent_obj = self
        return subpage.specific.route(request, path_components[1:])


class HomePage(FastRouteMixin, Page):
    intro = models.CharField(_("introductie"), max_length=300, blank=True)
    body = RichTextField(_("tekst"), blank=True, features=RICH_TEXT_FEATURES)
    hero_title = models.CharField(_("kop van de banner"), max_length=120, blank=True)
    hero_text = models.TextField(_("tekst van de banner"), blank=True, max_length=600)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("afbeelding van de banner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Decoratief: de banner heeft zelf een kop en tekst."),
    )
    featured_initiatives = _initiatives_field(_("uitgelichte initiatieven"))
    featured_count = models.PositiveSmallIntegerField(
        _("aantal nieuwste initiatieven"),
        default=3,
        help_text=_("Als er geen initiatieven zijn uitgelicht: toon zoveel van de nieuwste (0 = geen)."),
    )
    news_count = models.PositiveSmallIntegerField(_("aantal nieuwsberichten"), default=3)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("hero_title"), FieldPanel("hero_text"), FieldPanel("hero_image")], heading=_("Banner")
        ),
        FieldPanel("intro"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("featured_initiatives"), FieldPanel("featured_count")], heading=_("Uitgelichte initiatieven")
        ),
        FieldPanel("news_count"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    max_count_per_parent = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms.ContentPage",
        "cms.NewsIndexPage",
        "cms.PartnerIndexPage",
        "cms.MunicipalityPage",
        "cms.InitiativeIndexPage",
        "cms.EditionIndexPage",
    ]
    template = "cms/home_page.html"

    class Meta:
        verbose_name = _("startpagina")

    def featured(self) -> list:
        uuids = _uuids(self.featured_initiatives)
        if uuids:
            return selectors.entries_by_uuid(uuids)
        return selectors.newest_entries(self.featured_count) if self.featured_count else []

    def latest_news(self) -> list:
        if not self.news_count:
            return []
        return list(
            NewsPage.objects.live()
            .public()
            .descendant_of(self)
            .order_by("-date", "-pk")
            .defer_streamfields()[: self.news_count]
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["totals"] = selectors.portal_totals()
        context["featured"] = self.featured()
        context["news"] = self.latest_news()
        return context


class ContentPage(FastRouteMixin, Page):
    intro = models.TextField(_("introductie"), blank=True, max_length=600)
    body = StreamField(ContentStreamBlock(), blank=True, verbose_name=_("inhoud"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["cms.HomePage", "cms.ContentPage"]
    subpage_types = ["cms.ContentPage", "cms.MunicipalityPage"]
    template = "cms/content_page.html"

    class Meta:
        verbose_name = _("inhoudspagina")
        verbose_name_plural = _("inhoudspagina's")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Its own live, public subpages (a "Gemeenten" page links every municipality that has a page), in one query.
        context["subpages"] = list(
            self.get_children().live().public().only("id", "path", "depth", "title", "url_path", "search_description")
        )
        return context


class NewsIndexPage(FastRouteMixin, Page):
    intro = models.TextField(_("introductie"), blank=True, max_length=600)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NewsPage"]
    template = "cms/news_index_page.html"
    PER_PAGE = 12

    class Meta:
        verbose_name = _("nieuwsoverzicht")
        verbose_name_plural = _("nieuwsoverzichten")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        items = NewsPage.objects.live().public().child_of(self).order_by("-date", "-pk").defer_streamfields()
        context["items"] = Paginator(items, self.PER_PAGE).get_page(request.GET.get("pagina"))
        return context


class NewsPage(Page):
    date = models.DateField(_("datum"), default=timezone.localdate)
    intro = models.TextField(_("introductie"), max_length=600)
    body = StreamField(ContentStreamBlock(), blank=True, verbose_name=_("inhoud"))

    content_panels = Page.content_panels + [FieldPanel("date"), FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types = []
    template = "cms/news_page.html"

    class Meta:
        verbose_name = _("nieuwsbericht")
        verbose_name_plural = _("nieuwsberichten")


PARTNER_CARD_LOGO = "max-160x80"  # the rendition of a logo on the partner overview (partner_index_page.html)


class PartnerIndexPage(FastRouteMixin, Page):
    intro = models.TextField(_("introductie"), blank=True, max_length=600)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.PartnerPage"]
    max_count_per_parent = 1
    template = "cms/partner_index_page.html"

    class Meta:
        verbose_name = _("partneroverzicht")
        verbose_name_plural = _("partneroverzichten")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Logos with the one rendition the cards use: no query per partner, however many there are.
        logos = get_image_model().objects.prefetch_renditions(PARTNER_CARD_LOGO)
        partners = (
            PartnerPage.objects.live()
            .public()
            .child_of(self)
            .prefetch_related(Prefetch("logo", queryset=logos))
            .defer_streamfields()
            .order_by("path")
        )
        order = [value for value, _label in PartnerPage.Role.choices]
        groups = []
        for role in order:
            members = [p for p in partners if p.role == role]
            if members:
                groups.append({"role": PartnerPage.Role(role).label, "partners": members})
        context["groups"] = groups
        return context


class PartnerPage(Page):
    class Role(models.TextChoices):
        FOUNDING = "founding", _("initiatiefnemer")
        PARTNER = "partner", _("partner")
        IMPULS = "impuls", _("Impuls-financier")

    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(
        _("soort organisatie"), max_length=20, choices=PartnerKind.choices, default=PartnerKind.OTHER
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, default=Role.PARTNER)
    summary = models.CharField(_("korte omschrijving"), max_length=250, blank=True)
    contribution = RichTextField(_("wat deze partner bijdraagt"), blank=True, features=RICH_TEXT_FEATURES)
    website = models.URLField(_("website"), blank=True)
    supported_initiatives = _initiatives_field(_("ondersteunde initiatieven"))

    content_panels = Page.content_panels + [
        FieldPanel("logo"),
        FieldPanel("kind"),
        FieldPanel("role"),
        FieldPanel("summary"),
        FieldPanel("contribution"),
        FieldPanel("website"),
        FieldPanel("supported_initiatives"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("contribution")]
    parent_page_types = ["cms.PartnerIndexPage"]
    subpage_types = []
    template = "cms/partner_page.html"

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def supported(self) -> list:
        return selectors.entries_by_uuid(_uuids(self.supported_initiatives))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["supported"] = self.supported()
        return context


class MunicipalityPageForm(WagtailAdminPageForm):
    """Offers only the municipalities this portal covers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "municipality" in self.fields:
            self.fields["municipality"].queryset = covered_municipalities()


def covered_municipalities():
    return Municipality.objects.filter(coverage__portal__schema_name=selectors.current_schema()).order_by("name")


class MunicipalityPage(Page):
    municipality = models.ForeignKey(
        "geo.Municipality",
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Een gemeente die dit portaal dekt."),
    )
    intro = RichTextField(_("introductie van de redactie"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("municipality"), FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    base_form_class = MunicipalityPageForm
    parent_page_types = ["cms.HomePage", "cms.ContentPage"]
    subpage_types = []
    template = "cms/municipality_page.html"

    class Meta:
        verbose_name = _("gemeentepagina")
        verbose_name_plural = _("gemeentepagina's")

    def clean(self):
        super().clean()
        if self.municipality_id and not covered_municipalities().filter(pk=self.municipality_id).exists():
            raise ValidationError({"municipality": _("Deze gemeente valt niet onder dit portaal.")})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        entries = selectors.municipality_entries(self.municipality.cbs_code)
        names = selectors.sdg_names()
        counts: dict[int, int] = {}
        for entry in entries:
            entry.sdg_list = [{"number": n, "name": names.get(n, "")} for n in entry.sdgs]
            for n in entry.sdgs:
                counts[n] = counts.get(n, 0) + 1
        context["entries"] = entries
        context["sdg_counts"] = [
            {"number": n, "name": names.get(n, ""), "initiatives": counts[n]} for n in sorted(counts)
        ]
        context["totals"] = {
            "initiatives": len(entries),
            "people_reached": sum(e.people_reached for e in entries),
            "volunteers": sum(e.volunteers for e in entries),
            "paid_staff": sum(e.paid_staff for e in entries),
            "demo_initiatives": sum(1 for e in entries if e.is_demo),
        }
        return context


INITIATIVES_SLUG = "initiatieven"


class InitiativeIndexPage(RoutablePageMixin, Page):
    """The initiative list (``/initiatieven/``) and every initiative's page (``/initiatieven/<slug>/``), routed
    inside the portal's page tree. Editors set its title, introduction and search description; the list and
    the detail pages come from the data (the national index and the portal's own initiatives).

    Its slug is fixed: initiatives' addresses in the index, in links and in search engines depend on it."""

    intro = RichTextField(_("introductie"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    max_count_per_parent = 1
    parent_page_types = ["cms.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("initiatievenoverzicht")

    def clean(self):
        super().clean()
        if self.slug != INITIATIVES_SLUG:
            raise ValidationError(
                {
                    "slug": _(
                        "Het adres van deze pagina blijft /%(slug)s/: de adressen van alle initiatieven "
                        "hangen ervan af."
                    )
                    % {"slug": INITIATIVES_SLUG}
                }
            )

    @path("")
    def initiative_list(self, request):
        return initiative_views.initiative_list(request, index_page=self)

    @path("<slug:slug>/")
    def initiative_detail(self, request, slug):
        return initiative_views.initiative_detail(request, slug, index_page=self)


# --- yearly editions of the Stand van het Land (docs/decisions/0035-yearly-editions.md) ---------------------------

EDITIONS_SLUG = "edities"


class EditionIndexPage(FastRouteMixin, Page):
    """``/edities/``: the portal's editions of the Stand, newest first."""

    intro = RichTextField(_("introductie"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    max_count_per_parent = 1
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.EditionPage"]
    template = "cms/edition_index_page.html"

    class Meta:
        verbose_name = _("overzicht van de edities")
        verbose_name_plural = _("overzichten van de edities")

    def editions(self) -> list:
        return list(
            EditionPage.objects.live()
            .public()
            .child_of(self)
            .order_by("-year", "-frozen_at")
            .defer("area_figures", "compared_with", "intro")  # the list shows none of them
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["editions"] = self.editions()
        return context


class EditionFrozen(ValidationError):
    """A change of the figures of an edition that has been published."""


EDITION_FILES_FORMAT = 1  # moves on when the PDF or the CSV is laid out anew: copies under the old tag are stale
EDITION_PDF_SECONDS = 7 * 24 * 60 * 60  # bounds the memory only: a new tag is a new entry

FROZEN_FIELDS = ("area_key", "area_name", "frozen_at", "area_figures", "figures_sha256")
# The frozen figures and the comparison recorded at the first publication: what no revision carries.
RECORDED_FIELDS = (*FROZEN_FIELDS, "compared_with")


def current_portal() -> Portal:
    return Portal.objects.get(schema_name=selectors.current_schema())


def edition_title(portal: Portal, year: int) -> str:
    """The default title of an edition: "Stand van het Land 2026" on the national portal, "Stand van MAEX Zeeland
    2026" on a regional one. Content, so in the portal's language (Dutch) whatever language the admin speaks."""
    with translation.override(settings.LANGUAGE_CODE):
        if portal.is_national:
            return gettext("Stand van het Land %(year)s") % {"year": year}
        return gettext("Stand van %(name)s %(year)s") % {"name": portal.name, "year": year}


def frozen_message() -> str:
    return gettext(
        "Deze editie is gepubliceerd: haar cijfers liggen vast en veranderen niet meer. Maak voor nieuwe cijfers "
        "een nieuwe editie."
    )


class EditionPageForm(WagtailAdminPageForm):
    """The title and the address follow from the year when left empty; the area is one this portal shows, and
    fixed once the edition is published."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title", "slug"):
            if name in self.fields:
                self.fields[name].required = False
        if "area_key" in self.fields:
            portal = current_portal()
            self.fields["area_key"].widget = forms.Select(choices=areas.choices(portal))
            if not self.instance.area_key:
                self.initial.setdefault("area_key", areas.of_portal(portal).key)
            if self.instance.first_published_at:
                self.fields["area_key"].disabled = True

    def clean(self):
        year = self.cleaned_data.get("year")
        if year and not self.cleaned_data.get("title"):
            self.cleaned_data["title"] = edition_title(current_portal(), year)
        if year and not self.cleaned_data.get("slug"):
            self.cleaned_data["slug"] = str(year)
        return super().clean()


@dataclass(frozen=True)
class PreviousEdition:
    """The edition another is compared with, as recorded (``EditionPage.compared_with``): its year, title and frozen
    totals (all the differences compare); ``url`` links it while it is still published."""

    page_id: int
    year: int
    title: str
    frozen: dict  # the totals as stored

    @classmethod
    def of_page(cls, page) -> PreviousEdition:
        return cls(page.pk, page.year, page.title, page.area_figures["totals"])

    @classmethod
    def of_record(cls, record: dict) -> PreviousEdition:
        return cls(record["page"], record["year"], record["title"], record["totals"])

    def record(self) -> dict:
        return {"page": self.page_id, "year": self.year, "title": self.title, "totals": self.frozen}

    def figures(self) -> dict:
        """The figures the differences compare: the previous edition's frozen totals."""
        return {"totals": editions.thaw_totals(self.frozen)}

    @cached_property
    def url(self) -> str | None:
        page = EditionPage.objects.live().public().filter(pk=self.page_id).first()
        return page.get_url() if page is not None else None


class EditionPage(RoutablePageMixin, Page):
    """One edition: the figures of ``area_key`` frozen when the draft is first saved (``freeze``; again on
    "Cijfers opnieuw vastleggen" while a draft) and never changed after the first publication (``save`` refuses),
    the editors' text, and the differences with the previous edition. Its PDF (``pdf/``) and CSV
    (``cijfers.csv``) are of the same frozen figures."""

    year = models.PositiveSmallIntegerField(_("jaar"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    intro = RichTextField(_("tekst van de redactie"), blank=True, features=RICH_TEXT_FEATURES)
    area_key = models.CharField(
        _("gebied"),
        max_length=80,
        blank=True,
        help_text=_("Standaard het gebied van het portaal zelf. Ligt vast zodra de editie is gepubliceerd."),
    )
    area_name = models.CharField(_("naam van het gebied"), max_length=200, blank=True, editable=False)
    frozen_at = models.DateTimeField(_("cijfers vastgelegd op"), null=True, blank=True, editable=False)
    area_figures = models.JSONField(_("cijfers"), null=True, blank=True, editable=False)
    figures_sha256 = models.CharField(
        _("controlegetal van de cijfers (SHA-256)"), max_length=64, blank=True, editable=False
    )
    # The edition it is compared with, recorded at its first publication and never changed after
    # (``record_comparison``): {"page", "year", "title", "totals"}, {} for a first edition; None while a draft,
    # whose comparison is the latest published edition frozen before it.
    compared_with = models.JSONField(_("vergeleken met"), null=True, blank=True, editable=False)

    content_panels = Page.content_panels + [FieldPanel("year"), FieldPanel("area_key"), FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    base_form_class = EditionPageForm
    # a copy takes its own figures and its own comparison
    exclude_fields_in_copy = ["area_name", "frozen_at", "area_figures", "figures_sha256", "compared_with"]
    parent_page_types = ["cms.EditionIndexPage"]
    subpage_types = []
    template = "cms/edition_page.html"

    class Meta:
        verbose_name = _("editie van de Stand")
        verbose_name_plural = _("edities van de Stand")

    # --- the frozen figures ---------------------------------------------------------------------------------

    def chosen_area(self) -> areas.Area:
        """The area of ``area_key`` (the portal's own when empty); a Dutch ValidationError for a key that names no
        area, or one this portal does not show."""
        portal = current_portal()
        key = (self.area_key or "").strip() or areas.of_portal(portal).key
        area = areas.parse(key)
        if area is None:
            raise ValidationError({"area_key": _("Het gebied “%(key)s” bestaat niet.") % {"key": key[:40]}})
        if not areas.allowed(portal, area):
            raise ValidationError(
                {"area_key": _("De cijfers van “%(key)s” staan niet op dit portaal.") % {"key": key[:40]}}
            )
        return area

    def freeze(self) -> None:
        """Take the figures of the area now (in memory; ``save`` stores them). Refused once published; a new page
        (a copy of a published edition, kept live) takes its own."""
        if self.pk and self.first_published_at:
            raise EditionFrozen(frozen_message())
        with translation.override(settings.LANGUAGE_CODE):  # the area's name is content: Dutch, as the title
            area = self.chosen_area()
        frozen = editions.freeze(figures_of(area))
        self.area_key, self.area_name = area.key, area.name
        self.area_figures, self.figures_sha256 = frozen, editions.digest(frozen)
        self.frozen_at = timezone.now()

    def clean(self):
        super().clean()
        if not self.first_published_at:
            self.chosen_area()

    def save(self, *args, **kwargs):
        """The one guard of the frozen figures: a published edition's are what the database holds, whatever the
        caller changed; a draft's are taken on its first save and again when its area changes."""
        stored = None
        if self.pk:
            stored = EditionPage.objects.filter(pk=self.pk).values("first_published_at", *RECORDED_FIELDS).first()
        if stored and stored["first_published_at"]:
            changed = [name for name in FROZEN_FIELDS if getattr(self, name) != stored[name]]
            if changed:
                raise EditionFrozen(frozen_message())
        elif not self.frozen_at or (stored and (self.area_key or "") != stored["area_key"]):
            self.freeze()
        recorded = stored["compared_with"] if stored else None
        if recorded is not None and self.compared_with != recorded:
            raise EditionFrozen(frozen_message())
        if self.live and recorded is None:
            self.record_comparison()
        return super().save(*args, **kwargs)

    def record_comparison(self) -> None:
        """Fix the edition this one is compared with, as it is when this one is published: unpublishing or
        publishing another edition later never changes a published edition's differences."""
        found = self._latest_published_before()
        self.compared_with = PreviousEdition.of_page(found).record() if found is not None else {}

    def with_content_json(self, content):
        """A revision never carries figures or the comparison: the page's own row holds them (so publishing an
        older draft cannot bring back figures taken before a "Cijfers opnieuw vastleggen")."""
        obj = super().with_content_json(content)
        for name in RECORDED_FIELDS:
            setattr(obj, name, getattr(self, name))
        return obj

    def figures(self) -> dict:
        """The frozen figures (today's, before the first save has frozen any)."""
        return editions.thaw(self.area_figures) if self.area_figures else figures_of(self.chosen_area())

    def area(self) -> areas.Area | None:
        return editions.area_of(self.area_key, self.area_name)

    def verified(self) -> bool:
        """Whether the stored figures still have the SHA-256 taken when they were frozen."""
        return bool(self.area_figures) and editions.digest(self.area_figures) == self.figures_sha256

    def previous(self) -> PreviousEdition | None:
        """The edition this one is compared with: the one recorded at its first publication (``compared_with``);
        for a draft, the latest published edition of this portal for the same area frozen before it; or None."""
        if self.compared_with is not None:
            return PreviousEdition.of_record(self.compared_with) if self.compared_with else None
        found = self._latest_published_before()
        return PreviousEdition.of_page(found) if found is not None else None

    def _latest_published_before(self):
        if not self.frozen_at:
            return None
        return (
            EditionPage.objects.live()
            .public()
            .filter(area_key=self.area_key, frozen_at__lt=self.frozen_at)
            .exclude(pk=self.pk)
            .order_by("-frozen_at")
            .first()
        )

    # --- serving ------------------------------------------------------------------------------------------

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        figures = self.figures()
        previous = self.previous()
        context.update(
            figures=figures,
            totals=figures["totals"],
            area=self.area(),
            previous=previous,
            differences=editions.differences(figures, previous.figures()) if previous else [],
        )
        return context

    @path("")
    def edition(self, request):
        return self.render(request)

    @path("pdf/")
    def pdf(self, request):
        def make(tag):
            from .edition_pdf import render_pdf  # fpdf2 is loaded only for a PDF

            # the same bytes for the same tag: made once, not for every reader without a copy (the cache's keys
            # are per portal, maex/cache.py)
            data = cache.get_or_set(f"edition-pdf:{self.pk}:{tag}", lambda: render_pdf(self), EDITION_PDF_SECONDS)
            response = HttpResponse(data, content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="{self.slug_for_files()}.pdf"'
            return response

        return self._download(request, make)

    def csv(self, request):
        """Served at ``cijfers.csv`` after the page's address by ``cms.views.edition_csv``."""

        def make(tag):
            response = HttpResponse(figures_csv(self.figures()), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'inline; filename="{self.slug_for_files()}.csv"'
            return response

        return self._download(request, make)

    def _download(self, request, make):
        """A file of the edition with its licence, ``ETag`` and ``Last-Modified``; 304 to a reader who holds it. The
        figures and the comparison never change once published, the editors' text may: the tag is the files'
        format, the figures' hash, the last publication and the language of the labels."""
        changed = self.last_published_at or self.frozen_at
        moment = int(changed.timestamp()) if changed else 0
        tag = f'"{EDITION_FILES_FORMAT}-{self.figures_sha256[:16]}-{moment}-{get_language() or ""}"'
        response = get_conditional_response(request, etag=tag, last_modified=moment or None)
        if response is None:
            response = make(tag)
        response["ETag"] = tag
        if changed:
            response["Last-Modified"] = http_date(moment)
        return with_licence(response)

    def slug_for_files(self) -> str:
        return f"stand-{self.area_key.replace(':', '-')}-{self.year}"
