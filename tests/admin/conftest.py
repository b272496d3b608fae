import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Admin tests change portals and domains: forget every cached host lookup and site root path after
    each test, so no other test sees a portal as it was inside a rolled-back transaction."""
    yield
    cache.clear()


@pytest.fixture
def reprojections(monkeypatch):
    """The schemas ``reproject_portal`` was sent from (not sent to a broker in these tests)."""
    from django.db import connection

    from national_index import tasks

    sent = []
    monkeypatch.setattr(tasks.reproject_portal, "delay", lambda *a, **k: sent.append(connection.schema_name))
    return sent
