"""What the complaint services share: the status map, the clock codes, locking, moving and letters."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone

from casework.services import InvalidTransition, case_transition
from complaints import letters
from complaints.models import Complaint, ComplaintLetter, ComplaintStatus
from notifications.services import notify_customer
from sla.models import Deadline

if TYPE_CHECKING:
    from accounts.models import User


S = ComplaintStatus

ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    S.QUICK_RESOLUTION: {S.STAGE1_RECEIVED, S.STAGE1_RESPONDED, S.REFUSED},
    S.STAGE1_RECEIVED: {S.STAGE1_INVESTIGATING, S.REFUSED},
    S.STAGE1_INVESTIGATING: {S.STAGE1_RESPONDED, S.REFUSED},
    S.STAGE1_RESPONDED: {S.STAGE2_RECEIVED, S.CLOSED},
    S.STAGE2_RECEIVED: {S.STAGE2_INVESTIGATING},
    S.STAGE2_INVESTIGATING: {S.STAGE2_RESPONDED},
    S.STAGE2_RESPONDED: {S.CLOSED},
    # A customer may still ask for a Final Review after we closed the complaint at stage 1.
    S.CLOSED: {S.STAGE2_RECEIVED},
}

INVESTIGATING = {1: S.STAGE1_INVESTIGATING, 2: S.STAGE2_INVESTIGATING}

QUICK_RESOLUTION_CLOCK = "complaint.quick_resolution"


def acknowledge_code(stage: int) -> str:
    return f"complaint.stage{stage}.acknowledge"


def respond_code(stage: int) -> str:
    return f"complaint.stage{stage}.respond"


class ComplaintRuleBroken(Exception):
    """A step the Code or our policy does not allow here. Nothing was written.

    ``problems`` lists each reason, in words a member of staff can act on.
    """

    def __init__(self, *problems: str) -> None:
        self.problems = list(problems)
        super().__init__(" ".join(problems))


def _lock(complaint: Complaint) -> Complaint:
    """Re-read the complaint under a row lock, so two officers acting at once are serialised
    and each sees the other's result; the caller's instance is refreshed to match."""
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    for field_name in [f.attname for f in Complaint._meta.concrete_fields]:
        setattr(complaint, field_name, getattr(locked, field_name))
    return complaint


def _transition(
    complaint: Complaint,
    to_status: str,
    *,
    actor: User | None,
    note: str = "",
    closes: bool = False,
    visible: bool = True,
) -> None:
    try:
        case_transition(
            case=complaint,
            to_status=to_status,
            allowed=ALLOWED_TRANSITIONS,
            actor=actor,
            note=note,
            visible_to_customer=visible,
            closes=closes,
        )
    except InvalidTransition as exc:
        raise ComplaintRuleBroken(
            f"This complaint is '{complaint.get_status_display()}', so it cannot move to "
            f"'{ComplaintStatus(to_status).label}'."
        ) from exc


def _save(complaint: Complaint, *fields: str) -> None:
    complaint.save(update_fields=list(fields))


def _open_deadlines(complaint: Complaint, code: str) -> list[Deadline]:
    """Open rows of ``code`` and its legal twins (``code.*``) on the complaint."""
    rows = (
        Deadline.objects.for_case(complaint)
        .filter(met_at__isnull=True)
        .select_related("commitment")
    )
    return [
        d for d in rows if d.commitment.code == code or d.commitment.code.startswith(code + ".")
    ]


def _earliest_due(complaint: Complaint, code: str) -> dt.datetime | None:
    dues = [d.due_at for d in _open_deadlines(complaint, code)]
    return min(dues) if dues else None


def _send_letter(
    *,
    complaint: Complaint,
    kind: str,
    stage: int | None,
    subject: str,
    body: str,
    by: User | None,
    letter: ComplaintLetter | None = None,
) -> ComplaintLetter:
    """Record the letter as sent and queue it to the customer by their channel."""
    now = timezone.now()
    if letter is None:
        letter = ComplaintLetter(
            complaint=complaint, kind=kind, stage=stage, created_by=by, created_at=now
        )
    letter.subject = subject[:200]
    letter.body = body
    letter.sent_at = now
    letter.sent_by = by
    letter.save()
    notify_customer(
        customer=complaint.customer,
        subject=letter.subject,
        body=body,
        key=f"complaint-letter:{letter.pk}",
        about=complaint,
    )
    return letter


def _current_definition(complaint: Complaint, stage: int) -> str:
    points = list(complaint.points.filter(stage=stage))
    return letters.definition_text(points, complaint.outcomes_sought(stage))
