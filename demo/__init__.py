"""The demo: four portals with pages, brandings, accounts and fictional initiatives, for ``make run``.

The top of the layering: only ``seed_demo``, the tests and the bench import it, and it writes through the
domain apps' services. The content is data in ``demo/data/`` (described in ``demo/data/README.md``), read
by ``demo.content``; ``demo.loader`` turns it into portals, accounts, initiatives, pages and brandings.
"""
