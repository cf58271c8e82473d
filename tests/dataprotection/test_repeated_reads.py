"""An officer watching a pack being gathered reloads the request every few seconds, and each
reload is a logged read. The person's "who has looked" answer shows one member of staff's reads
of one record on one day as one line (first and last time, how many); the log keeps every
read; another day, another officer or another record is a line of its own."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from casework import access
from casework.models import SensitiveCaseRead
from dataprotection import selectors
from kernel.formatting import LONDON
from tests.asb.factories import report
from tests.dataprotection.factories import ask

pytestmark = pytest.mark.django_db

MORNING = dt.datetime(2026, 11, 3, 9, 0, tzinfo=LONDON)


def _read_at(when: dt.datetime, *, user, case) -> None:
    with time_machine.travel(when, tick=False):
        access.log_sensitive_read(user=user, case=case, path="/admin/")


def test_reloads_of_a_request_by_one_officer_in_a_day_are_one_line(client, tenant_a, officer):
    request = ask(tenant_a)
    reloads = [MORNING + dt.timedelta(seconds=5 * n) for n in range(12)]
    for when in reloads:
        _read_at(when, user=officer, case=request)
    assert SensitiveCaseRead.objects.filter(object_id=request.pk).count() == 12
    (line,) = selectors.reads_of_my_records(tenant_a)
    assert line.reference == request.reference
    assert (line.first_read_at, line.read_at, line.times) == (reloads[0], reloads[-1], 12)
    client.force_login(tenant_a.user)
    page = client.get(reverse("dataprotection:who_has_looked")).content.decode()
    assert page.count(request.reference) == 1
    assert "12 times, from" in page


def test_another_day_another_officer_or_another_record_is_its_own_line(
    tenant_a, officer, asb_officer
):
    request = ask(tenant_a)
    case = report(tenant_a)
    next_day = MORNING + dt.timedelta(days=1)
    _read_at(MORNING, user=officer, case=request)
    _read_at(MORNING + dt.timedelta(minutes=1), user=officer, case=request)
    _read_at(next_day, user=officer, case=request)
    _read_at(MORNING, user=asb_officer, case=case)
    _read_at(MORNING + dt.timedelta(minutes=2), user=asb_officer, case=case)
    lines = selectors.reads_of_my_records(tenant_a)
    assert [(line.reference, line.times, line.read_at) for line in lines] == [
        (request.reference, 1, next_day),
        (case.reference, 2, MORNING + dt.timedelta(minutes=2)),
        (request.reference, 2, MORNING + dt.timedelta(minutes=1)),
    ]


def test_a_day_is_londons_day(tenant_a, officer):
    """Reads either side of midnight in London (in summer, 23:00 the day before in UTC) are
    two days to the person, whatever the database's time zone."""
    request = ask(tenant_a)
    before_midnight = dt.datetime(2026, 7, 1, 23, 50, tzinfo=LONDON)
    _read_at(before_midnight, user=officer, case=request)
    _read_at(before_midnight + dt.timedelta(minutes=20), user=officer, case=request)
    assert [line.times for line in selectors.reads_of_my_records(tenant_a)] == [1, 1]
