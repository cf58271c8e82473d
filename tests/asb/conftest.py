from __future__ import annotations

import datetime as dt

import pytest

from asb.services import asb_team

# A Tuesday morning in term, no bank holiday near.
MONDAY_NOON = dt.datetime(2026, 6, 1, 11, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(MONDAY_NOON, tick=False)
    return time_machine


@pytest.fixture
def team(db, asb_officer):
    team = asb_team()
    team.lead = asb_officer
    team.save()
    return team
