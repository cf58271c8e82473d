from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from casework import access
from enquiries.models import CallBack, CallBackStatus
from kernel.roles import Role


@pytest.fixture
def callbacks_are_sensitive(monkeypatch):
    """Treat call backs as a sensitive case model (as domestic-abuse and hate-crime reports
    are): the ASB team's alone. The registry is put back as it was after the test."""
    monkeypatch.setattr(access, "_registry", dict(access._registry))
    access.register_case_model(
        CallBack, staff_roles={Role.ASB}, statuses=CallBackStatus, sensitive=True
    )


def staff_client(client, user):
    client.force_login(user)
    return client


# A Tuesday morning in working hours: the web chat is open and no clock is yet due.
NOW = dt.datetime(2026, 12, 8, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _tuesday_morning():
    with time_machine.travel(NOW, tick=False):
        yield
