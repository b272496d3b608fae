"""A portal's branding (huisstijl): a Wagtail site setting in the portal's own schema.

Colours are checked for WCAG AA contrast before they can be saved; the templates read the branding only as
design tokens (``branding.tokens``) and as content (logo, tagline, footer, links).
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField

from . import tokens
from .contrast import AA_TEXT, contrast_ratio, is_hex, normalise_hex, shown_ratio

hex_colour = RegexValidator(
    r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$",
    _("Geef een kleur als hexadecimale code, zoals #1d4f91."),
    code="invalid_colour",
)


def colour_field(verbose_name, default, help_text):
    return models.CharField(verbose_name, max_length=7, default=default, validators=[hex_colour], help_text=help_text)


@register_setting(icon="image")
class BrandingSettings(BaseSiteSetting):
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Staat links in de kop, naast de naam van het portaal."),
    )
    favicon = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("favicon"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Een vierkante afbeelding; wordt 32 × 32 pixels."),
    )
    primary_colour = colour_field(
        _("hoofdkleur"),
        tokens.DEFAULT_PRIMARY,
        _("Achtergrond van de kop en knoppen, en de kleur van links op witte achtergrond."),
    )
    primary_text_colour = colour_field(
        _("tekstkleur op de hoofdkleur"),
        tokens.DEFAULT_PRIMARY_CONTRAST,
        _("Tekst in de kop en op knoppen. Meestal wit (#ffffff)."),
    )
    secondary_colour = colour_field(
        _("accentkleur"),
        tokens.DEFAULT_SECONDARY,
        _("Voor lijnen en accenten, nooit voor tekst."),
    )
    font = models.CharField(_("lettertype"), max_length=20, choices=tokens.FONT_CHOICES, default=tokens.DEFAULT_FONT)
    tagline = models.CharField(_("ondertitel in de kop"), max_length=120, blank=True)
    footer_text = RichTextField(_("tekst in de voet"), features=["bold", "italic", "link"], blank=True)
    linkedin_url = models.URLField(_("LinkedIn"), blank=True)
    instagram_url = models.URLField(_("Instagram"), blank=True)
    facebook_url = models.URLField(_("Facebook"), blank=True)
    mastodon_url = models.URLField(_("Mastodon"), blank=True)
    bluesky_url = models.URLField(_("Bluesky"), blank=True)
    contact_email = models.EmailField(_("e-mailadres voor contact"), blank=True)
    contact_phone = models.CharField(_("telefoonnummer voor contact"), max_length=30, blank=True)

    select_related = ["logo", "favicon"]

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldRowPanel([FieldPanel("logo"), FieldPanel("favicon")]),
                    MultiFieldPanel(
                        [
                            FieldPanel("primary_colour"),
                            FieldPanel("primary_text_colour"),
                            FieldPanel("secondary_colour"),
                        ],
                        heading=_("Kleuren"),
                        help_text=_(
                            "Kleuren moeten voldoen aan WCAG AA: een contrast van minstens 4,5:1 tussen tekst en "
                            "hoofdkleur, en tussen hoofdkleur en de witte achtergrond."
                        ),
                    ),
                    FieldPanel("font"),
                ],
                heading=_("Huisstijl"),
            ),
            ObjectList([FieldPanel("tagline"), FieldPanel("footer_text")], heading=_("Kop en voet")),
            ObjectList(
                [
                    MultiFieldPanel([FieldPanel("contact_email"), FieldPanel("contact_phone")], heading=_("Contact")),
                    MultiFieldPanel(
                        [
                            FieldPanel("linkedin_url"),
                            FieldPanel("instagram_url"),
                            FieldPanel("facebook_url"),
                            FieldPanel("mastodon_url"),
                            FieldPanel("bluesky_url"),
                        ],
                        heading=_("Sociale media"),
                    ),
                ],
                heading=_("Contact en sociale media"),
            ),
        ]
    )

    class Meta:
        verbose_name = _("huisstijl")
        verbose_name_plural = _("huisstijlen")

    SOCIAL_FIELDS = ["linkedin_url", "instagram_url", "facebook_url", "mastodon_url", "bluesky_url"]

    @property
    def social_links(self) -> list[tuple[str, str]]:
        return [
            (str(self._meta.get_field(name).verbose_name), getattr(self, name))
            for name in self.SOCIAL_FIELDS
            if getattr(self, name)
        ]

    def clean(self):
        super().clean()
        colours = ("primary_colour", "primary_text_colour", "secondary_colour")
        for name in colours:
            value = getattr(self, name)
            if is_hex(value or ""):
                setattr(self, name, normalise_hex(value))
        if not (is_hex(self.primary_colour or "") and is_hex(self.primary_text_colour or "")):
            return  # the field validators report the format
        errors = {}
        ratio = contrast_ratio(self.primary_text_colour, self.primary_colour)
        if ratio < AA_TEXT:
            errors["primary_text_colour"] = gettext(
                "Te weinig contrast: tekst in deze kleur op de hoofdkleur heeft een contrastverhouding van "
                "%(ratio)s:1; WCAG AA vraagt minstens 4,5:1. Kies een lichtere of donkerdere tekstkleur."
            ) % {"ratio": shown_ratio(ratio)}
        on_page = min(contrast_ratio(self.primary_colour, bg) for bg in (tokens.PAGE_BACKGROUND, tokens.SURFACE))
        if on_page < AA_TEXT:
            errors["primary_colour"] = gettext(
                "Te weinig contrast: links in de hoofdkleur op de witte of lichtgrijze achtergrond hebben een "
                "contrastverhouding van %(ratio)s:1; WCAG AA vraagt minstens 4,5:1. Kies een donkerdere hoofdkleur."
            ) % {"ratio": shown_ratio(on_page)}
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Explicit, not a signal: every save of the branding forgets the portal's cached token block.
        tokens.forget(self.site_id)

    def delete(self, *args, **kwargs):
        site_id = self.site_id
        result = super().delete(*args, **kwargs)
        tokens.forget(site_id)
        return result
