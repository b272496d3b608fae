"""Amounts in the Impuls admin: ``{{ cents|cents }}`` as "€ 1.250", ``{{ decimal|money }}`` as "€ 1.250,50"."""

from decimal import Decimal

from django import template

from impuls.services import euros

register = template.Library()


@register.filter
def cents(value) -> str:
    return "—" if value is None else euros(int(value))


@register.filter
def money(value) -> str:
    if value is None:
        return "—"
    return euros(int((Decimal(value) * 100).to_integral_value()))
