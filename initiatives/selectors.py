"""Reads of a portal's own initiatives (the current schema)."""

from decimal import Decimal

from geo.models import SDG, Municipality
from tenants.models import Coverage
from valuation.engine import ratios
from valuation.models import PriceItem, PriceList
from valuation.selectors import current_price_list

from .models import Initiative


def detail(slug: str) -> Initiative | None:
    return (
        Initiative.objects.select_related("municipality__province")
        .prefetch_related("partners", "needs", "offers", "activities")
        .filter(slug=slug)
        .first()
    )


def awaiting_review():
    return (
        Initiative.objects.filter(status=Initiative.Status.SUBMITTED)
        .select_related("municipality")
        .order_by("created_at")
    )


def municipalities_of(portal):
    """The municipalities a portal covers (the national portal: all)."""
    if portal.is_national:
        return list(Municipality.objects.order_by("name"))
    ids = Coverage.objects.filter(portal=portal).values("municipality_id")
    return list(Municipality.objects.filter(pk__in=ids).order_by("name"))


def valuation_view(initiative, *, show_amounts: bool) -> dict:
    """What the initiative page shows of the valuation: charts, ratios, activities with their price items."""
    current = current_price_list()
    used = PriceList.objects.filter(version=initiative.valued_with).first() if initiative.valued_with else None
    codes = [a.item_code for a in initiative.activities.all()]
    items = {i.code: i for i in PriceItem.objects.filter(price_list=used, code__in=codes)} if used else {}
    by_domain = {k: Decimal(v) for k, v in initiative.value_by_domain.items()}
    by_sdg = {int(k): Decimal(v) for k, v in initiative.value_by_sdg.items()}
    # Two SDG sets, shown as what they are (docs/decisions/0020-one-euro-rule-pages-and-api.md): the goals the
    # initiative ticks itself, and the SDGs its activities give value to by the price list (the handprint).
    declared = sorted(initiative.sdgs)
    return {
        "show_amounts": show_amounts,
        "series": [(initiative.name, by_domain)],
        "by_sdg": by_sdg,
        "declared_sdgs": list(SDG.objects.filter(number__in=declared).order_by("number")) if declared else [],
        "handprint_sdgs": sorted(n for n, v in by_sdg.items() if v > 0),
        "ratios": ratios(
            volunteers=initiative.volunteers,
            paid_staff=initiative.paid_staff,
            paid_fte=initiative.paid_fte,
            income=initiative.income_mix,
        ),
        "activities": [(a, items.get(a.item_code)) for a in initiative.activities.all()],
        "uses_examples": any(i.is_example for i in items.values()),
        "valued_with": initiative.valued_with,
        "recomputing_to": current.version if current and used and current.pk != used.pk else "",
    }
