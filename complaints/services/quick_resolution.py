"""Quick Resolution: turning formal, and the sweep's handler for an overdue one."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from casework.services import case_deadline_meet
from complaints import letters
from complaints.models import Complaint, QuickResolutionOutcome
from complaints.services._common import (
    QUICK_RESOLUTION_CLOCK,
    ComplaintRuleBroken,
    S,
    _earliest_due,
    _lock,
    _save,
    _transition,
    respond_code,
)
from complaints.services.receiving import _start_formal_clocks
from kernel.formatting import london_date
from notifications.services import notify_customer
from sla.services import ClaimedDeadline

if TYPE_CHECKING:
    from accounts.models import User


logger = logging.getLogger(__name__)


@transaction.atomic
def complaint_continue_as_formal(
    *, complaint: Complaint, reason: str, actor: User | None = None, note: str = ""
) -> Complaint:
    """A Quick Resolution that was not put right in 2 working days, or that the customer is not
    satisfied with, continues as a formal stage 1 complaint: the same complaint, the same
    receipt date, no extra stage. Its formal clocks run from the original receipt."""
    _lock(complaint)
    if complaint.status != S.QUICK_RESOLUTION:
        raise ComplaintRuleBroken("Only a Quick Resolution can continue as a formal complaint.")
    if reason not in QuickResolutionOutcome.values or reason == QuickResolutionOutcome.RESOLVED:
        raise ComplaintRuleBroken("Say why the Quick Resolution is continuing as formal.")
    now = timezone.now()
    case_deadline_meet(case=complaint, code=QUICK_RESOLUTION_CLOCK, actor=actor, met_at=now)
    complaint.quick_resolution_outcome = reason
    complaint.quick_resolution_ended_at = now
    _save(complaint, "quick_resolution_outcome", "quick_resolution_ended_at")
    label = QuickResolutionOutcome(reason).label
    _transition(
        complaint,
        S.STAGE1_RECEIVED,
        actor=actor,
        note=f"Continuing as a formal stage 1 complaint: {label.lower()}."
        + (f" {note.strip()}" if note.strip() else ""),
    )
    _start_formal_clocks(complaint)
    respond_by = _earliest_due(complaint, respond_code(1))
    notify_customer(
        customer=complaint.customer,
        subject=f"Your complaint {complaint.reference} is now a formal complaint",
        body=(
            "We have not been able to settle your complaint as a Quick Resolution, so we are "
            "now investigating it as a formal stage 1 complaint. Our timescales still count "
            "from the day you first told us.\n\n"
            f"We will send you our full response by "
            f"{london_date(respond_by) if respond_by else 'the date in our next letter'} at the "
            "latest."
            f"\n\nFollow it at {letters.complaint_url(complaint)}"
        ),
        key=f"complaint:{complaint.pk}:formal",
        about=complaint,
    )
    return complaint


def quick_resolutions_overdue(deadlines: list[ClaimedDeadline]) -> None:
    """Breach handler for the clock sweep: each Quick Resolution whose 2 working days have run
    out continues as a formal complaint.

    Runs inside the sweep's transaction, so each complaint gets its own savepoint: one that
    cannot be moved (a member of staff resolved it a moment ago) is logged and skipped rather
    than rolling back the sweep's marks for every other case.
    """
    complaint_type = ContentType.objects.get_for_model(Complaint)
    ids = [
        d.object_id
        for d in deadlines
        if d.content_type_id == complaint_type.pk and d.commitment.code == QUICK_RESOLUTION_CLOCK
    ]
    for complaint in Complaint.objects.filter(pk__in=ids, status=S.QUICK_RESOLUTION):
        try:
            with transaction.atomic():
                complaint_continue_as_formal(
                    complaint=complaint, reason=QuickResolutionOutcome.NOT_RESOLVED_IN_TIME
                )
        except ComplaintRuleBroken:
            logger.info("Quick Resolution %s had already moved on.", complaint.reference)
