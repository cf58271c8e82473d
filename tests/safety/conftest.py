from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from casework.models import Team
from kernel.formatting import LONDON
from kernel.roles import Role
from safety.models import Appliance
from safety.services import check_register
from tests.factories import StaffFactory

# Wednesday 10 June 2026, mid-morning in London.
NOW = dt.datetime(2026, 6, 10, 10, 0, tzinfo=LONDON)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def compliance_officer(db):
    return StaffFactory(roles=[Role.COMPLIANCE], first_name="Casey", last_name="Compliance")


@pytest.fixture
def compliance_team(db, compliance_officer):
    team, _ = Team.objects.update_or_create(
        name="Compliance", defaults={"role": Role.COMPLIANCE, "lead": compliance_officer}
    )
    return team


@pytest.fixture
def boiler_check(tenant_a):
    return check_register(
        check_type="gas", home=tenant_a.tenancy.property, appliance=Appliance.BOILER
    )
