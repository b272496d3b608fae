"""StreamField blocks of the portal pages. Text editors see is Dutch (the source language); templates live in
``themes/templates/cms/blocks/``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from national_index.models import IndexEntry

from .selectors import portal_totals

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul", "document-link"]


def portal_initiative_choices() -> list[tuple[str, str]]:
    """The published initiatives of the portal the editor works in (its schema), from the national index.

    Used as the choices of ``InitiativeChoiceBlock``: an editor can only pick initiatives of their own portal,
    and the block's validation refuses any other UUID."""
    entries = (
        IndexEntry.objects.filter(portal__schema_name=connection.schema_name)
        .select_related("municipality")
        .order_by("name", "uuid")
        .values_list("uuid", "name", "municipality__name")
    )
    return [(str(uuid), f"{name} ({municipality})") for uuid, name, municipality in entries]


class InitiativeChoiceBlock(blocks.ChoiceBlock):
    """One initiative of this portal, stored by its UUID (never the tenant-local primary key)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", portal_initiative_choices)
        kwargs.setdefault("label", _("Initiatief"))
        super().__init__(**kwargs)

    class Meta:
        icon = "group"


class AccessibleImageBlock(blocks.StructBlock):
    """An image with a required text alternative (WCAG 1.1.1)."""

    image = ImageChooserBlock(label=_("Afbeelding"))
    alt = blocks.CharBlock(
        label=_("Alternatieve tekst"),
        max_length=250,
        help_text=_("Beschrijf wat er op de afbeelding te zien is, voor wie haar niet kan zien."),
    )
    caption = blocks.CharBlock(label=_("Onderschrift"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Afbeelding")
        template = "cms/blocks/image.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Citaat"))
    attribution = blocks.CharBlock(label=_("Wie zegt het"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Citaat")
        template = "cms/blocks/quote.html"


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titel"), max_length=120)
    text = blocks.TextBlock(label=_("Tekst"), required=False)
    link_text = blocks.CharBlock(label=_("Tekst van de knop"), max_length=60)
    page = blocks.PageChooserBlock(label=_("Pagina"), required=False)
    url = blocks.CharBlock(
        label=_("Of een adres"),
        required=False,
        max_length=300,
        help_text=_("Een volledig adres (https://...) of een pad op deze site, zoals /aanmelden/."),
    )

    class Meta:
        icon = "pick"
        label = _("Oproep")
        template = "cms/blocks/call_to_action.html"

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            message = _("Kies een pagina of vul een adres in (één van beide).")
            raise StructBlockValidationError(block_errors={"url": ValidationError(message)})
        url = value.get("url") or ""
        if url and not url.startswith(("/", "https://", "http://", "mailto:")):
            raise StructBlockValidationError(
                block_errors={"url": ValidationError(_("Begin het adres met /, https:// of mailto:."))}
            )
        return value


class KeyFiguresBlock(blocks.StructBlock):
    """The portal's key figures, read from the national index when the page is shown (never typed in)."""

    title = blocks.CharBlock(label=_("Titel"), required=False, max_length=120)

    class Meta:
        icon = "table"
        label = _("Kerncijfers")
        template = "cms/blocks/key_figures.html"
        help_text = _("Toont de actuele cijfers van dit portaal uit de landelijke index.")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["totals"] = portal_totals()
        return context


class ContentStreamBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(label=_("Tekst"), features=RICH_TEXT_FEATURES, template="cms/blocks/text.html")
    image = AccessibleImageBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    embed = EmbedBlock(label=_("Video of ingesloten inhoud"), template="cms/blocks/embed.html")
    key_figures = KeyFiguresBlock()
