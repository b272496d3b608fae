"""The bench's phases, in the order they run: each is ``run(bench)`` with the ``bench.runner.Bench`` of the
inner run, and adds its rows to the table. Later phases build on earlier ones (the seeded initiatives, the
launched portal), so the order is part of the measurement."""

from . import (
    compare,
    editions,
    engine,
    funder_report,
    graadmeter,
    impuls,
    launch,
    load,
    map,
    open_data,
    pages,
    portals,
    recompute,
    reconcile,
    registration,
    schema,
    seed,
    stand,
    totals,
)

PHASES = [
    schema.run,  # 0: the public schema and the template tenant
    portals.run,  # 1
    seed.run,  # 2
    engine.run,  # 3
    registration.run,  # 4
    recompute.run,  # 5
    launch.run,  # 6
    reconcile.run,  # 7
    pages.run,  # 8
    load.run,  # 9
    totals.run,  # 10
    impuls.run,  # 11
    funder_report.run,  # 12
    open_data.run,  # 13
    compare.run,  # 14
    map.run,  # 15
    stand.run,  # 16
    graadmeter.run,  # 17
    editions.run,  # 18
]

# The phases that build the data later ones need: they always run (and, with --keep, skip what is already there).
SETUP = [schema.run, portals.run, seed.run]
# The others by name, for ``--only``.
MEASUREMENTS = {phase.__module__.rsplit(".", 1)[-1]: phase for phase in PHASES if phase not in SETUP}
