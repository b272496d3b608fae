"""Chart shapes for the edge cases: nothing valued, one domain only, extreme values, several series."""

from decimal import Decimal

from valuation.charts import handprint, radar

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
