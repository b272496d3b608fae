"""The public price list: every item with its value and where the figure comes from."""

from django.db.models import Q
from django.shortcuts import render

from .models import PriceList
from .selectors import current_price_list


def price_list(request):
    versions = PriceList.objects.filter(status=PriceList.Status.PUBLISHED).order_by("-published_on", "-created_at")
    chosen = versions.filter(version=request.GET.get("versie", "")).first() or current_price_list()
    q = (request.GET.get("q") or "").strip()[:100]
    items = chosen.items.select_related("value_domain").order_by("code") if chosen else []
    if q and chosen:
        items = items.filter(Q(activity_nl__icontains=q) | Q(activity_en__icontains=q) | Q(code__icontains=q))
    return render(
        request,
        "valuation/price_list.html",
        {"price_list": chosen, "versions": versions, "items": items, "q": q},
    )
