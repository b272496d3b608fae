"""/healthz answers on every host, before a portal is chosen: load balancers probe by address. It reports the
database, the broker and whether a Celery worker is alive (its heartbeat)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from maex.celery import app
from maex.health import record_heartbeat
from maex.models import WorkerHeartbeat

HEALTHY = {"ok": True, "database": "ok", "broker": "ok", "worker": "ok"}


@pytest.fixture
def live_worker(db):
    """A worker that wrote its heartbeat a moment ago."""
    WorkerHeartbeat.objects.all().delete()
    record_heartbeat("celery@test-host")


@pytest.mark.parametrize(
    "host", ["maex.localhost", "zeeland.localhost", "onbekend.localhost", "10.0.0.7", "niet-toegestaan.example"]
)
def test_healthz_answers_200_on_any_host(live_worker, client, host):
    response = client.get("/healthz", HTTP_HOST=host)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == HEALTHY


def test_only_the_exact_path_is_the_health_check(db, client):
    # On an unknown host any other path is still routed to a portal, and there is none
    assert client.get("/healthz/", HTTP_HOST="onbekend.localhost").status_code == 404


@pytest.fixture
def broker_down():
    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    yield
    app.conf.broker_url = original


def test_healthz_answers_503_and_names_the_part_that_is_down(live_worker, client, broker_down):
    response = client.get("/healthz", HTTP_HOST="maex.localhost")
    assert response.status_code == 503
    state = response.json()
    assert state["ok"] is False and state["database"] == "ok" and state["worker"] == "ok"
    assert state["broker"].startswith("error: ")


def test_healthz_says_the_worker_is_down_when_no_worker_ever_beat(db, client):
    WorkerHeartbeat.objects.all().delete()
    response = client.get("/healthz", HTTP_HOST="maex.localhost")
    assert response.status_code == 503
    assert response.json() == {**HEALTHY, "ok": False, "worker": "down: no heartbeat"}


def test_healthz_says_the_worker_is_down_when_its_heartbeat_went_stale(db, client, settings):
    # Given a worker that beat last 61 seconds ago (stale after 60)
    settings.WORKER_STALE_SECONDS = 60
    WorkerHeartbeat.objects.all().delete()
    WorkerHeartbeat.objects.create(name="celery@dead-host", seen_at=timezone.now() - timedelta(seconds=61))
    response = client.get("/healthz", HTTP_HOST="maex.localhost")
    assert response.status_code == 503
    state = response.json()
    assert state == {**HEALTHY, "ok": False, "worker": state["worker"]}
    seconds = state["worker"].removeprefix("down: last heartbeat ").removesuffix(" s ago")
    assert 61 <= int(seconds) < 70


def test_the_load_balancers_probe_stays_up_while_no_worker_runs(db, client):
    # Given no worker alive (monitoring's /healthz says so with a 503)
    WorkerHeartbeat.objects.all().delete()
    assert client.get("/healthz", HTTP_HOST="maex.localhost").status_code == 503

    # When a load balancer probes the web process on any host
    response = client.get("/healthz/web", HTTP_HOST="10.0.0.7")

    # Then the web server stays in rotation: it can serve pages, its database answers
    assert (response.status_code, response.json()) == (200, {"ok": True, "database": "ok"})
