"""Where a complaint goes after a response: escalation to stage 2, closing, refusing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from casework.models import ReceivedBy
from casework.services import case_assign, case_deadline_meet
from complaints import letters
from complaints.models import UPHELD_OUTCOMES, Complaint, ComplaintLetter, LetterKind, RefusalReason
from complaints.services._common import (
    QUICK_RESOLUTION_CLOCK,
    ComplaintRuleBroken,
    S,
    _earliest_due,
    _lock,
    _save,
    _send_letter,
    _transition,
    acknowledge_code,
    respond_code,
)
from kernel.formatting import london_date
from notifications.services import notify_customer, notify_staff
from sla.services import deadline_start

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def complaint_escalate(
    *,
    complaint: Complaint,
    received_by: str = ReceivedBy.PORTAL,
    actor: User | None = None,
    note: str = "",
) -> Complaint:
    """The customer asks for a Final Review (stage 2). No reason is needed (Code 6.12).

    From the portal ``actor`` is None; staff logging a request made another way pass themselves.
    Asking twice is one request: a complaint already at stage 2 is returned as it is.
    """
    _lock(complaint)
    if complaint.stage == 2:
        return complaint
    if complaint.is_refused or complaint.status not in (S.STAGE1_RESPONDED, S.CLOSED):
        raise ComplaintRuleBroken(
            "A Final Review can be asked for once we have sent our stage 1 response."
        )
    now = timezone.now()
    reopening = complaint.status == S.CLOSED
    complaint.stage = 2
    complaint.escalated_at = now
    complaint.escalation_received_by = received_by
    complaint.escalation_note = note.strip()
    _save(complaint, "stage", "escalated_at", "escalation_received_by", "escalation_note")
    _transition(complaint, S.STAGE2_RECEIVED, actor=actor, note="Final Review requested")
    if reopening:
        complaint.closed_at = None
        _save(complaint, "closed_at")
    for code in (acknowledge_code(2), acknowledge_code(2) + ".code", respond_code(2)):
        deadline_start(case=complaint, code=code, started_at=now)
    # The stage 1 handler must not carry on with the review: back to the team's queue.
    if complaint.assignee_id is not None and complaint.assignee_id == complaint.stage1_handler_id:
        # From the portal nobody on staff acted: the event is the system's (actor None), never
        # attributed to an officer who did not do it.
        case_assign(case=complaint, assignee=None, actor=actor)
    ack_by = _earliest_due(complaint, acknowledge_code(2))
    notify_customer(
        customer=complaint.customer,
        subject=f"Final Review requested: {complaint.reference}",
        body=(
            "We have your request for a Final Review of your complaint. Someone who was not "
            "involved at stage 1 will review it. We will contact you by "
            f"{london_date(ack_by) if ack_by else 'the end of 3 working days'} to confirm what "
            "the review will cover.\n\n"
            f"Follow it at {letters.complaint_url(complaint)}"
        ),
        key=f"complaint:{complaint.pk}:escalated",
        about=complaint,
    )
    team = complaint.team
    if team is not None and team.lead is not None and team.lead.email:
        notify_staff(
            user=team.lead,
            subject=f"Final Review requested: {complaint.reference}",
            body=f"{complaint.reference} has been escalated to stage 2.",
            key=f"complaint:{complaint.pk}:escalated:lead",
            about=complaint,
        )
    return complaint


@transaction.atomic
def complaint_close(*, complaint: Complaint, actor: User, note: str = "") -> Complaint:
    """Close a complaint we have responded to. An upheld complaint needs its learning recorded
    first: our commitment is to implement the learning from every complaint."""
    _lock(complaint)
    if complaint.status not in (S.STAGE1_RESPONDED, S.STAGE2_RESPONDED):
        raise ComplaintRuleBroken("Only a complaint we have responded to can be closed.")
    if complaint.final_outcome in UPHELD_OUTCOMES and not complaint.learning.exists():
        raise ComplaintRuleBroken(
            "Record what we learned from this upheld complaint before closing it."
        )
    _transition(
        complaint,
        S.CLOSED,
        actor=actor,
        closes=True,
        note="Complaint closed" + (f": {note.strip()}" if note.strip() else ""),
    )
    rate_url = letters.complaint_url(complaint)
    notify_customer(
        customer=complaint.customer,
        subject=f"Your complaint {complaint.reference} is closed",
        body=(
            "We have closed your complaint. We will keep you updated on anything we promised "
            "to do that is still outstanding.\n\n"
            f"Please tell us how well we handled your complaint: {rate_url}"
        ),
        key=f"complaint:{complaint.pk}:closed:{complaint.stage}",
        about=complaint,
    )
    return complaint


@transaction.atomic
def complaint_refuse(
    *, complaint: Complaint, actor: User, reason: str, explanation: str
) -> ComplaintLetter:
    """Decline to accept a complaint into the process (Code 2.1 to 2.3): an evidenced exclusion,
    explained to the customer with how to challenge the decision."""
    _lock(complaint)
    if complaint.stage != 1 or complaint.status not in (
        S.QUICK_RESOLUTION,
        S.STAGE1_RECEIVED,
        S.STAGE1_INVESTIGATING,
    ):
        raise ComplaintRuleBroken(
            "Only a stage 1 complaint we have not yet answered can be refused."
        )
    problems = []
    if reason not in RefusalReason.values:
        problems.append("Choose the reason the complaint cannot be accepted.")
    if not explanation.strip():
        problems.append("Explain the decision in words the customer will understand.")
    if problems:
        raise ComplaintRuleBroken(*problems)
    now = timezone.now()
    for code in (QUICK_RESOLUTION_CLOCK, acknowledge_code(1), respond_code(1)):
        case_deadline_meet(case=complaint, code=code, actor=actor, met_at=now)
    complaint.refused_at = now
    complaint.refusal_reason = reason
    complaint.refusal_explanation = explanation.strip()
    _save(complaint, "refused_at", "refusal_reason", "refusal_explanation")
    _transition(
        complaint,
        S.REFUSED,
        actor=actor,
        closes=True,
        note=f"Not accepted: {RefusalReason(reason).label}",
    )
    return _send_letter(
        complaint=complaint,
        kind=LetterKind.REFUSAL,
        stage=1,
        by=actor,
        subject=f"Your complaint {complaint.reference}: our decision",
        body=letters.refusal_body(complaint=complaint),
    )
