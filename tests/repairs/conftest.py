"""Repairs personas and helpers: the repairs team with its lead, homes of every kind, slots,
and ``report`` (a repair made through the service, as the portal makes it)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine

from casework.models import Team
from repairs import services
from repairs.catalogue import Location, Trade
from repairs.models import Slot, SlotWindow
from tests.repairs.factories import (
    SlotFactory,
    leaseholder_with_login,
    new_build_tenant_with_login,
    tenant_in_flat_with_login,
)

# Wednesday 10 June 2026, 10:00 in London (09:00 UTC): a plain working week.
WEDNESDAY = dt.datetime(2026, 6, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(WEDNESDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def repairs_team(db, repairs_officer):
    team, _ = Team.objects.update_or_create(
        name=services.TEAM_NAME, defaults={"role": "repairs", "lead": repairs_officer}
    )
    return team


@pytest.fixture
def leaseholder(db):
    return leaseholder_with_login()


@pytest.fixture
def flat_tenant(db):
    return tenant_in_flat_with_login()


@pytest.fixture
def new_build_tenant(db, frozen):
    return new_build_tenant_with_login(handover=dt.date(2026, 3, 1))


@pytest.fixture
def carpentry_slot(db, frozen) -> Slot:
    """Tomorrow morning, for carpentry in the North patch (tenant A's patch), two places."""
    return SlotFactory(
        trade=Trade.CARPENTRY,
        patch="North",
        date=dt.date(2026, 6, 11),
        window=SlotWindow.MORNING,
        capacity=2,
    )


def report(customer, item_code="kitchen.units", location=Location.HOME, **kwargs):
    kwargs.setdefault("description", "The cupboard door has come off its hinge.")
    kwargs.setdefault("idempotency_key", uuid.uuid4())
    return services.repair_create(
        customer=customer, item_code=item_code, location=location, **kwargs
    )
