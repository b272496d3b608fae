"""Recomputation after a new price-list version (filled in with the initiative valuation)."""

from maex.celery import core_task


@core_task(name="valuation.tasks.start_recomputation")
def start_recomputation(price_list_id: int) -> None:
    """Placeholder dispatcher; replaced below once initiatives carry activities."""
