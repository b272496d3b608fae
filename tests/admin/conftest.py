import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Admin tests change portals and domains: forget every cached host lookup and site root path after
    each test, so no other test sees a portal as it was inside a rolled-back transaction."""
    yield
    cache.clear()


@pytest.fixture
def tasks_run_at_once():
    """Celery runs the tasks the code sends in this process, at once, for real (Celery's own
    ``task_always_eager``): the outcome of a task is checked without a broker or a worker."""
    from maex.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False
