"""Starting palettes a new portal can be launched with (``portals/launch.py``), so a new portal does not look
exactly like the national one from its first minute. Each is a set of ``BrandingSettings`` colours that meets
WCAG AA as the model's ``clean()`` checks it (``branding/contrast.py``; tested in tests/branding/); the portal's
editors change them afterwards in Settings > Branding like any other branding."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import tokens


@dataclass(frozen=True)
class Palette:
    key: str
    label: str | Promise
    primary_colour: str
    primary_text_colour: str
    secondary_colour: str

    def values(self) -> dict[str, str]:
        """The branding fields this palette sets (``branding.services.apply_branding(**palette.values())``)."""
        return {
            "primary_colour": self.primary_colour,
            "primary_text_colour": self.primary_text_colour,
            "secondary_colour": self.secondary_colour,
        }


PALETTES = (
    Palette("zee", _("Zeeblauw met zonnegeel"), "#005a8c", "#ffffff", "#ffd200"),
    Palette("groen", _("Stadsgroen met oker"), "#00693e", "#ffffff", "#d9a400"),
    Palette("rood", _("Dieprood met goud"), "#9b1b30", "#ffffff", "#c9a13b"),
    Palette("paars", _("Paars met oranje"), "#5b2a86", "#ffffff", "#f28c28"),
    Palette("antraciet", _("Antraciet met mintgroen"), "#2f3e46", "#ffffff", "#52b788"),
    Palette(
        "landelijk",
        _("Landelijk blauw (als de landelijke MAEX)"),
        tokens.DEFAULT_PRIMARY,
        tokens.DEFAULT_PRIMARY_CONTRAST,
        tokens.DEFAULT_SECONDARY,
    ),
)
BY_KEY = {palette.key: palette for palette in PALETTES}
DEFAULT_LAUNCH_PALETTE = "zee"  # the launch form's first suggestion: anything but the national look


def choices() -> list[tuple[str, str | Promise]]:
    return [(palette.key, palette.label) for palette in PALETTES]
