"""The valuation engine: pure Python with Decimal, no ORM, no Django.

An initiative's social value is the sum over its activities of quantity x unit value from one published
price-list version. Each line's value is rounded to cents once; every total is a sum of those cents, so
totals are exactly additive. The value per SDG (the Social Handprint) splits each line over its SDGs by
whole-percent weights; the value per domain (the waardenweb) puts each line in its item's domain.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
SHARE = Decimal("0.0001")
# Units whose quantity counts people helped (welfare deliveries); hours, kWh and the like do not.
PERSON_UNITS = frozenset({"participant", "meal", "household", "person_year"})


class ValuationError(ValueError):
    """Input the engine cannot value (negative quantity, weights not adding up to 100)."""


@dataclass(frozen=True)
class Price:
    code: str
    unit: str
    unit_value: Decimal
    domain: str
    sdg_weights: Mapping[int, int]  # SDG number -> whole percent; adds up to 100
    is_example: bool = False  # an example value without a citable source (the price-list page marks it)

    def __post_init__(self):
        if self.unit_value < 0:
            raise ValuationError(f"{self.code}: a unit value cannot be negative")
        if sum(self.sdg_weights.values()) != 100 or any(w <= 0 for w in self.sdg_weights.values()):
            raise ValuationError(f"{self.code}: SDG weights must be positive and add up to 100")


@dataclass(frozen=True)
class PriceBook:
    """One published price-list version."""

    version: str
    prices: Mapping[str, Price]


@dataclass(frozen=True)
class ActivityLine:
    code: str
    quantity: Decimal  # per year


@dataclass(frozen=True)
class LineValue:
    code: str
    quantity: Decimal
    unit_value: Decimal
    value: Decimal


@dataclass(frozen=True)
class Valuation:
    version: str
    total: Decimal
    by_domain: dict[str, Decimal]
    by_sdg: dict[int, Decimal]
    deliveries: Decimal
    lines: tuple[LineValue, ...] = ()
    unknown_codes: tuple[str, ...] = ()
    uses_examples: bool = False  # an example value contributed to the total (a line with a value above 0)

    def as_json(self) -> dict:
        return {
            "version": self.version,
            "total": str(self.total),
            "by_domain": {k: str(v) for k, v in self.by_domain.items()},
            "by_sdg": {str(k): str(v) for k, v in self.by_sdg.items()},
            "deliveries": str(self.deliveries),
            "uses_examples": self.uses_examples,
        }


def value(book: PriceBook, activities: Iterable[ActivityLine]) -> Valuation:
    """Value a set of activities with one price book. Codes missing from the book are reported, not
    valued (a newer version may have dropped an item)."""
    lines: list[LineValue] = []
    unknown: list[str] = []
    by_domain: dict[str, Decimal] = defaultdict(Decimal)
    by_sdg: dict[int, Decimal] = defaultdict(Decimal)
    deliveries = Decimal(0)
    uses_examples = False
    for activity in activities:
        if activity.quantity < 0:
            raise ValuationError(f"{activity.code}: a quantity cannot be negative")
        price = book.prices.get(activity.code)
        if price is None:
            unknown.append(activity.code)
            continue
        line_value = (activity.quantity * price.unit_value).quantize(CENT, rounding=ROUND_HALF_UP)
        lines.append(LineValue(activity.code, activity.quantity, price.unit_value, line_value))
        uses_examples = uses_examples or (price.is_example and line_value > 0)
        by_domain[price.domain] += line_value
        for sdg, weight in price.sdg_weights.items():
            by_sdg[sdg] += (line_value * weight / 100).quantize(SHARE, rounding=ROUND_HALF_UP)
        if price.unit in PERSON_UNITS:
            deliveries += activity.quantity
    return Valuation(
        version=book.version,
        total=sum((line.value for line in lines), Decimal(0)),
        by_domain=dict(sorted(by_domain.items())),
        by_sdg=dict(sorted(by_sdg.items())),
        deliveries=deliveries,
        lines=tuple(lines),
        unknown_codes=tuple(unknown),
        uses_examples=uses_examples,
    )


@dataclass(frozen=True)
class Ratios:
    """How an organisation is put together (from the profile, not the price list)."""

    volunteers: int
    paid_staff: int
    volunteer_share: Decimal | None  # volunteers / (volunteers + paid staff)
    volunteers_per_fte: Decimal | None
    own_income_share: Decimal  # sales + contributions, in percent
    grants_and_donations_share: Decimal  # subsidy + funds and donations, in percent
    other_share: Decimal = field(default=Decimal(0))


def ratios(*, volunteers: int, paid_staff: int, paid_fte: Decimal, income: Mapping[str, int]) -> Ratios:
    people = volunteers + paid_staff
    return Ratios(
        volunteers=volunteers,
        paid_staff=paid_staff,
        volunteer_share=(Decimal(volunteers) / people).quantize(SHARE) if people else None,
        volunteers_per_fte=(Decimal(volunteers) / paid_fte).quantize(CENT) if paid_fte else None,
        own_income_share=Decimal(income.get("income_sales", 0) + income.get("income_contributions", 0)),
        grants_and_donations_share=Decimal(income.get("income_subsidy", 0) + income.get("income_funds", 0)),
        other_share=Decimal(income.get("income_other", 0)),
    )
