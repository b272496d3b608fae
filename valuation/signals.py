"""What the price list tells the apps above it. ``valuation`` sits below ``initiatives`` and never imports it
(docs/architecture.md, "Reconcile and nightly jobs"), so a published version is announced here and
``initiatives/receivers.py`` starts revaluing every initiative."""

from django.dispatch import Signal

# Sent once the publish of a version has committed. Arguments: ``price_list`` (the published version).
price_list_published = Signal()
