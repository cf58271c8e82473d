"""Responses: the draft letter, point by point, and sending it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from casework.services import case_deadline_meet
from complaints import letters
from complaints.models import (
    Complaint,
    ComplaintLetter,
    LetterDecision,
    LetterKind,
    OutstandingAction,
    QuickResolutionOutcome,
)
from complaints.services._common import (
    INVESTIGATING,
    QUICK_RESOLUTION_CLOCK,
    ComplaintRuleBroken,
    S,
    _current_definition,
    _earliest_due,
    _lock,
    _save,
    _send_letter,
    _transition,
    respond_code,
)

if TYPE_CHECKING:
    from accounts.models import User


RESPONDED = {1: S.STAGE1_RESPONDED, 2: S.STAGE2_RESPONDED}


class LetterIncomplete(ComplaintRuleBroken):
    """A response that lacks a part the Code requires; ``problems`` lists each missing part."""


@dataclass
class PointDecision:
    point_id: int
    decision: str = ""
    reasons: str = ""


@dataclass
class PromisedAction:
    description: str = ""
    due_date: dt.date | None = None


@dataclass
class ResponseDraft:
    """What a member of staff wrote in the response form; any part may still be empty."""

    outcome: str = ""
    decisions: list[PointDecision] = field(default_factory=list)
    remedy: str = ""
    compensation_amount: Decimal | None = None
    actions: list[PromisedAction] = field(default_factory=list)
    no_outstanding_actions: bool = False
    escalation_text: str = ""
    ombudsman_text: str = ""


def _respondable_stage(complaint: Complaint) -> int:
    if complaint.status == S.QUICK_RESOLUTION or complaint.status == INVESTIGATING[complaint.stage]:
        return complaint.stage
    raise ComplaintRuleBroken("This complaint is not waiting for a response.")


def _write_draft(*, complaint: Complaint, actor: User, draft: ResponseDraft) -> ComplaintLetter:
    stage = _respondable_stage(complaint)
    letter = ComplaintLetter.objects.filter(
        complaint=complaint, stage=stage, kind=LetterKind.RESPONSE, sent_at__isnull=True
    ).first()
    if letter is None:
        letter = ComplaintLetter(
            complaint=complaint,
            kind=LetterKind.RESPONSE,
            stage=stage,
            created_by=actor,
            created_at=timezone.now(),
        )
    letter.subject = (
        f"Our {'Final Review' if stage == 2 else 'stage 1'} response: {complaint.reference}"
    )
    letter.quick_resolution = complaint.status == S.QUICK_RESOLUTION
    letter.definition = _current_definition(complaint, stage)
    letter.outcome = draft.outcome
    letter.remedy = draft.remedy.strip()
    letter.compensation_amount = draft.compensation_amount
    letter.no_outstanding_actions = draft.no_outstanding_actions
    letter.escalation_text = draft.escalation_text.strip() if stage == 1 else ""
    letter.ombudsman_text = draft.ombudsman_text.strip() if stage == 2 else ""
    letter.save()
    points = {p.pk: p for p in complaint.points.filter(stage=stage)}
    letter.decisions.all().delete()
    LetterDecision.objects.bulk_create(
        [
            LetterDecision(
                letter=letter,
                point=points[d.point_id],
                decision=d.decision,
                reasons=d.reasons.strip(),
            )
            for d in draft.decisions
            if d.point_id in points
        ]
    )
    letter.actions.all().delete()
    now = timezone.now()
    OutstandingAction.objects.bulk_create(
        [
            OutstandingAction(
                complaint=complaint,
                letter=letter,
                description=a.description.strip(),
                due_date=a.due_date,
                created_at=now,
            )
            for a in draft.actions
            if a.description.strip() or a.due_date
        ]
    )
    return letter


@transaction.atomic
def complaint_response_save_draft(
    *, complaint: Complaint, actor: User, draft: ResponseDraft
) -> ComplaintLetter:
    """Keep the response as written so far; nothing is sent. One draft per stage."""
    _lock(complaint)
    return _write_draft(complaint=complaint, actor=actor, draft=draft)


@transaction.atomic
def complaint_respond(
    *, complaint: Complaint, actor: User, draft: ResponseDraft
) -> ComplaintLetter:
    """Send the response to the current stage, or resolve a Quick Resolution with it.

    Refused with ``LetterIncomplete`` listing every missing part (``ComplaintLetter
    .missing_parts``) until the letter holds all the Code requires; then nothing is written,
    not even the draft. At stage 2 the sender must not be the stage 1 handler. A Quick
    Resolution must be resolved within its 2 working days; after that it continues as formal.
    """
    _lock(complaint)
    stage = _respondable_stage(complaint)
    is_quick = complaint.status == S.QUICK_RESOLUTION
    now = timezone.now()
    if stage == 2 and complaint.stage1_handler_id == actor.pk:
        raise ComplaintRuleBroken(
            "The Final Review must be answered by someone other than the stage 1 handler."
        )
    if is_quick:
        due = _earliest_due(complaint, QUICK_RESOLUTION_CLOCK)
        if due is None or due < now:
            raise ComplaintRuleBroken(
                "The 2 working days for a Quick Resolution have passed: continue it as a formal "
                "complaint."
            )
    letter = _write_draft(complaint=complaint, actor=actor, draft=draft)
    missing = letter.missing_parts()
    if missing:
        # Roll back the draft written above too: a refused send leaves no trace.
        raise LetterIncomplete(*missing)
    if is_quick:
        case_deadline_meet(case=complaint, code=QUICK_RESOLUTION_CLOCK, actor=actor, met_at=now)
        complaint.quick_resolution_outcome = QuickResolutionOutcome.RESOLVED
        complaint.quick_resolution_ended_at = now
        _save(complaint, "quick_resolution_outcome", "quick_resolution_ended_at")
    else:
        case_deadline_meet(case=complaint, code=respond_code(stage), actor=actor, met_at=now)
    setattr(complaint, f"stage{stage}_responded_at", now)
    setattr(complaint, f"stage{stage}_outcome", letter.outcome)
    setattr(complaint, f"stage{stage}_handler", actor)
    _save(complaint, f"stage{stage}_responded_at", f"stage{stage}_outcome", f"stage{stage}_handler")
    _transition(
        complaint,
        RESPONDED[stage],
        actor=actor,
        note=f"Response sent: {letter.get_outcome_display().lower()}",
    )
    letter.sent_by = actor
    return _send_letter(
        complaint=complaint,
        kind=LetterKind.RESPONSE,
        stage=stage,
        by=actor,
        subject=letter.subject,
        body=letters.response_body(letter=letter),
        letter=letter,
    )
