"""Reads of a portal's own initiatives (the current schema)."""

from geo.models import Municipality
from tenants.models import Coverage

from .models import Initiative


def detail(slug: str) -> Initiative | None:
    return (
        Initiative.objects.select_related("municipality__province")
        .prefetch_related("partners", "needs", "offers")
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
