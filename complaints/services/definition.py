"""Defining a complaint's points and acknowledging it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from casework.services import case_add_note, case_assign, case_deadline_meet
from complaints import letters
from complaints.models import Complaint, ComplaintLetter, ComplaintPoint, LetterDecision, LetterKind
from complaints.services._common import (
    INVESTIGATING,
    ComplaintRuleBroken,
    S,
    _current_definition,
    _earliest_due,
    _lock,
    _save,
    _send_letter,
    _transition,
    acknowledge_code,
    respond_code,
)
from sla.services import deadline_start

if TYPE_CHECKING:
    from accounts.models import User


RECEIVED = {1: S.STAGE1_RECEIVED, 2: S.STAGE2_RECEIVED}


def _replace_points(complaint: Complaint, stage: int, issues: list[str]) -> None:
    """Make the stage's definition exactly ``issues``. Points keep their rows where they can, so
    a draft response's decisions on them survive a reworded issue."""
    issues = [i.strip() for i in issues if i.strip()]
    existing = {p.position: p for p in complaint.points.filter(stage=stage)}
    for position, issue in enumerate(issues, start=1):
        point = existing.pop(position, None)
        if point is None:
            ComplaintPoint.objects.create(
                complaint=complaint, stage=stage, position=position, issue=issue
            )
        elif point.issue != issue:
            point.issue = issue
            point.save(update_fields=["issue"])
    if existing:
        removed = list(existing.values())
        LetterDecision.objects.filter(point__in=removed, letter__sent_at__isnull=True).delete()
        ComplaintPoint.objects.filter(pk__in=[p.pk for p in removed]).delete()


def _check_issues(issues: list[str]) -> None:
    if not [i for i in issues if i.strip()]:
        raise ComplaintRuleBroken("Record at least one point the complaint is about.")


@transaction.atomic
def complaint_define(
    *, complaint: Complaint, actor: User, issues: list[str], outcomes_sought: str
) -> Complaint:
    """Record or amend the current stage's definition: the points raised and the outcomes the
    customer seeks. New points raised before the response join the open stage (CHC-8)."""
    _lock(complaint)
    if complaint.status not in (S.QUICK_RESOLUTION, INVESTIGATING[complaint.stage]):
        raise ComplaintRuleBroken(
            "The definition can be changed only while the stage is open "
            "and acknowledged, or during a Quick Resolution."
        )
    _check_issues(issues)
    stage = complaint.stage
    _replace_points(complaint, stage, issues)
    setattr(complaint, f"stage{stage}_outcomes_sought", outcomes_sought.strip())
    _save(complaint, f"stage{stage}_outcomes_sought")
    case_add_note(
        case=complaint,
        actor=actor,
        visible_to_customer=False,
        note=f"Stage {stage} definition recorded:\n" + _current_definition(complaint, stage),
    )
    return complaint


@transaction.atomic
def complaint_acknowledge(
    *,
    complaint: Complaint,
    actor: User,
    issues: list[str],
    outcomes_sought: str,
    handler: User | None = None,
) -> ComplaintLetter:
    """Acknowledge the current stage with its definition (Code 6.2, 6.11), and start the Code's
    response clock from this actual acknowledgement (Code 6.3).

    The handler (``actor`` unless given) takes the complaint. At stage 2 the handler must not be
    the person who handled stage 1 (Code 6.13).
    """
    _lock(complaint)
    stage = complaint.stage
    if complaint.status != RECEIVED[stage]:
        raise ComplaintRuleBroken("This complaint is not waiting to be acknowledged.")
    _check_issues(issues)
    handler = handler or actor
    if stage == 2 and complaint.stage1_handler_id == handler.pk:
        raise ComplaintRuleBroken(
            "The Final Review must be handled by someone other than the stage 1 handler."
        )
    now = timezone.now()
    _replace_points(complaint, stage, issues)
    setattr(complaint, f"stage{stage}_outcomes_sought", outcomes_sought.strip())
    setattr(complaint, f"stage{stage}_acknowledged_at", now)
    setattr(complaint, f"stage{stage}_handler", handler)
    _save(
        complaint,
        f"stage{stage}_outcomes_sought",
        f"stage{stage}_acknowledged_at",
        f"stage{stage}_handler",
    )
    case_deadline_meet(case=complaint, code=acknowledge_code(stage), actor=actor, met_at=now)
    deadline_start(case=complaint, code=respond_code(stage) + ".code", started_at=now)
    _transition(complaint, INVESTIGATING[stage], actor=actor, note="Complaint acknowledged")
    case_assign(case=complaint, assignee=handler, actor=actor)
    definition = _current_definition(complaint, stage)
    return _send_letter(
        complaint=complaint,
        kind=LetterKind.ACKNOWLEDGEMENT,
        stage=stage,
        by=actor,
        subject=f"We have your {'Final Review request' if stage == 2 else 'complaint'} "
        f"{complaint.reference}",
        body=letters.acknowledgement_body(
            complaint=complaint,
            stage=stage,
            definition=definition,
            respond_by=_earliest_due(complaint, respond_code(stage)),
        ),
    )
