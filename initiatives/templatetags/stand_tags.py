"""The labelled rows of the Stand van het Land's sections (decision 0034): ``{% stand_rows figures "needs" as
rows %}`` and the like, for ``valuation_tags.bar_chart`` and the tables. The national index knows codes; the
names are the profile's choices (``initiatives.stand``)."""

from django import template

from initiatives import stand

register = template.Library()


@register.simple_tag
def stand_rows(figures, figure):
    """The rows of one breakdown of ``figures`` (``national_index.figures.public_figures``):
    ``needs`` (open and fulfilled per kind), ``income_mix``, ``founding_decades``, ``districts``, or a breakdown by
    a choice (``partner_kinds``, ``legal_forms``, ``phases``)."""
    if not figures:
        return []
    if figure == "needs":
        return stand.needs_rows(figures["needs"], figures["needs_fulfilled"])
    if figure == "income_mix":
        return stand.income_rows(figures["income_mix"])
    if figure == "founding_decades":
        return stand.decade_rows(figures["founding_years"])
    if figure == "districts":
        return stand.district_rows(figures["districts"])
    return stand.choice_rows(figure, figures[figure])


@register.simple_tag
def needs_series():
    return [str(stand.MEASURES_NEEDS[0]), str(stand.MEASURES_NEEDS[1])]


@register.filter
def domain_values(by_key, measure="share"):
    """``{key: {measure: value}}`` → ``{key: value}`` (0 for None), for the waardenweb and the handprint."""
    return {k: (v.get(measure) or 0) for k, v in (by_key or {}).items()}


@register.simple_tag
def stand_web(figures, figure="domains"):
    """What the waardenweb (``domains``) or the handprint (``sdgs``) of ``figures`` may show, by the euro rule
    (decision 0020): the euros per key when every initiative of the area counts in euros, else each key's share
    of the value in percent (public, as an initiative's shares). {"series", "values", "show_amounts", "unit"}."""
    totals = figures["totals"]
    euros = stand.euros_per_key(totals)
    measure = "social_value" if euros else "share"
    values = domain_values(figures[figure], measure)
    return {
        "values": values,
        "series": [(str(stand.MEASURES["social_value"] if euros else stand.MEASURES["share"]), values)],
        "show_amounts": euros,
        "unit": "euro" if euros else "percent",
    }
