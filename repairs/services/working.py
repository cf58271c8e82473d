"""Staff working a repair: assign, attend, complete, follow on, cancel."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from casework import services as casework_services
from casework.models import ReceivedBy
from casework.services import case_add_note, case_deadline_meet
from repairs import catalogue
from repairs.catalogue import Priority
from repairs.models import Appointment, AppointmentStatus, Contractor, Operative, Repair
from repairs.services._common import (
    REPAIR_CLOCK,
    RepairRefused,
    S,
    _close_if_done,
    _lock,
    _move,
    _start_work_after_make_safe,
    _tell,
)
from repairs.services.appointments import _booked_appointment, _release_place
from repairs.services.reporting import repair_create
from sla.models import Deadline
from sla.services import deadline_pause

if TYPE_CHECKING:
    from accounts.models import User


def _stop_clocks(repair: Repair) -> None:
    """A cancelled repair's running clocks are paused for good: there is no work left to time,
    and a clock that already ran out stays recorded as missed."""
    now = timezone.now()
    for deadline in Deadline.objects.for_case(repair).running():
        if deadline.due_at > now:
            deadline_pause(deadline=deadline, at=now)


@transaction.atomic
def repair_assign(
    *,
    repair: Repair,
    actor: User,
    operative: Operative | None = None,
    contractor: Contractor | None = None,
) -> Repair:
    """Give the repair to one of our operatives or to a contractor's firm."""
    _lock(repair)
    if repair.closed_at is not None:
        raise RepairRefused("This repair is closed.")
    if operative is None and contractor is None:
        raise RepairRefused("Choose an operative or a contractor.")
    if operative is not None and contractor is None:
        contractor = operative.contractor
    repair.operative = operative
    repair.contractor = contractor
    Repair.objects.filter(pk=repair.pk).update(operative=operative, contractor=contractor)
    Appointment.objects.filter(repair=repair, status=AppointmentStatus.BOOKED).update(
        operative=operative
    )
    who = operative.name if operative else contractor.name  # type: ignore[union-attr]
    if contractor is not None and operative is None:
        case_add_note(
            case=repair,
            actor=actor,
            visible_to_customer=True,
            note=f"Passed to our contractor, {contractor.name}.",
        )
    else:
        case_add_note(
            case=repair, actor=actor, visible_to_customer=False, note=f"Assigned to {who}."
        )
    return repair


@transaction.atomic
def repair_record_attended(
    *,
    repair: Repair,
    actor: User | None,
    made_safe: bool = False,
    note: str = "",
    at: dt.datetime | None = None,
) -> Repair:
    """An operative arrived. For an emergency this meets the 24-hour attendance clock. The
    repair stays open ("more work needed") until it is recorded as completed."""
    _lock(repair)
    if repair.closed_at is not None or repair.status in (S.COMPLETED, S.CANCELLED):
        raise RepairRefused("This repair is finished.")
    at = at or timezone.now()
    updates = {"attended_at": repair.attended_at or at}
    if made_safe and repair.made_safe_at is None:
        updates["made_safe_at"] = at
    Repair.objects.filter(pk=repair.pk).update(**updates)
    for name, value in updates.items():
        setattr(repair, name, value)
    current = _booked_appointment(repair)
    if current is not None:
        current.status, current.ended_at = AppointmentStatus.ATTENDED, at
        current.save(update_fields=["status", "ended_at"])
    if repair.is_emergency:
        case_deadline_meet(
            case=repair, code=REPAIR_CLOCK[Priority.EMERGENCY], actor=actor, met_at=at
        )
    words = "We attended and made it safe." if made_safe else "We attended."
    _move(repair, S.IN_PROGRESS, actor=actor, note=f"{words} {note.strip()}".strip())
    if made_safe:
        _start_work_after_make_safe(repair, at=at)
    return repair


@dataclass(frozen=True)
class FollowOn:
    """Further work found at a visit, raised as a repair of its own."""

    description: str
    item_code: str | None = None
    priority: str = Priority.ROUTINE


@transaction.atomic
def repair_record_completed(
    *,
    repair: Repair,
    actor: User | None,
    first_time_fix: bool,
    note: str = "",
    follow_on: FollowOn | None = None,
    at: dt.datetime | None = None,
) -> Repair | None:
    """The work is done. Meets the repair clock, asks the customer how we did, and raises any
    follow-on work as a new repair. Returns the follow-on repair, if any.

    The case is closed when no Awaab's Law step is left open; until then it stays on the queue.
    """
    _lock(repair)
    if repair.status in (S.COMPLETED, S.CANCELLED):
        raise RepairRefused("This repair is already finished.")
    at = at or timezone.now()
    first_time_fix = bool(first_time_fix and follow_on is None and repair.reopened_count == 0)
    repair.completed_at = at
    repair.attended_at = repair.attended_at or at
    repair.first_time_fix = first_time_fix
    Repair.objects.filter(pk=repair.pk).update(
        completed_at=at, attended_at=repair.attended_at, first_time_fix=first_time_fix
    )
    current = _booked_appointment(repair)
    if current is not None:
        current.status, current.ended_at = AppointmentStatus.ATTENDED, at
        current.save(update_fields=["status", "ended_at"])
    for code in set(REPAIR_CLOCK.values()):
        case_deadline_meet(case=repair, code=code, actor=actor, met_at=at)
    _move(repair, S.COMPLETED, actor=actor, note=f"Repair completed. {note.strip()}".strip())
    _close_if_done(repair)
    follow_on_repair = None
    if follow_on is not None:
        follow_on_repair = _raise_follow_on(repair=repair, follow_on=follow_on, actor=actor)
    _tell(
        repair,
        key=f"completed:{repair.reopened_count}",
        subject=f"Repair completed: {repair.reference}",
        body=f"We have completed your repair: {repair.title}.\n\nHow did we do? Two quick "
        "questions on the repair's page help us improve. If it is not fixed, tell us "
        "there and we will put it right.",
    )
    return follow_on_repair


def _raise_follow_on(*, repair: Repair, follow_on: FollowOn, actor: User | None) -> Repair:
    item = catalogue.item(follow_on.item_code or repair.catalogue_code)
    new = repair_create(
        customer=repair.customer,
        item_code=item.code,
        location=repair.location,
        description=follow_on.description,
        received_by=ReceivedBy.STAFF,
        actor=actor,
        priority=follow_on.priority,
    )
    Repair.objects.filter(pk=new.pk).update(follow_on_of=repair)
    new.follow_on_of = repair
    casework_services.case_link(
        from_case=new,
        to_case=repair,
        relation="follow-on work for",
        actor=actor,
        visible_to_customer=True,
    )
    return new


@transaction.atomic
def repair_cancel(*, repair: Repair, actor: User, reason: str) -> Repair:
    """Staff only, with a reason (reported in error, the customer no longer wants it)."""
    _lock(repair)
    if not reason.strip():
        raise RepairRefused("Give the reason for cancelling.")
    current = _booked_appointment(repair)
    if current is not None:
        current.status = AppointmentStatus.CANCELLED_BY_US
        current.ended_at, current.reason = timezone.now(), reason.strip()
        current.save(update_fields=["status", "ended_at", "reason"])
        _release_place(current.slot_id)
    _move(repair, S.CANCELLED, actor=actor, note=f"Cancelled: {reason.strip()}", closes=True)
    _stop_clocks(repair)
    _tell(
        repair,
        key="cancelled",
        subject=f"Repair cancelled: {repair.reference}",
        body=f"We have cancelled your repair ({repair.title}).\n\nWhy: {reason.strip()}\n\nIf "
        f"this is wrong, call us on {settings.ORGANISATION['office_phone']}.",
    )
    return repair
