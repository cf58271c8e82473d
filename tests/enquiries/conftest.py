"""Fixtures for Keeping in Touch: a fixed working morning (the chat is open), an adviser, and
uploads kept out of the real media folder."""

from __future__ import annotations

import datetime as dt

import pytest

from kernel.formatting import LONDON
from kernel.roles import Role
from sla import calendar
from tests.factories import StaffFactory

# Monday 2 March 2026, 10:00 in London (GMT): a working day, inside the chat's service hours.
MONDAY_10AM = dt.datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _fresh_calendar():
    calendar.reset_cache()
    yield
    calendar.reset_cache()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture
def monday(time_machine):
    """Monday 10am, the clock frozen: every due date below is counted from it."""
    time_machine.move_to(MONDAY_10AM, tick=False)
    # The calendar times its cache with the (travelled) clock; load it again in the new time so
    # the read stays out of the pinned query counts.
    from sla import calendar

    calendar.reset_cache()
    calendar.is_working_day(MONDAY_10AM.date())
    return MONDAY_10AM


@pytest.fixture
def adviser(db):
    return StaffFactory(
        roles=[Role.CUSTOMER_SERVICES],
        first_name="Priya",
        last_name="Shah",
        email="priya.shah@riverside-homes.example",
    )


@pytest.fixture
def second_adviser(db):
    return StaffFactory(roles=[Role.CUSTOMER_SERVICES], first_name="Tom", last_name="Reid")


@pytest.fixture
def income_officer(db):
    return StaffFactory(roles=[Role.INCOME], first_name="Ines", last_name="Costa")


@pytest.fixture
def adviser_client(client, adviser):
    client.force_login(adviser)
    return client
