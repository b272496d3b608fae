"""Chart tags: ``{% waardenweb domains series show_amounts %}`` and ``{% handprint by_sdg show_amounts %}``; and
``{% price_list_note versions %}``, which says what a euro total was computed with."""

import itertools

from django import template
from django.db.models import Exists, OuterRef

from geo.models import SDG, ValueDomain
from valuation import charts
from valuation.models import PriceItem, PriceList

register = template.Library()
_ids = itertools.count(1)


@register.inclusion_tag("valuation/waardenweb.html")
def waardenweb(series, show_amounts=True, title=""):
    """``series``: [(name, {domain code: Decimal})], 1 to 5 of them."""
    domains = [(d.code, d.name) for d in ValueDomain.objects.all()]
    chart = charts.radar(domains, list(series))
    labels = dict(domains)
    rows = [(code, labels[code], [s.values[code] for s in chart.series]) for code, _ in domains]
    return {
        "chart": chart,
        "rows": rows,
        "show_amounts": show_amounts,
        "title": title,
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
    (docs/decisions/0019-one-euro-rule-pages-and-api.md)."""
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
