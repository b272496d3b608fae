"""The benchmark: a synthetic national dataset, in a database of its own, measured and printed as one table.

``make bench`` (``manage.py bench``) never touches the dev or demo database. The outer run (``bench.outer``)
creates (or, with ``--keep``, reuses) a database named ``maex_bench`` on the same PostgreSQL server as the
configured default database, then runs itself again (``bench --inner``) with ``DATABASE_URL`` pointing at that
database, so the measuring process (``bench.runner``) can only ever connect to the bench database.

The inner run migrates the public schema, makes the template tenant and measures, one module of
``bench/phases/`` each (in this order, see ``bench.phases.PHASES``):

1. portal creation (``portals``): ``--portals`` regional portals plus the national one, cloned from the template
   (``portals.services.create_portal``), each covering a slice of the municipalities; and, for comparison,
   one schema created by running every tenant migration (no cloning);
2. seeding (``seed``) ``--initiatives`` published initiatives with needs, offers, partners and activities (bulk
   insert per schema, ``bench.synthetic``), valuing them (``apply_valuation`` + ``bulk_update``) and projecting
   them into the national index (``projector.project_many`` per portal);
3. the valuation engine alone (``engine``: ``valuation.engine.value``) over every seeded initiative, on inputs
   built in memory beforehand (no ORM in the timed loop);
4. registration-to-national latency (``registration``): ``register_initiative`` + ``publish`` until the index
   row exists;
5. a new price-list version end to end (``recompute``): ``create_draft`` + one changed value + ``publish``, whose
   recomputation (``start_recomputation`` -> ``recompute_portal`` per portal) runs in this process over every
   portal; every index row must then carry the new version;
6. launching a regional portal (``launch``: ``portals.launch.launch_portal``) for a few municipalities of the
   national portal, whose initiatives move in;
7. a full ``reconcile`` (no repair), which must come out clean (after 5 and 6, so it checks them too);
8. national pages and API, and the initiative page with its charts on a regional portal (``pages``), over HTTP
   against a real gunicorn server (2 workers) on 127.0.0.1 (``bench.servers``);
9. a mixed load of public pages over several portals (``load``), ``--concurrency`` clients at once, against
   gunicorn with the production settings (``maex.settings.production``; needs Redis: ``--redis-url``, else the
   row is skipped);
10. national totals by a UNION ALL over every portal schema versus the index aggregate (``totals``).

Celery tasks run eagerly in the measuring process (the real task code, against the bench database; nothing
reaches the dev broker) and mail goes to memory. ``bench.table`` prints the rows. The app is installed by the
dev settings only (``maex/settings/dev.py``); docs/benchmarks.md has the figures and how they were measured.
"""
