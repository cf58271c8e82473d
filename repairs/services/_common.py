"""What the repair services share: the status map, the repairs clock, locking, moving and telling."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from casework.services import InvalidTransition, case_add_note, case_transition
from kernel.formatting import LONDON, london_date
from notifications.services import notify_customer
from repairs.catalogue import Priority
from repairs.models import Repair, RepairStatus
from sla.models import Deadline
from sla.services import deadline_start

if TYPE_CHECKING:
    from accounts.models import User


S = RepairStatus

REPAIR_CLOCK = {
    Priority.EMERGENCY: "repair.emergency.attend",
    Priority.URGENT: "repair.urgent.complete",
    Priority.ROUTINE: "repair.routine.complete",
}

# The work left once an emergency is made safe is timed as an urgent repair, from the moment it
# was made safe: the emergency clock only timed getting someone there.
FOLLOW_ON_AFTER_MAKE_SAFE = REPAIR_CLOCK[Priority.URGENT]

# Which status may follow which. No access never closes a repair: it goes back to be rebooked.
ALLOWED: dict[str, set[str]] = {
    S.REPORTED: {S.BOOKED, S.DISPATCHED, S.WITH_BUILDER, S.IN_PROGRESS, S.COMPLETED, S.CANCELLED},
    S.BOOKED: {S.REPORTED, S.DISPATCHED, S.IN_PROGRESS, S.NO_ACCESS, S.COMPLETED, S.CANCELLED},
    S.DISPATCHED: {S.BOOKED, S.IN_PROGRESS, S.NO_ACCESS, S.COMPLETED, S.CANCELLED},
    S.WITH_BUILDER: {S.REPORTED, S.BOOKED, S.IN_PROGRESS, S.COMPLETED, S.CANCELLED},
    S.NO_ACCESS: {S.BOOKED, S.DISPATCHED, S.REPORTED, S.CANCELLED},
    S.IN_PROGRESS: {S.BOOKED, S.DISPATCHED, S.NO_ACCESS, S.COMPLETED, S.CANCELLED},
    S.COMPLETED: {S.REPORTED},
    S.CANCELLED: set(),
}


class RepairRefused(Exception):
    """A request the rules do not allow; the message is for the person who asked."""


def _local_today() -> dt.date:
    return timezone.localtime(timezone.now(), LONDON).date()


def repair_url(repair: Repair) -> str:
    return settings.SITE_URL + reverse("repairs:detail", kwargs={"reference": repair.reference})


def _tell(repair: Repair, *, key: str, subject: str, body: str) -> None:
    notify_customer(
        customer=repair.customer,
        subject=subject[:200],
        body=f"{body}\n\nSee your repair at any time: {repair_url(repair)}",
        key=f"repair:{repair.pk}:{key}",
        about=repair,
    )


def _lock(repair: Repair) -> Repair:
    """Re-read the repair under a row lock, so two officers (or a customer and an officer)
    acting at once queue behind each other and each sees the other's change."""
    locked = Repair.objects.select_for_update().get(pk=repair.pk)
    for name in (
        "status",
        "closed_at",
        "completed_at",
        "attended_at",
        "made_safe_at",
        "first_time_fix",
        "reopened_count",
        "operative_id",
        "contractor_id",
        "satisfaction_at",
        "builder_responded_at",
        "next_due_at",
    ):
        setattr(repair, name, getattr(locked, name))
    return repair


def _move(
    repair: Repair,
    to_status: str,
    *,
    actor: User | None,
    note: str = "",
    visible: bool = True,
    closes: bool = False,
) -> None:
    if repair.status == to_status:
        if note:
            case_add_note(case=repair, actor=actor, note=note, visible_to_customer=visible)
        return
    try:
        case_transition(
            case=repair,
            to_status=to_status,
            allowed=ALLOWED,
            actor=actor,
            note=note,
            visible_to_customer=visible,
            closes=closes,
        )
    except InvalidTransition as exc:
        raise RepairRefused(
            f"This repair is {RepairStatus(repair.status).label.lower()}, so that cannot be "
            "done now."
        ) from exc


def _close_if_done(repair: Repair) -> None:
    """A completed repair stays on the queue until every Awaab's Law step is done too."""
    if repair.status != S.COMPLETED or repair.closed_at is not None:
        return
    if Deadline.objects.for_case(repair).unmet().exists():
        return
    repair.closed_at = timezone.now()
    Repair.objects.filter(pk=repair.pk).update(closed_at=repair.closed_at)


def _start_work_after_make_safe(repair: Repair, *, at: dt.datetime) -> None:
    """An emergency made safe: start the clock of the work left, once, and tell the customer
    the date it will be done by. A repair that is not an emergency keeps its own clock."""
    if not repair.is_emergency or repair.completed_at is not None:
        return
    if (
        Deadline.objects.for_case(repair)
        .filter(commitment__code=FOLLOW_ON_AFTER_MAKE_SAFE)
        .exists()
    ):
        return
    clock = deadline_start(case=repair, code=FOLLOW_ON_AFTER_MAKE_SAFE, started_at=at)
    _tell(
        repair,
        key="made_safe:work_left",
        subject=f"Made safe: the rest of the work on {repair.reference}",
        body=f"We have made it safe. We will finish the rest of the work on your repair "
        f"({repair.title}) by {london_date(clock.due_at)}.",
    )
