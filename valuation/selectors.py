"""Reads of the price list, and its conversion into the engine's PriceBook."""

from __future__ import annotations

from decimal import Decimal

from .engine import Price, PriceBook
from .models import PriceItem, PriceList


def current_price_list() -> PriceList | None:
    return PriceList.objects.filter(status=PriceList.Status.PUBLISHED).order_by("-published_on", "-created_at").first()


def price_book(price_list: PriceList) -> PriceBook:
    return PriceBook(
        version=price_list.version,
        prices={
            item.code: Price(
                item.code, item.unit, Decimal(item.unit_value), item.value_domain_id, item.weights, item.is_example
            )
            for item in price_list.items.all()
        },
    )


def items_grouped_by_sdg(price_list: PriceList) -> dict[int, list[PriceItem]]:
    groups: dict[int, list[PriceItem]] = {}
    for item in price_list.items.select_related("value_domain").order_by("activity_nl"):
        groups.setdefault(item.primary_sdg, []).append(item)
    return dict(sorted(groups.items()))


def current_book() -> PriceBook | None:
    price_list = current_price_list()
    return price_book(price_list) if price_list else None
