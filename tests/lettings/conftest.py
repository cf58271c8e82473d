"""Lettings personas and a frozen clock: a lettings officer, an applicant (a tenant who wants
to move) and a closed advert with interest, built through the services."""

from __future__ import annotations

import datetime as dt

import pytest

from kernel.formatting import LONDON
from sla import calendar
from tests.lettings import factories as f

# Monday 2 March 2026, 10:00 in London.
MONDAY_10AM = dt.datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _fresh_calendar():
    calendar.reset_cache()
    yield
    calendar.reset_cache()


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(MONDAY_10AM, tick=False)
    return time_machine


@pytest.fixture
def team(db):
    return f.lettings_team()


@pytest.fixture
def officer(db, team):
    return f.lettings_officer()


@pytest.fixture
def void(frozen, officer):
    return f.empty_home()


@pytest.fixture
def ready_void(void, officer):
    return f.sign_off(void, officer)


@pytest.fixture
def advert(ready_void):
    return f.advert_for(ready_void)


@pytest.fixture
def application(advert, tenant_a):
    """Tenant A's interest in the advert, still open."""
    return f.interest(tenant_a, advert)


@pytest.fixture
def offer(application, advert, officer, frozen):
    """Tenant A selected after the advert closed."""
    f.close(advert, frozen)
    return f.offered(application, officer)


@pytest.fixture
def viewing(offer, officer):
    return f.viewing_booked(f.assessed(f.form_sent(offer), officer), officer)


@pytest.fixture
def accepted(viewing, officer):
    return f.rent_requested(f.accepted(viewing, officer), officer)
