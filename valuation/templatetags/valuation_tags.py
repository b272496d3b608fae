"""Chart tags: ``{% waardenweb domains series show_amounts %}`` and ``{% handprint by_sdg show_amounts %}``; and
``{% price_list_note versions %}``, which says what a euro total was computed with."""

import itertools
from decimal import Decimal

from django import template
from django.db.models import Exists, OuterRef

from geo.models import SDG, ValueDomain
from valuation import charts
from valuation.models import PriceItem, PriceList

register = template.Library()
_ids = itertools.count(1)


@register.inclusion_tag("valuation/waardenweb.html")
def waardenweb(series, show_amounts=True, title="", unit="euro", amounts=None, caption="", table_class=""):
    """``series``: [(name, {domain code: Decimal})], 1 to 5 of them, drawn as they are and shown in the table
    behind the chart. ``unit="percent"``: the values are whole percents (each series' share per domain, public
    whatever ``show_amounts``); ``amounts`` then adds each series' euros per domain to the table
    ([{domain code: Decimal}], in the order of ``series``; give it only where amounts may be shown)."""
    domains = [(d.code, d.name) for d in ValueDomain.objects.all()]
    chart = charts.radar(domains, list(series))
    labels = dict(domains)
    rows = [
        (
            code,
            labels[code],
            [
                {"value": s.values[code], "amount": amounts[k].get(code, Decimal(0)) if amounts else None}
                for k, s in enumerate(chart.series)
            ],
        )
        for code, _ in domains
    ]
    return {
        "chart": chart,
        "rows": rows,
        "show_amounts": show_amounts,
        "percent": unit == "percent",
        "title": title,
        "caption": caption or title,
        "table_class": table_class,
        "max_width": round(chart.width * 1.25),  # at most: its labels then print at about 16 px
        "gap_labels": [labels[c] for c in chart.gaps],
        "uid": f"ww{next(_ids)}",
    }


@register.inclusion_tag("valuation/handprint.html")
def handprint(by_sdg, show_amounts=True, title=""):
    sdgs = [(s.number, s.name, s.color_hex) for s in SDG.objects.all()]
    data = charts.handprint(sdgs, {int(k): v for k, v in (by_sdg or {}).items()})
    return {"hp": data, "show_amounts": show_amounts, "title": title, "uid": f"hp{next(_ids)}"}


@register.inclusion_tag("valuation/_price_list_note.html")
def price_list_note(versions):
    """The price-list versions a euro total was computed with, and whether those lists hold example values
    without a citable source (one query). The index keeps no activities, so for a total the notice says the
    list holds example values, as the price-list page marks them
    (docs/decisions/0020-one-euro-rule-pages-and-api.md)."""
    versions = sorted(versions or [])
    with_examples = (
        list(
            PriceList.objects.filter(version__in=versions)
            .filter(Exists(PriceItem.objects.filter(price_list=OuterRef("pk"), is_example=True)))
            .values_list("version", flat=True)
        )
        if versions
        else []
    )
    return {"versions": versions, "with_examples": sorted(with_examples)}


@register.inclusion_tag("valuation/bar_chart.html")
def bar_chart(rows, title, series=None, unit="", heading="", caption=""):
    """Horizontal bars with their table (``charts.bars``): ``rows`` [(key, label, value)] or, with ``series``
    (the names of two or more series), [(key, label, [value per series])]. ``unit="percent"`` writes the values
    as percents; ``heading`` names the label column of the table."""
    given = list(rows or [])
    if series:
        series = list(series)
        data = [(k, label, list(v)) for k, label, v in given]
    else:
        data = [(k, label, [v]) for k, label, v in given]
    chart = charts.bars(data, series)
    return {
        "chart": chart,
        "title": title,
        "caption": caption or title,
        "several": bool(series) and len(series) > 1,
        "percent": unit == "percent",
        "heading": heading,
        "uid": f"bar{next(_ids)}",
    }
