"""The demo seed (safe to run again) and the beat tasks (thin calls of idempotent services)."""

from __future__ import annotations

import datetime as dt

import pytest

from notifications.models import Message
from repairs import services, tasks
from repairs.models import Appointment, PlannedWork, Repair, Slot
from tests.repairs.conftest import report

pytestmark = pytest.mark.usefixtures("frozen")


def test_demo_seed_runs_twice_without_duplicating(db):
    from portal.demo import seed_people_and_homes
    from repairs import demo

    people = seed_people_and_homes()
    demo.seed(people)
    counts = (
        Repair.objects.count(),
        Appointment.objects.count(),
        Slot.objects.count(),
        PlannedWork.objects.count(),
        Message.objects.count(),
    )
    demo.seed(seed_people_and_homes())

    assert counts[0] == 6
    assert (
        Repair.objects.count(),
        Appointment.objects.count(),
        Slot.objects.count(),
        PlannedWork.objects.count(),
        Message.objects.count(),
    ) == counts
    assert set(Repair.objects.values_list("status", flat=True)) >= {
        "booked",
        "completed",
        "dispatched",
        "with_builder",
        "reported",
    }


def test_reminder_task_sends_tomorrows_reminders(tenant_a, repairs_team, carpentry_slot):
    services.appointment_book(repair=report(tenant_a), slot=carpentry_slot)

    assert tasks.send_appointment_reminders.delay().get() == 1
    assert tasks.send_appointment_reminders.delay().get() == 0


def test_slot_task_opens_four_weeks(db):
    from repairs.models import CapacityPlan

    CapacityPlan.objects.create(trade="plumbing", patch="North", window="morning", jobs=2)

    created = tasks.open_appointment_slots.delay().get()

    dates = list(Slot.objects.order_by("date").values_list("date", flat=True))
    assert created == len(dates) == 20  # four weeks of working days from Thursday 11 June
    assert dates[0] == dt.date(2026, 6, 11)
    assert dates[-1] <= dt.date(2026, 7, 8)
