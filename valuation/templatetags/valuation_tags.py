"""Chart tags: ``{% waardenweb domains series show_amounts %}`` and ``{% handprint by_sdg show_amounts %}``."""

import itertools

from django import template

from geo.models import SDG, ValueDomain
from valuation import charts

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
