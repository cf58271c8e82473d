"""Booking, moving and cancelling appointments; no access; reminders; opening slots."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from casework.models import CaseEvent
from notifications.models import Message
from repairs import services
from repairs.models import (
    Appointment,
    AppointmentStatus,
    CapacityPlan,
    Repair,
    RepairStatus,
    Slot,
)
from repairs.services import RepairRefused, SlotAfterDue, SlotFull
from tests.repairs.conftest import report
from tests.repairs.factories import SlotFactory

pytestmark = pytest.mark.usefixtures("frozen", "repairs_team")


@pytest.fixture
def repair(tenant_a):
    return report(tenant_a, "kitchen.units")


def test_booking_takes_a_place_and_tells_the_customer(repair, carpentry_slot, tenant_a):
    appointment = services.appointment_book(repair=repair, slot=carpentry_slot)

    carpentry_slot.refresh_from_db()
    assert carpentry_slot.booked == 1
    assert appointment.status == AppointmentStatus.BOOKED
    repair.refresh_from_db()
    assert repair.status == RepairStatus.BOOKED
    assert Message.objects.filter(
        customer=tenant_a, idempotency_key__endswith=f"{appointment.pk}:booked"
    ).exists()


def test_last_place_taken_meanwhile_is_refused_and_nothing_changes(repair, carpentry_slot):
    Slot.objects.filter(pk=carpentry_slot.pk).update(booked=2)

    with pytest.raises(SlotFull):
        services.appointment_book(repair=repair, slot=carpentry_slot)

    assert not Appointment.objects.exists()
    repair.refresh_from_db()
    assert repair.status == RepairStatus.REPORTED


def test_a_slot_today_or_earlier_cannot_be_booked(repair):
    today = SlotFactory(date=dt.date(2026, 6, 10))

    with pytest.raises(SlotFull):
        services.appointment_book(repair=repair, slot=today)


def test_a_slot_of_another_trade_is_refused(repair):
    plumbing = SlotFactory(trade="plumbing", date=dt.date(2026, 6, 11))

    with pytest.raises(RepairRefused):
        services.appointment_book(repair=repair, slot=plumbing)

    plumbing.refresh_from_db()
    assert plumbing.booked == 0


def test_rebooking_moves_the_appointment_and_frees_the_old_place(repair, carpentry_slot):
    first = services.appointment_book(repair=repair, slot=carpentry_slot)
    later = SlotFactory(date=dt.date(2026, 6, 12), window="afternoon")

    second = services.appointment_book(repair=repair, slot=later)

    first.refresh_from_db()
    carpentry_slot.refresh_from_db()
    later.refresh_from_db()
    assert first.status == AppointmentStatus.MOVED
    assert second.status == AppointmentStatus.BOOKED
    assert (carpentry_slot.booked, later.booked) == (0, 1)
    assert Appointment.objects.filter(repair=repair, status="booked").count() == 1


def test_customer_cancelling_frees_the_place_and_keeps_the_repair_open(repair, carpentry_slot):
    appointment = services.appointment_book(repair=repair, slot=carpentry_slot)

    services.appointment_cancel(appointment=appointment, by_customer=True)

    appointment.refresh_from_db()
    carpentry_slot.refresh_from_db()
    repair.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED_BY_CUSTOMER
    assert carpentry_slot.booked == 0
    assert repair.status == RepairStatus.REPORTED
    assert repair.closed_at is None


def test_we_cannot_keep_the_appointment_tells_the_customer_why(
    repair, carpentry_slot, tenant_a, repairs_officer
):
    appointment = services.appointment_book(repair=repair, slot=carpentry_slot)

    services.appointment_cancel(
        appointment=appointment,
        by_customer=False,
        actor=repairs_officer,
        reason="Our carpenter is ill.",
    )

    message = Message.objects.get(customer=tenant_a, subject__startswith="We can't keep")
    assert "Our carpenter is ill." in message.body
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED_BY_US


def test_we_cannot_keep_it_needs_a_reason(repair, carpentry_slot, repairs_officer):
    appointment = services.appointment_book(repair=repair, slot=carpentry_slot)

    with pytest.raises(RepairRefused):
        services.appointment_cancel(
            appointment=appointment, by_customer=False, actor=repairs_officer, reason=" "
        )

    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED


def test_no_access_keeps_the_repair_open_to_rebook(
    repair, carpentry_slot, repairs_officer, tenant_a
):
    appointment = services.appointment_book(repair=repair, slot=carpentry_slot)

    services.appointment_record_no_access(appointment=appointment, actor=repairs_officer)

    repair.refresh_from_db()
    assert repair.status == RepairStatus.NO_ACCESS
    assert repair.closed_at is None
    assert Message.objects.filter(customer=tenant_a, subject__startswith="We could not get in")
    later = SlotFactory(date=dt.date(2026, 6, 15))
    services.appointment_book(repair=repair, slot=later)
    repair.refresh_from_db()
    assert repair.status == RepairStatus.BOOKED


def test_missed_appointment_is_ours_and_apologised_for(
    repair, carpentry_slot, repairs_officer, tenant_a
):
    appointment = services.appointment_book(repair=repair, slot=carpentry_slot)

    services.appointment_record_missed(
        appointment=appointment, actor=repairs_officer, reason="Van broke down."
    )

    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.MISSED
    assert Message.objects.filter(customer=tenant_a, subject__contains="missed your appointment")


def test_reminders_go_for_tomorrows_appointments_once(tenant_a, tenant_b, carpentry_slot):
    tomorrow = services.appointment_book(repair=report(tenant_a), slot=carpentry_slot)
    next_week = SlotFactory(date=dt.date(2026, 6, 17))
    services.appointment_book(repair=report(tenant_b), slot=next_week)

    assert services.appointment_reminders_send() == 1
    assert services.appointment_reminders_send() == 0

    reminders = Message.objects.filter(idempotency_key__endswith=":reminder")
    assert [m.customer_id for m in reminders] == [tenant_a.pk]
    assert "tomorrow, Thursday 11 June 2026, morning" in reminders[0].body
    tomorrow.refresh_from_db()
    assert tomorrow.reminded_at is not None


def test_cancelled_appointments_are_not_reminded(repair, carpentry_slot):
    appointment = services.appointment_book(repair=repair, slot=carpentry_slot)
    services.appointment_cancel(appointment=appointment, by_customer=True)

    assert services.appointment_reminders_send() == 0


def test_slots_open_on_working_days_only_and_only_once(db, frozen):
    CapacityPlan.objects.create(trade="plumbing", patch="North", window="morning", jobs=3)

    created = services.slots_open(start=dt.date(2026, 6, 11), days=7)

    # Thu 11, Fri 12, Mon 15, Tue 16, Wed 17: the weekend is skipped.
    assert created == 5
    assert sorted(Slot.objects.values_list("date", flat=True)) == [
        dt.date(2026, 6, 11),
        dt.date(2026, 6, 12),
        dt.date(2026, 6, 15),
        dt.date(2026, 6, 16),
        dt.date(2026, 6, 17),
    ]
    assert services.slots_open(start=dt.date(2026, 6, 11), days=7) == 0


def test_slots_skip_bank_holidays(db):
    CapacityPlan.objects.create(trade="plumbing", patch="North", window="morning", jobs=3)

    services.slots_open(start=dt.date(2026, 8, 31), days=1)  # the summer bank holiday

    assert not Slot.objects.exists()


def test_a_managers_change_to_a_slot_survives_reopening(db, frozen):
    CapacityPlan.objects.create(trade="plumbing", patch="North", window="morning", jobs=3)
    services.slots_open(start=dt.date(2026, 6, 11), days=1)
    Slot.objects.update(capacity=1)

    services.slots_open(start=dt.date(2026, 6, 11), days=1)

    assert Slot.objects.get().capacity == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_customers_racing_for_the_last_place_get_one_booking(
    tenant_a, tenant_b, require_postgres
):
    slot = SlotFactory(date=dt.date(2026, 6, 11), capacity=1)
    repairs = [report(tenant_a), report(tenant_b)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def book(repair):
        barrier.wait()
        try:
            services.appointment_book(repair=repair, slot=slot)
            outcomes.append("booked")
        except SlotFull:
            outcomes.append("full")
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(r,)) for r in repairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["booked", "full"]
    slot.refresh_from_db()
    assert slot.booked == 1
    assert Appointment.objects.count() == 1


# --- no appointment after the earliest clock it must meet ------------------------------------

SIGNIFICANT_DAMP = services.HazardAnswers(
    hazard_type="damp_mould", rooms=("bathroom",), extent="medium"
)


@pytest.fixture
def damp_repair(tenant_a):
    """Raised by staff as routine (finish by Wednesday 8 July), with a damp hazard whose
    investigation Awaab's Law times at 10 working days: due Wednesday 24 June, earlier."""
    return report(
        tenant_a,
        "hazard.damp",
        hazard=SIGNIFICANT_DAMP,
        priority="routine",
        description="Black mould behind the bath.",
    )


def _damp_slot(day: int) -> Slot:
    return SlotFactory(trade="damp", date=dt.date(2026, 6, day))


def test_the_visit_is_due_by_the_earliest_clock_it_must_meet(damp_repair):
    assert services.visit_due_day(damp_repair) == dt.date(2026, 6, 24)


def test_a_slot_after_the_hazard_investigation_is_due_is_refused_and_nothing_changes(
    damp_repair,
):
    after = _damp_slot(25)
    events_before = CaseEvent.objects.filter(object_id=damp_repair.pk).count()

    with pytest.raises(SlotAfterDue, match="Wednesday 24 June 2026"):
        services.appointment_book(repair=damp_repair, slot=after)

    assert not Appointment.objects.exists()
    after.refresh_from_db()
    assert after.booked == 0
    damp_repair.refresh_from_db()
    assert damp_repair.status == RepairStatus.REPORTED
    assert CaseEvent.objects.filter(object_id=damp_repair.pk).count() == events_before


def test_a_slot_on_the_due_day_needs_no_reason(damp_repair):
    appointment = services.appointment_book(repair=damp_repair, slot=_damp_slot(24))

    assert appointment.status == AppointmentStatus.BOOKED
    assert not appointment.is_after_due


def test_staff_may_book_after_the_due_date_with_a_reason_kept_for_the_team(
    damp_repair, repairs_officer
):
    appointment = services.appointment_book(
        repair=damp_repair,
        slot=_damp_slot(25),
        actor=repairs_officer,
        after_due_reason="  The tenant is in hospital until the 25th.  ",
    )

    assert appointment.is_after_due
    assert appointment.after_due_reason == "The tenant is in hospital until the 25th."
    event = CaseEvent.objects.filter(object_id=damp_repair.pk, kind="note").last()
    assert "after the due date (24 Jun 2026)" in event.note
    assert "in hospital" in event.note
    assert not event.visible_to_customer


def test_a_clock_already_run_out_refuses_every_slot_without_a_reason(damp_repair, frozen):
    frozen.move_to(dt.datetime(2026, 6, 25, 9, 0, tzinfo=dt.UTC))

    with pytest.raises(SlotAfterDue):
        services.appointment_book(repair=damp_repair, slot=_damp_slot(26))

    assert not Appointment.objects.exists()


def test_reporting_with_a_slot_after_the_repair_is_due_writes_nothing(tenant_a):
    # Urgent: finish within 5 working days, by Wednesday 17 June.
    after = SlotFactory(date=dt.date(2026, 6, 18))

    with pytest.raises(SlotAfterDue):
        report(tenant_a, "inside.floor", slot=after)

    assert not Repair.objects.exists()
    after.refresh_from_db()
    assert after.booked == 0


def test_a_repair_reported_for_the_next_working_days_is_due_by_its_priority(db, frozen):
    assert services.report_visit_due_day(priority="urgent") == dt.date(2026, 6, 17)
    assert services.report_visit_due_day(
        priority="routine", hazard_code="hazard.significant.investigate"
    ) == dt.date(2026, 6, 24)
