"""/healthz answers on every host, before a portal is chosen: load balancers probe by address."""

import pytest

from maex.celery import app

HEALTHY = {"ok": True, "database": "ok", "broker": "ok"}


@pytest.mark.parametrize(
    "host", ["maex.localhost", "zeeland.localhost", "onbekend.localhost", "10.0.0.7", "niet-toegestaan.example"]
)
def test_healthz_answers_200_on_any_host(db, client, host):
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


def test_healthz_answers_503_and_names_the_part_that_is_down(db, client, broker_down):
    response = client.get("/healthz", HTTP_HOST="maex.localhost")
    assert response.status_code == 503
    state = response.json()
    assert state["ok"] is False and state["database"] == "ok"
    assert state["broker"].startswith("error: ")
