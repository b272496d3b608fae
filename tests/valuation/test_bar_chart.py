"""The bar chart geometry (valuation.charts.bars): one scale, a value for every bar, readable colours."""

from decimal import Decimal

from valuation import charts


def _contrast(colour: str) -> float:
    lum = charts._luminance(colour)
    return 1.05 / (lum + 0.05)


def test_the_largest_bar_is_full_length_and_a_missing_value_draws_none():
    chart = charts.bars(
        [("a", "Alfa", [10]), ("b", "Een heel lange naam die over twee regels loopt", [5]), ("c", "", [None])]
    )
    lengths = [row.bars[0].length for row in chart.rows]
    assert lengths == [charts.BAR_LENGTH, charts.BAR_LENGTH / 2, 0.0]
    assert len(chart.rows[1].lines) == 2 and not chart.empty
    # Every bar's value text starts after the bar, inside the drawing
    for row in chart.rows:
        for bar in row.bars:
            assert bar.x + bar.length < bar.text_x < chart.width


def test_two_series_share_one_scale_and_the_colours_keep_three_to_one_against_white():
    chart = charts.bars([("geld", "Geld", [4, 2]), ("kennis", "Kennis", [0, 8])], ["open", "vervuld"])
    assert chart.maximum == Decimal(8)
    assert [b.length for b in chart.rows[1].bars] == [0.0, charts.BAR_LENGTH]
    assert all(_contrast(c) >= 3 for c in charts.BAR_COLOURS)


def test_no_values_is_an_empty_chart():
    assert charts.bars([("a", "Alfa", [0])]).empty
    assert charts.bars([]).empty
