"""The starting palettes a new portal can be launched with (branding/palettes.py) meet WCAG AA as the branding
model checks it, so a launch never stores colours an editor could not save."""

import pytest

from branding import palettes, tokens
from branding.contrast import AA_TEXT, contrast_ratio
from branding.models import BrandingSettings
from portals.launch import launch_problems


@pytest.mark.parametrize("palette", palettes.PALETTES, ids=lambda p: p.key)
def test_every_palette_meets_wcag_aa(palette):
    assert contrast_ratio(palette.primary_text_colour, palette.primary_colour) >= AA_TEXT
    for background in (tokens.PAGE_BACKGROUND, tokens.SURFACE):
        assert contrast_ratio(palette.primary_colour, background) >= AA_TEXT
    BrandingSettings(**palette.values()).clean()  # the model's own check raises nothing


def test_the_palettes_differ_and_one_is_not_the_national_look():
    colours = [tuple(p.values().values()) for p in palettes.PALETTES]
    assert len(set(colours)) == len(colours)
    assert palettes.BY_KEY[palettes.DEFAULT_LAUNCH_PALETTE].primary_colour != tokens.DEFAULT_PRIMARY


def test_an_unknown_palette_is_refused(db):
    problems = launch_problems(
        name="MAEX Test",
        schema_name="testpalet",
        kind="province",
        hosts=["testpalet.localhost"],
        municipality_codes=["GM0664"],
        first_admin_email="a@example.org",
        palette="regenboog",
    )
    assert problems == {"palette": "Kies een van de startkleuren."}
