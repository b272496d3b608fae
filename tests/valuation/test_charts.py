"""Chart shapes for the edge cases: nothing valued, one domain only, extreme values, several series."""

import math
from decimal import Decimal

import pytest

from valuation.charts import LABEL_FONT, handprint, radar, wrap_label

DOMAINS = [("armoede", "Armoede"), ("zorg", "Zorg"), ("groen", "Groen"), ("werk", "Werk")]
SDGS = [(n, f"SDG {n}", "#e5243b") for n in range(1, 18)]


def _radius(chart, x, y):
    return ((x - chart.centre) ** 2 + (y - chart.centre) ** 2) ** 0.5


def test_no_activities_draws_an_empty_web_at_the_centre_and_every_domain_is_a_gap():
    chart = radar(DOMAINS, [("Leeg", {})])
    assert chart.empty and chart.gaps == ("armoede", "zorg", "groen", "werk")
    assert all(_radius(chart, x, y) == 0 for x, y in chart.series[0].dots)


def test_one_domain_only_reaches_the_edge_on_that_axis_and_nowhere_else():
    chart = radar(DOMAINS, [("Eén", {"zorg": Decimal("1000")})])
    radii = [_radius(chart, x, y) for x, y in chart.series[0].dots]
    assert abs(radii[1] - chart.radius) < 0.01 and radii[0] == radii[2] == radii[3] == 0
    assert chart.gaps == ("armoede", "groen", "werk")


def test_extreme_values_stay_inside_the_chart_on_a_shared_scale():
    chart = radar(DOMAINS, [("Groot", {"armoede": Decimal("1e12")}), ("Klein", {"armoede": Decimal("0.01")})])
    big, small = (_radius(chart, *s.dots[0]) for s in chart.series)
    assert abs(big - chart.radius) < 0.01 and 0 <= small < 0.001
    assert all(0 <= _radius(chart, x, y) <= chart.radius + 0.01 for s in chart.series for x, y in s.dots)


def test_overlaid_series_are_told_apart_by_colour_and_by_dash_pattern():
    chart = radar(DOMAINS, [(f"I{k}", {"zorg": Decimal(k + 1)}) for k in range(5)])
    assert len({s.colour for s in chart.series}) == 5 and len({s.dash for s in chart.series}) == 5


def test_handprint_intensity_follows_the_share_and_zero_stays_blank():
    hp = handprint(SDGS, {3: Decimal("300"), 10: Decimal("100")})
    cells = {c.number: c for c in hp["cells"]}
    assert cells[3].opacity == 1.0 and 0.12 < cells[10].opacity < 1.0 and cells[1].opacity == 0
    assert cells[1].colour == "#ffffff" and cells[3].share == Decimal("0.75")
    assert not hp["empty"] and handprint(SDGS, {})["empty"]


def _real_domains(language: str) -> list[tuple[str, str]]:
    import csv

    from django.conf import settings

    with open(settings.BASE_DIR / "geo" / "data" / "value_domains.csv", encoding="utf-8") as rows:
        return [(row["code"], row[f"name_{language}"]) for row in csv.DictReader(rows)]


def _view_box(chart):
    left, top, width, height = (float(v) for v in chart.view_box.split())
    return left, top, left + width, top + height


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("count", [3, 5, 8, 10])
def test_every_label_fits_inside_the_chart(language, count):
    domains = (_real_domains(language) * 2)[:count]
    chart = radar(domains, [("Een", {code: Decimal(1) for code, _ in domains})])
    left, top, right, bottom = _view_box(chart)
    # The web and every label (its estimated extent) lie inside the viewBox: nothing is cut off
    assert left <= -chart.radius and right >= chart.radius and top <= -chart.radius and bottom >= chart.radius
    for axis in chart.axes:
        box_left, box_top, box_right, box_bottom = axis.box
        assert left <= box_left and box_right <= right and top <= box_top and box_bottom <= bottom, axis.label
        # clear of the web: the label starts beyond the end of its spoke
        assert math.dist((0, 0), (axis.label_x, axis.lines[len(axis.lines) // 2].y)) >= chart.radius
    # and with the platform's own domains, the labels' text is large enough to read on a phone: at 300 px wide,
    # at least 9 px (a label of one long word beside the web, as the made-up lists of 10 have, takes more room)
    if domains == _real_domains(language):
        assert LABEL_FONT * 300 / chart.width >= 9


def test_long_domain_names_wrap_and_labels_point_away_from_the_web():
    domains = _real_domains("en")  # the longest names: "Green spaces and living environment"
    chart = radar(domains, [("Een", {})])
    green = next(a for a in chart.axes if a.code == "groen")
    assert [line.text for line in green.lines] == ["Green spaces", "and living", "environment"]
    assert all(len(line.text) <= 14 or " " not in line.text for a in chart.axes for line in a.lines)
    assert wrap_label("bestaanszekerheid") == ("bestaanszekerheid",)  # one long word is never cut
    # anchored by angle: the top and bottom labels centred, the right side starting, the left side ending at the web
    anchors = {a.code: a.anchor for a in chart.axes}
    assert anchors["armoede"] == anchors["educatie"] == "middle"
    assert anchors["insluiting"] == anchors["zorg"] == anchors["werk"] == "start"
    assert anchors["energie"] == anchors["groen"] == anchors["cultuur"] == "end"
    # above the web a label grows upwards, below it downwards
    top, bottom = chart.axes[0], chart.axes[4]
    assert top.box[3] <= -chart.radius and bottom.box[1] >= chart.radius
