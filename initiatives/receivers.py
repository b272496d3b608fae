"""The initiatives' answer to what the apps below them announce (they cannot call up into initiatives)."""

from django.dispatch import receiver

from valuation.signals import price_list_published

from .tasks import start_recomputation


@receiver(price_list_published, dispatch_uid="maex-revalue-on-publish")
def revalue_every_initiative(sender, price_list, **kwargs):
    """A new price-list version has been published (and committed): revalue every initiative on every portal,
    in the background."""
    start_recomputation.delay(price_list.pk)
