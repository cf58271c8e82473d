"""/healthz: what a load balancer asks before sending a web container traffic."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.urls import reverse

URL = reverse("healthz")


@pytest.mark.django_db
def test_healthy_when_database_and_broker_answer(client):
    response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "checks": {"database": True, "broker": True}}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_unhealthy_when_the_broker_is_unreachable(client, monkeypatch):
    monkeypatch.setattr("portal.health.broker_is_reachable", lambda: False)

    response = client.get(URL)

    assert response.status_code == 503
    assert response.json() == {"status": "unhealthy", "checks": {"database": True, "broker": False}}


class _DatabaseDown:
    def cursor(self):
        raise OperationalError("could not connect to server")


def test_unhealthy_when_the_database_check_fails(client, monkeypatch):
    monkeypatch.setattr("portal.views.connection", _DatabaseDown())

    response = client.get(URL)

    assert response.status_code == 503
    assert response.json()["checks"]["database"] is False


@pytest.mark.django_db
def test_health_check_answers_only_get(client):
    assert client.post(URL).status_code == 405
