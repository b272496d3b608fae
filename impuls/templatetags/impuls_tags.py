"""Template filters of MAEX Impuls: amounts in integer cents as a person reads them."""

from django import template

from ..services import amount, euros

register = template.Library()


@register.filter
def cents(value, round=None) -> str:
    """Integer cents as "€ 1.234,56" (whole euros without cents); in a round in kind, hundredths of its unit as
    "12,5 uren deskundige"."""
    if value is None or value == "":
        return ""
    return amount(round, int(value)) if round is not None else euros(int(value))


@register.filter
def percent_of(part, whole) -> int:
    """``part`` as a whole percentage of ``whole`` (0 when ``whole`` is 0), for a bar's text."""
    whole = int(whole or 0)
    return 0 if whole <= 0 else max(0, min(100, round(int(part or 0) * 100 / whole)))


@register.filter
def iban_groups(value: str) -> str:
    """A stored (compact) IBAN in groups of four, as printed on a bank card: "NL91 ABNA 0417 1643 00"."""
    value = value or ""
    return " ".join(value[k : k + 4] for k in range(0, len(value), 4))
