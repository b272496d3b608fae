"""The WCAG contrast computation: a pure function, checked against known pairs."""

import pytest

from branding.contrast import contrast_ratio, meets, normalise_hex, relative_luminance, shown_ratio


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("#000000", "#ffffff", 21.0),
        ("#000", "#fff", 21.0),
        ("#ffffff", "#ffffff", 1.0),
        ("#777777", "#ffffff", 4.478),
        ("#767676", "#ffffff", 4.542),  # the classic lightest grey that passes AA on white
        ("#1d4f91", "#ffffff", 8.14),
        ("#ff0000", "#ffffff", 3.998),
    ],
)
def test_contrast_ratio_of_known_pairs(first, second, expected):
    assert contrast_ratio(first, second) == pytest.approx(expected, abs=0.005)


def test_order_does_not_matter():
    assert contrast_ratio("#005a8c", "#ffffff") == contrast_ratio("#ffffff", "#005a8c")


def test_aa_threshold():
    assert meets("#767676", "#ffffff")
    assert not meets("#777777", "#ffffff")
    assert meets("#777777", "#ffffff", minimum=3.0)  # large text


def test_luminance_extremes_and_case():
    assert relative_luminance("#000000") == 0
    assert relative_luminance("#FFFFFF") == pytest.approx(1.0)
    assert normalise_hex("#AbC") == "#aabbcc"


@pytest.mark.parametrize("bad", ["", "red", "#12345", "#1234567", "1d4f91", "#ggg", "#fff;}body{x:y"])
def test_anything_but_a_hex_colour_is_refused(bad):
    with pytest.raises(ValueError):
        normalise_hex(bad)


def test_shown_ratio_rounds_down_with_a_dutch_comma():
    assert shown_ratio(4.478) == "4,47"
    assert shown_ratio(4.4999) == "4,49"
    assert shown_ratio(21.0) == "21,00"
