"""The customer after completion: reopening, not fixed, satisfaction."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from casework.models import ReceivedBy
from casework.services import case_add_note
from complaints.handover import complaint_create
from repairs.catalogue import Priority
from repairs.models import Repair, Satisfaction
from repairs.services._common import REPAIR_CLOCK, RepairRefused, S, _lock, _move, _tell
from sla.services import deadline_start
from tenancy.models import Customer

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def repair_reopen(
    *, repair: Repair, customer: Customer | None, actor: User | None, details: str
) -> Repair:
    """ "This is not fixed": the same repair reopens with a fresh clock of its priority. RP02
    still measures it against its first target, since the first fix did not hold."""
    _lock(repair)
    if repair.status != S.COMPLETED:
        raise RepairRefused("Only a completed repair can be reopened.")
    if not details.strip():
        raise RepairRefused("Tell us what is still wrong.")
    reopened = repair.reopened_count + 1
    Repair.objects.filter(pk=repair.pk).update(
        reopened_count=reopened, completed_at=None, closed_at=None, first_time_fix=False
    )
    repair.reopened_count, repair.completed_at, repair.first_time_fix = reopened, None, False
    repair.closed_at = None
    _move(repair, S.REPORTED, actor=actor, note=f"Reopened: not fixed. {details.strip()}")
    deadline_start(case=repair, code=REPAIR_CLOCK[Priority(repair.priority)])
    _tell(
        repair,
        key=f"reopened:{reopened}",
        subject=f"Repair reopened: {repair.reference}",
        body=f"Sorry it is not fixed. We have reopened your repair ({repair.title}). "
        + ("" if repair.is_emergency else "Choose an appointment on the repair's page."),
    )
    return repair


@transaction.atomic
def repair_report_not_fixed(
    *, repair: Repair, customer: Customer, details: str, make_complaint: bool
):
    """The customer says the repair is not fixed. It is reopened either way, since the work
    still needs doing; if they also want to complain, a stage 1 complaint is opened about it,
    linked to the repair so its handler sees the repair's whole history. Returns the complaint
    if one was opened, otherwise the repair.

    The complaint is received now, through the complaints service's own entry point
    (``complaint_create(about=...)``): ``complaint_create_from_case`` would date it from the
    day the repair was reported, which is right for a request that was a complaint from the
    start but would start this one's clocks months late.
    """
    repair_reopen(repair=repair, customer=customer, actor=customer.user, details=details)
    if not make_complaint:
        return repair

    complaint = complaint_create(
        customer=customer,
        subject=f"Repair {repair.reference} not fixed: {repair.title}"[:200],
        details=details.strip(),
        service_area="repairs",
        received_by=ReceivedBy.PORTAL,
        about=repair,
        idempotency_key=uuid.uuid5(
            uuid.NAMESPACE_URL, f"repair:{repair.pk}:not-fixed:{repair.reopened_count}"
        ),
    )
    case_add_note(
        case=repair,
        actor=customer.user,
        visible_to_customer=True,
        note=f"You made a complaint about this repair: {complaint.reference}.",
    )
    return complaint


@transaction.atomic
def repair_record_satisfaction(
    *, repair: Repair, customer: Customer, overall: int, time_taken: int, comment: str = ""
) -> Repair:
    """The two TSM repair questions, once per repair, after it is completed."""
    _lock(repair)
    if repair.status != S.COMPLETED:
        raise RepairRefused("You can tell us how we did once the repair is completed.")
    if repair.satisfaction_at is not None:
        raise RepairRefused("You have already told us how we did. Thank you.")
    if overall not in Satisfaction.values or time_taken not in Satisfaction.values:
        raise RepairRefused("Choose an answer to each question.")
    now = timezone.now()
    Repair.objects.filter(pk=repair.pk).update(
        satisfaction_overall=overall,
        satisfaction_time=time_taken,
        satisfaction_comment=comment.strip(),
        satisfaction_at=now,
    )
    repair.satisfaction_overall, repair.satisfaction_time = overall, time_taken
    repair.satisfaction_comment, repair.satisfaction_at = comment.strip(), now
    case_add_note(
        case=repair,
        actor=customer.user,
        visible_to_customer=True,
        note="Thank you for telling us how we did.",
    )
    return repair
