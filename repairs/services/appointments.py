"""Appointments: booking, moving, cancelling, reminders and the slots offered."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from casework.services import case_add_note
from kernel.formatting import LONDON, london_date, london_short_date
from repairs.catalogue import Priority
from repairs.models import Appointment, AppointmentStatus, CapacityPlan, Repair, Slot, slot_label
from repairs.services._common import (
    REPAIR_CLOCK,
    RepairRefused,
    S,
    _local_today,
    _lock,
    _move,
    _tell,
)
from repairs.services.hazards import (
    HAZARD_EMERGENCY,
    HAZARD_INVESTIGATE,
    HAZARD_MAKE_SAFE,
    HAZARD_WORKS_LONG_STOP,
)
from sla import calendar
from sla.models import Commitment, Deadline

if TYPE_CHECKING:
    from accounts.models import User


# Slots are offered from tomorrow: a same-day appointment cannot be promised online.
FIRST_BOOKABLE_DAY = 1
# How far ahead slots are opened (the issue asks for at least the next three weeks).
SLOT_HORIZON_DAYS = 28

# Where an appointment can be booked or moved.
BOOKABLE_STATUSES = {S.REPORTED, S.BOOKED, S.NO_ACCESS, S.IN_PROGRESS}


# The clocks a visit to the home meets, so an appointment must come before them: the repair's
# own, and the Awaab's Law steps done in the home. The written summary is a letter, and
# "begin, or take steps to begin" further works is met by arranging them (booking is such a
# step); the works must physically start by the long stop.
VISIT_CLOCKS = (
    *REPAIR_CLOCK.values(),
    HAZARD_EMERGENCY,
    HAZARD_INVESTIGATE,
    HAZARD_MAKE_SAFE,
    HAZARD_WORKS_LONG_STOP,
)


class SlotFull(RepairRefused):
    """The chosen slot was taken by someone else in the meantime."""


class SlotAfterDue(RepairRefused):
    """The chosen slot is later than the earliest clock the visit must meet, and no reason
    was given for booking it anyway."""


def visit_due_day(repair: Repair) -> dt.date | None:
    """The last day (Europe/London) an appointment may be on without a reason: the day the
    earliest running clock a visit meets runs out, or None when none is running. A clock that
    has already run out still counts: any appointment now is late for it."""
    due = (
        Deadline.objects.for_case(repair)
        .filter(met_at__isnull=True, paused_at__isnull=True, commitment__code__in=VISIT_CLOCKS)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    return due.astimezone(LONDON).date() if due is not None else None


def report_visit_due_day(
    *, priority: str, hazard_code: str = "", now: dt.datetime | None = None
) -> dt.date:
    """``visit_due_day`` of a repair not yet reported: the day its repair clock (and the
    hazard clock ``hazard_code``, if one will start) would run out if it were reported now,
    from the catalogue as it stands, so the slots offered while reporting are the ones the
    report may book."""
    now = now or timezone.now()
    codes = [REPAIR_CLOCK[Priority(priority)], *([hazard_code] if hazard_code else [])]
    clocks = Commitment.objects.filter(code__in=codes, is_active=True).values_list(
        "clock", "amount"
    )
    return (
        min(calendar.due_at(clock, amount, now) for clock, amount in clocks)
        .astimezone(LONDON)
        .date()
    )


def _claim_place(slot: Slot) -> bool:
    """Take one place in the slot, or return False if it is full or no longer bookable.

    One conditional UPDATE: the database applies it to the row's current value, so two
    customers racing for the last place cannot both succeed, on PostgreSQL or SQLite, without
    holding a lock across the request.
    """
    first_day = _local_today() + dt.timedelta(days=FIRST_BOOKABLE_DAY)
    return bool(
        Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity"), date__gte=first_day).update(
            booked=F("booked") + 1
        )
    )


def _release_place(slot_id: int) -> None:
    Slot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)


def _booked_appointment(repair: Repair) -> Appointment | None:
    return (
        Appointment.objects.select_for_update()
        .filter(repair=repair, status=AppointmentStatus.BOOKED)
        .first()
    )


@transaction.atomic
def appointment_book(
    *,
    repair: Repair,
    slot: Slot,
    actor: User | None = None,
    tell: bool = True,
    after_due_reason: str = "",
) -> Appointment:
    """Book ``slot`` for the repair, moving any appointment it already has.

    A slot later than ``visit_due_day`` is refused with ``SlotAfterDue`` unless staff give
    ``after_due_reason``; the reason is kept on the appointment (the queue flags it) and in
    the case's internal history.

    Raises ``SlotFull`` when the slot has no place left (nothing is written: the old
    appointment stands), ``RepairRefused`` when the repair cannot be booked (an emergency, a
    builder's defect, finished) or the slot is for another trade or patch.
    """
    _lock(repair)
    if repair.is_emergency:
        raise RepairRefused("An emergency repair is not booked: an operative is sent to you.")
    if repair.status == S.WITH_BUILDER:
        raise RepairRefused("The builder will contact you to arrange a visit.")
    if repair.status not in BOOKABLE_STATUSES:
        raise RepairRefused("This repair cannot be booked now.")
    if (slot.trade, slot.patch) != (repair.trade, repair.patch):
        raise RepairRefused("That appointment is not for this repair.")
    due_day = visit_due_day(repair)
    after_due_reason = after_due_reason.strip()
    late = due_day is not None and slot.date > due_day
    if due_day is not None and late and not after_due_reason:
        raise SlotAfterDue(
            f"That appointment is after {london_date(due_day)}, when this repair is due. Choose an earlier one, or give the reason it must be later."
        )
    if not _claim_place(slot):
        raise SlotFull("Sorry, that appointment has just been taken. Choose another time.")
    now = timezone.now()
    previous = _booked_appointment(repair)
    if previous is not None:
        previous.status = AppointmentStatus.MOVED
        previous.ended_at = now
        previous.save(update_fields=["status", "ended_at"])
        _release_place(previous.slot_id)
    appointment = Appointment.objects.create(
        repair=repair,
        slot=slot,
        date=slot.date,
        window=slot.window,
        booked_at=now,
        booked_by=actor,
        operative_id=repair.operative_id,
        after_due_reason=after_due_reason if late else "",
    )
    when = slot_label(slot.date, slot.window)
    if due_day is not None and late:
        case_add_note(
            case=repair,
            actor=actor,
            visible_to_customer=False,
            note=f"Booked after the due date ({london_short_date(due_day)}) for {when}. Why: "
            f"{after_due_reason}",
        )
    verb = "moved to" if previous is not None else "booked for"
    _move(repair, S.BOOKED, actor=actor, note=f"Appointment {verb} {when}.")
    if tell:
        _tell(
            repair,
            key=f"appointment:{appointment.pk}:booked",
            subject=f"Appointment {'changed' if previous else 'booked'}: {repair.reference}",
            body=f"Your appointment for {repair.title} is {when}.\n\nWe will remind you the "
            "day before. If you cannot be in, change or cancel it on the repair's page.",
        )
    return appointment


@transaction.atomic
def appointment_cancel(
    *, appointment: Appointment, by_customer: bool, actor: User | None = None, reason: str = ""
) -> Appointment:
    """Cancel a booked appointment. The repair goes back to be rebooked, never closed.

    ``by_customer=False`` is "we cannot keep your appointment": the customer is told at once,
    with our apology and the way to choose a new time.
    """
    repair = _lock(appointment.repair)
    current = _booked_appointment(repair)
    if current is None or current.pk != appointment.pk:
        raise RepairRefused("That appointment is no longer booked.")
    if not by_customer and not reason.strip():
        raise RepairRefused("Give the reason we cannot keep the appointment.")
    appointment = current
    appointment.status = (
        AppointmentStatus.CANCELLED_BY_CUSTOMER
        if by_customer
        else AppointmentStatus.CANCELLED_BY_US
    )
    appointment.ended_at = timezone.now()
    appointment.reason = reason.strip()
    appointment.save(update_fields=["status", "ended_at", "reason"])
    _release_place(appointment.slot_id)
    when = slot_label(appointment.date, appointment.window)
    if by_customer:
        _move(repair, S.REPORTED, actor=actor, note=f"Appointment on {when} cancelled by you.")
        _tell(
            repair,
            key=f"appointment:{appointment.pk}:cancelled",
            subject=f"Appointment cancelled: {repair.reference}",
            body=f"You cancelled your appointment on {when}. The repair is still open: "
            "choose a new appointment when it suits you.",
        )
    else:
        _move(
            repair,
            S.REPORTED,
            actor=actor,
            note=f"We cannot keep the appointment on {when}: {appointment.reason}",
        )
        _tell(
            repair,
            key=f"appointment:{appointment.pk}:cancelled",
            subject=f"We can't keep your appointment: {repair.reference}",
            body=f"We are sorry: we cannot keep your appointment on {when}.\n\nWhy: "
            f"{appointment.reason}\n\nPlease choose a new time on the repair's page, or "
            f"call us on {settings.ORGANISATION['office_phone']}.",
        )
    return appointment


@transaction.atomic
def appointment_record_no_access(
    *, appointment: Appointment, actor: User | None, note: str = ""
) -> Appointment:
    """We came in the window but could not get in. The repair stays open for a new booking."""
    repair = _lock(appointment.repair)
    current = _booked_appointment(repair)
    if current is None or current.pk != appointment.pk:
        raise RepairRefused("That appointment is not booked.")
    current.status = AppointmentStatus.NO_ACCESS
    current.ended_at = timezone.now()
    current.reason = note.strip()
    current.save(update_fields=["status", "ended_at", "reason"])
    when = slot_label(current.date, current.window)
    _move(repair, S.NO_ACCESS, actor=actor, note=f"We came on {when} but could not get in.")
    _tell(
        repair,
        key=f"appointment:{current.pk}:no_access",
        subject=f"We could not get in: {repair.reference}",
        body=f"We came for your repair ({repair.title}) on {when} but could not get in. The "
        "repair is still open: please choose a new appointment on the repair's page.",
    )
    return current


@transaction.atomic
def appointment_record_missed(
    *, appointment: Appointment, actor: User | None, reason: str
) -> Appointment:
    """We did not come. Counted against "appointments kept"; the customer gets our apology."""
    repair = _lock(appointment.repair)
    current = _booked_appointment(repair)
    if current is None or current.pk != appointment.pk:
        raise RepairRefused("That appointment is not booked.")
    if not reason.strip():
        raise RepairRefused("Give the reason we missed the appointment.")
    current.status = AppointmentStatus.MISSED
    current.ended_at = timezone.now()
    current.reason = reason.strip()
    current.save(update_fields=["status", "ended_at", "reason"])
    when = slot_label(current.date, current.window)
    _move(repair, S.REPORTED, actor=actor, note=f"We missed the appointment on {when}.")
    _tell(
        repair,
        key=f"appointment:{current.pk}:missed",
        subject=f"We are sorry we missed your appointment: {repair.reference}",
        body=f"We are sorry that we did not come on {when}.\n\nPlease choose a new time on the "
        f"repair's page, or call us on {settings.ORGANISATION['office_phone']}.",
    )
    return current


def _appointments_due_for_reminder(day: dt.date, limit: int) -> list[int]:
    return list(
        Appointment.objects.filter(
            date=day, status=AppointmentStatus.BOOKED, reminded_at__isnull=True
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def appointment_reminders_send(*, now: dt.datetime | None = None, batch_size: int = 200) -> int:
    """Remind every customer whose appointment is tomorrow (Europe/London) and who has not
    been reminded. Safe to run again and again: each reminder has its own message key and is
    marked when queued, so a second run, or two at once, sends nothing twice."""
    now = now or timezone.now()
    tomorrow = timezone.localtime(now, LONDON).date() + dt.timedelta(days=1)
    sent = 0
    while ids := _appointments_due_for_reminder(tomorrow, batch_size):
        with transaction.atomic():
            appointments = (
                Appointment.objects.select_for_update(of=("self",))
                .filter(pk__in=ids, status=AppointmentStatus.BOOKED, reminded_at__isnull=True)
                .select_related("repair__customer__tenancy__property")
            )
            for appointment in appointments:
                repair = appointment.repair
                when = slot_label(appointment.date, appointment.window)
                _tell(
                    repair,
                    key=f"appointment:{appointment.pk}:reminder",
                    subject=f"Reminder: repair appointment tomorrow ({repair.reference})",
                    body=f"We are coming tomorrow, {when}, for your repair: {repair.title}.\n\n"
                    "If you cannot be in, change or cancel the appointment on the "
                    "repair's page.",
                )
                appointment.reminded_at = now
                appointment.save(update_fields=["reminded_at"])
                sent += 1
    return sent


@transaction.atomic
def slots_open(*, start: dt.date | None = None, days: int = SLOT_HORIZON_DAYS) -> int:
    """Open a slot for every capacity plan on every working day from ``start`` (tomorrow by
    default) for ``days`` days. Slots that exist are left alone (their bookings and any
    change a manager made stand). Returns how many were created."""
    start = start or _local_today() + dt.timedelta(days=FIRST_BOOKABLE_DAY)
    plans = list(CapacityPlan.objects.filter(jobs__gt=0))
    working_days = [start + dt.timedelta(days=n) for n in range(days)]
    working_days = [d for d in working_days if calendar.is_working_day(d)]
    rows = [
        Slot(trade=p.trade, patch=p.patch, window=p.window, date=day, capacity=p.jobs)
        for p in plans
        for day in working_days
    ]
    if not rows:
        return 0
    before = Slot.objects.filter(date__gte=start, date__in=working_days).count()
    Slot.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return Slot.objects.filter(date__gte=start, date__in=working_days).count() - before
