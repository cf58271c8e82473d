"""Extensions of a response deadline, within the Code's limits."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from casework.services import case_deadline_extend
from complaints import letters
from complaints.models import Complaint, ComplaintExtension, LetterKind
from complaints.services._common import (
    INVESTIGATING,
    ComplaintRuleBroken,
    _lock,
    _open_deadlines,
    _send_letter,
    respond_code,
)
from kernel.formatting import LONDON, london_date
from kernel.roles import Role, user_has_any_role
from sla.calendar import end_of_local_day, working_days_between

if TYPE_CHECKING:
    from accounts.models import User


# Code 6.4 and the stage 2 equivalent: further working days an extension may add to the Code's
# response deadline before a manager must record good reason.
MAX_FURTHER_WORKING_DAYS = {1: 10, 2: 20}


@transaction.atomic
def complaint_extend(
    *,
    complaint: Complaint,
    actor: User,
    new_due_date: dt.date,
    reason: str,
    good_reason: str = "",
) -> ComplaintExtension:
    """Move the current stage's response date (both clocks) to ``new_due_date``.

    The Code (6.4, 6.5) allows it only with a reason, told to the customer before the deadline
    in force has passed, with the Ombudsman's contact details; and at most 10 (stage 1) or 20
    (stage 2) working days beyond the Code's original deadline unless a manager records good
    reason. The limit counts from the original deadline, so a second extension cannot stretch it.
    """
    _lock(complaint)
    stage = complaint.stage
    if complaint.status != INVESTIGATING[stage]:
        raise ComplaintRuleBroken(
            "Only an acknowledged complaint awaiting its response can be extended."
        )
    reason = reason.strip()
    problems = []
    if not reason:
        problems.append("Give the reason the customer will read.")
    deadlines = _open_deadlines(complaint, respond_code(stage))
    code_clock = next((d for d in deadlines if d.commitment.code.endswith(".code")), None)
    now = timezone.now()
    in_force = min((d.due_at for d in deadlines), default=None)
    if in_force is None or code_clock is None:
        raise ComplaintRuleBroken("This stage has no running response deadline to extend.")
    if in_force < now:
        problems.append(
            "The response date has passed: an extension must reach the customer "
            "before the deadline."
        )
    new_due_at = end_of_local_day(new_due_date)
    if new_due_at <= in_force:
        problems.append(f"The new date must be after the current date, {london_date(in_force)}.")
    original = code_clock.original_due_at.astimezone(LONDON).date()
    further = max(working_days_between(original, new_due_date), 0)
    limit = MAX_FURTHER_WORKING_DAYS[stage]
    approved_by = None
    if further > limit:
        if not good_reason.strip():
            problems.append(
                f"That is {further} working days beyond the Code's deadline; more "
                f"than {limit} needs a manager to record good reason."
            )
        elif not user_has_any_role(actor, [Role.MANAGER]):
            problems.append(f"More than {limit} further working days needs a manager.")
        else:
            approved_by = actor
    if problems:
        raise ComplaintRuleBroken(*problems)
    for deadline in deadlines:
        if deadline.due_at < new_due_at:
            case_deadline_extend(
                case=complaint,
                deadline=deadline,
                new_due_at=new_due_at,
                reason=reason,
                by=actor,
                tell_customer=False,
                # Our own extension letter (below, same transaction) tells the customer.
                customer_told_at=timezone.now(),
            )
    letter = _send_letter(
        complaint=complaint,
        kind=LetterKind.EXTENSION,
        stage=stage,
        by=actor,
        subject=f"We need more time: complaint {complaint.reference}",
        body=letters.extension_body(
            complaint=complaint, stage=stage, reason=reason, new_due_at=new_due_at
        ),
    )
    return ComplaintExtension.objects.create(
        complaint=complaint,
        stage=stage,
        previous_due_at=in_force,
        new_due_at=new_due_at,
        further_working_days=further,
        reason=reason,
        good_reason=good_reason.strip(),
        approved_by=approved_by,
        requested_by=actor,
        created_at=now,
        letter=letter,
    )
