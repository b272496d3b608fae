"""The benchmark (``manage.py bench``, ``make bench``): see docs/benchmarks.md."""
